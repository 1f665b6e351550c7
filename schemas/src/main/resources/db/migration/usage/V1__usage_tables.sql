-- usage-aggregation: public tables (see jobs/usage-aggregation/README.md).
-- Flyway runs this with the schema "usage" as default schema.

-- Running total per consumer.
CREATE TABLE totals (
    consumer_id BIGINT PRIMARY KEY,
    total       BIGINT      NOT NULL CHECK (total >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Amount per consumer and period (the period of the time a file became complete).
CREATE TABLE by_period (
    consumer_id  BIGINT      NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    amount       BIGINT      NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (consumer_id, period_start)
);

-- One row per input file, written by the first commit that carries some of its effect; the
-- durable "already processed" record (status 'completed' is set in the transaction of the file's
-- last increments).
CREATE TABLE files (
    path               TEXT PRIMARY KEY,
    size               BIGINT      NOT NULL,
    mtime              TIMESTAMPTZ NOT NULL,
    lines              BIGINT      NOT NULL DEFAULT 0,
    rejects            BIGINT      NOT NULL DEFAULT 0,
    status             TEXT        NOT NULL CHECK (status IN ('reading', 'completed')),
    completed_at       TIMESTAMPTZ,
    period_start       TIMESTAMPTZ NOT NULL,
    split_size         BIGINT      NOT NULL,
    split_count        INT         NOT NULL,
    owner              TEXT        NOT NULL,
    first_committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX files_open ON files (mtime) WHERE status <> 'completed';

-- Committed read position of every split of a file: a deployment started without Flink state
-- resumes unfinished files from here.
CREATE TABLE file_splits (
    path           TEXT    NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    split_index    INT     NOT NULL,
    next_offset    BIGINT  NOT NULL,
    physical_lines BIGINT  NOT NULL,
    lines          BIGINT  NOT NULL,
    rejects        BIGINT  NOT NULL,
    done           BOOLEAN NOT NULL,
    PRIMARY KEY (path, split_index)
);

-- Lines (or contributions) that were not counted, with the reason.
CREATE TABLE rejects (
    id            BIGSERIAL PRIMARY KEY,
    file          TEXT        NOT NULL,
    line_no       BIGINT,
    reason        TEXT        NOT NULL,
    raw           TEXT        NOT NULL,
    split_index   INT,
    line_in_split BIGINT,
    byte_offset   BIGINT,
    commit_id     UUID        NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rejects_file ON rejects (file, split_index);

-- The ledger: one row per applied commit, hash-chained to the previous row.
CREATE TABLE commits (
    seq             BIGSERIAL PRIMARY KEY,
    commit_id       UUID        NOT NULL UNIQUE,
    job_id          TEXT        NOT NULL,
    subtask         INT         NOT NULL,
    checkpoint_id   BIGINT,
    entries         BIGINT      NOT NULL,
    amount          NUMERIC     NOT NULL,
    lines           BIGINT      NOT NULL,
    rejects         BIGINT      NOT NULL,
    files_completed INT         NOT NULL,
    prev_hash       TEXT        NOT NULL,
    hash            TEXT        NOT NULL,
    committed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
