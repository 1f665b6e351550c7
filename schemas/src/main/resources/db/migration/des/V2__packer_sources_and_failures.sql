-- des-packer: several master systems (sources) share one DES database. Shard ids and sequences are
-- per source, so the uniqueness of (shard_id, seq) becomes per source. No column is renamed or
-- removed: readers of V1 keep working.
ALTER TABLE shards ADD COLUMN source text NOT NULL DEFAULT '';
ALTER TABLE shards DROP CONSTRAINT shards_shard_id_seq_key;
ALTER TABLE shards ADD CONSTRAINT shards_source_shard_seq_key UNIQUE (source, shard_id, seq);

-- Files the packer could not pack (missing, unreadable, size changed, outside the source storage
-- root): one row per master row, the latest reason wins. The master row is set to its failed status
-- in the same commit.
CREATE TABLE failed_files (
    source     text        NOT NULL,
    file_id    text        NOT NULL,
    des_name   text        NOT NULL,
    path       text        NOT NULL,
    reason     text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, file_id)
);
