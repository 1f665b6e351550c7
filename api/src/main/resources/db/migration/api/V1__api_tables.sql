-- The api service's own tables (schema "api"): users and their roles, refresh tokens, the audit
-- trail, dataset grants for consumers and who registered which consumer. Flyway runs this with
-- search_path = api.

CREATE TABLE users (
    username       text        PRIMARY KEY,
    password_hash  text        NOT NULL,
    roles          text[]      NOT NULL,
    disabled       boolean     NOT NULL DEFAULT false,
    failed_logins  integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are stored as SHA-256 hashes; a refresh rotates the token (old one revoked).
CREATE TABLE refresh_tokens (
    token_hash  text        PRIMARY KEY,
    username    text        NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (username);

-- Who read what and who changed what: one row per file read and per catalog or user change.
CREATE TABLE audit (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    username    text        NOT NULL,
    method      text        NOT NULL,
    route       text        NOT NULL,
    object      text        NOT NULL,
    status      integer     NOT NULL,
    request_id  text        NOT NULL
);
CREATE INDEX audit_at ON audit (at DESC);
CREATE INDEX audit_user_at ON audit (username, at DESC);

-- Datasets a consumer-role user may see and subscribe to.
CREATE TABLE dataset_grants (
    dataset     text        NOT NULL,
    username    text        NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    granted_by  text        NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, username)
);
CREATE INDEX dataset_grants_user ON dataset_grants (username);

-- The user who registered a consumer through the api (consumer-role users manage only their own).
CREATE TABLE consumer_owners (
    consumer    text        PRIMARY KEY,
    username    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- What the api knows about a published dataset beyond the replication graph: its description
-- and who published it.
CREATE TABLE dataset_info (
    dataset       text        PRIMARY KEY,
    description   text        NOT NULL DEFAULT '',
    published_by  text        NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now()
);
