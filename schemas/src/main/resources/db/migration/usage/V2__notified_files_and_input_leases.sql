-- usage-aggregation, version 2 (see jobs/usage-aggregation/README.md).

-- Files announced on RabbitMQ. The planner writes the row (autocommit) before it hands the file's
-- splits on, so before the checkpoint that acknowledges the message: a deployment started without
-- Flink state finds here every announced file that usage.files does not show as completed.
CREATE TABLE notified_files (
    path           TEXT PRIMARY KEY,
    input          TEXT        NOT NULL,
    size           BIGINT      NOT NULL,
    mtime          TIMESTAMPTZ NOT NULL,
    correlation_id TEXT        NOT NULL,
    owner          TEXT        NOT NULL,
    notified_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notified_files_input ON notified_files (input, notified_at);

-- One row per input (a directory, or a RabbitMQ queue) read by a running deployment. The holder
-- is the deployment's lineage (usage.files.owner); it renews the lease while it runs, and another
-- lineage may take the input over only once the lease has expired.
CREATE TABLE input_leases (
    input       TEXT PRIMARY KEY,
    holder      TEXT        NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
