-- Schoolgate store schema, version 6: who is at which client address (logon sessions, RADIUS
-- accounting, the sign-in page). Same conventions as V1 (instants are BIGINT microseconds, UTC).
-- One row per address: its latest change. A new binding replaces the row only when it was made
-- later (so two nodes agree: the most recent wins); an end keeps the row with ended = TRUE and
-- ends_at = when it ended, so other nodes see the end. binding_head.version moves on with every
-- written batch (its row is locked for the batch, so versions follow commit order) and each row
-- carries the version that last wrote it: a node picks up others' changes with version > its own.

CREATE TABLE address_bindings (
  address      VARCHAR(45)   NOT NULL PRIMARY KEY,
  username     VARCHAR(256)  NOT NULL,
  groups_json  TEXT          NOT NULL,
  method       VARCHAR(16)   NOT NULL,
  source       VARCHAR(200)  NOT NULL,
  made_at      BIGINT        NOT NULL,
  ends_at      BIGINT        NOT NULL,
  ended        BOOLEAN       NOT NULL,
  version      BIGINT        NOT NULL,
  CONSTRAINT address_bindings_method_check CHECK (method IN ('session', 'radius', 'portal'))
);
CREATE INDEX address_bindings_version ON address_bindings (version);
CREATE INDEX address_bindings_ends ON address_bindings (ends_at);

CREATE TABLE binding_head (
  id       INTEGER  NOT NULL PRIMARY KEY,
  version  BIGINT   NOT NULL,
  CONSTRAINT binding_head_single_row CHECK (id = 1)
);
INSERT INTO binding_head (id, version) VALUES (1, 0);
