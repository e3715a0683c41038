-- Schoolgate store schema, version 1. Shared by SQLite and PostgreSQL; vendor differences are
-- Flyway placeholders set by JdbcStore: ${id_column} (an auto-generated, never reused id).
-- Every instant is a BIGINT of microseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE accounts (
  id             ${id_column},
  username       VARCHAR(64)  NOT NULL,
  display_name   VARCHAR(200) NOT NULL,
  roles          VARCHAR(200) NOT NULL,
  password_hash  VARCHAR(300) NOT NULL,
  disabled       BOOLEAN      NOT NULL DEFAULT FALSE,
  failed_logins  INTEGER      NOT NULL DEFAULT 0,
  locked_until   BIGINT,
  created_at     BIGINT       NOT NULL,
  CONSTRAINT accounts_username_unique UNIQUE (username)
);

CREATE TABLE tokens (
  id          ${id_column},
  token_hash  CHAR(64)     NOT NULL,
  account_id  BIGINT       NOT NULL REFERENCES accounts (id),
  kind        VARCHAR(16)  NOT NULL,
  name        VARCHAR(100),
  created_at  BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL,
  CONSTRAINT tokens_hash_unique UNIQUE (token_hash),
  CONSTRAINT tokens_kind_check CHECK (kind IN ('session', 'api'))
);
CREATE INDEX tokens_account ON tokens (account_id);
CREATE INDEX tokens_expiry ON tokens (kind, expires_at);

CREATE TABLE unblocks (
  id               ${id_column},
  status           VARCHAR(16)   NOT NULL,
  target_kind      VARCHAR(16)   NOT NULL,
  target_host      TEXT,
  target_path      TEXT,
  target_category  TEXT,
  scope_json       TEXT          NOT NULL,
  starts_at        BIGINT        NOT NULL,
  ends_at          BIGINT        NOT NULL,
  reason           TEXT          NOT NULL,
  sensitive        BOOLEAN       NOT NULL,
  categories       TEXT          NOT NULL,
  requested_by     TEXT          NOT NULL,
  requested_by_id  BIGINT        REFERENCES accounts (id),
  requested_at     BIGINT        NOT NULL,
  decided_by       TEXT,
  decided_at       BIGINT,
  decision_note    TEXT,
  ended_by         TEXT,
  ended_at         BIGINT,
  CONSTRAINT unblocks_status_check
    CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'REVOKED', 'EXPIRED', 'CANCELLED')),
  CONSTRAINT unblocks_target_check
    CHECK (target_kind IN ('domain', 'url', 'category', 'everything'))
);
CREATE INDEX unblocks_status_ends ON unblocks (status, ends_at);
CREATE INDEX unblocks_requester ON unblocks (requested_by_id);

-- The audit trail: append-only, hash-chained. seq is assigned from audit_head, never generated.
CREATE TABLE audit (
  seq           BIGINT        NOT NULL PRIMARY KEY,
  at            BIGINT        NOT NULL,
  type          TEXT          NOT NULL,
  actor         TEXT          NOT NULL,
  address       TEXT,
  target        TEXT          NOT NULL,
  reason        TEXT          NOT NULL,
  before_state  TEXT,
  after_state   TEXT,
  prev_hash     CHAR(64)      NOT NULL,
  hash          CHAR(64)      NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_actor ON audit (actor);

-- The one row every append locks and moves on: serialises appends across connections and nodes,
-- and remembers the chain's end (so a truncated tail is detected) and the last unblock change.
CREATE TABLE audit_head (
  id               INTEGER   NOT NULL PRIMARY KEY,
  seq              BIGINT    NOT NULL,
  hash             CHAR(64)  NOT NULL,
  unblock_version  BIGINT    NOT NULL,
  CONSTRAINT audit_head_single_row CHECK (id = 1)
);
INSERT INTO audit_head (id, seq, hash, unblock_version)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
