-- DES metadata: where every packed file lives. Written by the des-packer job, read by the api's
-- /files/{name}, the SQL client and `des gc`. Flyway runs this with search_path = des.

-- One row per shard object. status 'complete' means the object was fully written and verified
-- before this row said so; nothing points at an object whose row is not complete.
CREATE TABLE shards (
    object_key  text        PRIMARY KEY,
    shard_id    integer     NOT NULL CHECK (shard_id >= 0),
    seq         bigint      NOT NULL CHECK (seq >= 0),
    size        bigint      NOT NULL CHECK (size >= 0),
    files       integer     NOT NULL CHECK (files >= 0),
    checksum    text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('complete', 'deleted')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shard_id, seq)
);

-- One row per packed file: the byte range of its body inside its shard object.
-- "offset" is a reserved word in SQL and is quoted wherever it is used.
CREATE TABLE files (
    name          text        PRIMARY KEY,
    object_key    text        NOT NULL REFERENCES shards (object_key),
    "offset"      bigint      NOT NULL CHECK ("offset" >= 0),
    length        bigint      NOT NULL CHECK (length >= 0),
    checksum      text        NOT NULL,
    content_type  text        NOT NULL DEFAULT '',
    source        text        NOT NULL DEFAULT '',
    packed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_object ON files (object_key);
