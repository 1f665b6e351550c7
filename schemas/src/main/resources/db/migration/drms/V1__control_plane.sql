-- The replication control plane: the graph (connections, datasets, consumers), every applied
-- version of it, and one row per replication task. Statements are unqualified: Flyway runs them
-- with search_path = drms.

CREATE TABLE graph_versions (
    version      bigint      PRIMARY KEY,
    applied_by   text        NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    source       text        NOT NULL,            -- the graph file as applied
    graph        jsonb       NOT NULL,            -- the same graph, normalized
    diff         text        NOT NULL,            -- what changed against the previous version
    rollback_of  bigint      REFERENCES graph_versions(version)
);

CREATE TABLE connections (
    name          text        PRIMARY KEY,
    dialect       text        NOT NULL CHECK (dialect IN ('postgres', 'mariadb', 'generic')),
    url           text        NOT NULL,
    user_name     text        NOT NULL DEFAULT '',
    password_env  text        NOT NULL DEFAULT '',
    spec          jsonb       NOT NULL,
    version       bigint      NOT NULL REFERENCES graph_versions(version),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE datasets (
    name        text        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('table', 'slice')),
    connection  text,
    table_name  text,
    parent      text,
    spec        jsonb       NOT NULL,
    version     bigint      NOT NULL REFERENCES graph_versions(version),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consumers (
    name               text        PRIMARY KEY,
    dataset            text        NOT NULL,
    target_connection  text        NOT NULL,
    target_table       text        NOT NULL,
    schedule_ms        bigint      NOT NULL CHECK (schedule_ms > 0),
    mode               text        NOT NULL CHECK (mode IN ('incremental', 'snapshot')),
    status             text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'paused')),
    rules_fingerprint  text        NOT NULL,
    spec               jsonb       NOT NULL,
    version            bigint      NOT NULL REFERENCES graph_versions(version),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    status_changed_by  text,
    status_changed_at  timestamptz
);

CREATE TABLE tasks (
    id           bigserial   PRIMARY KEY,
    edge_id      text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text        NOT NULL CHECK (status IN ('running', 'succeeded', 'retrying', 'failed')),
    rows         bigint      NOT NULL DEFAULT 0,
    cursor_from  text,
    cursor_to    text,
    checksum     text,
    attempt      integer     NOT NULL DEFAULT 1,
    error        text,
    kind         text        NOT NULL DEFAULT 'incremental'
                             CHECK (kind IN ('incremental', 'snapshot', 'converge')),
    run_id       text,
    converged    boolean     NOT NULL DEFAULT false
);

CREATE INDEX tasks_edge_started ON tasks (edge_id, started_at DESC);
CREATE INDEX tasks_run ON tasks (run_id) WHERE run_id IS NOT NULL;
