-- Schoolgate store schema, version 2: the alert outbox. Same placeholder and conventions as V1
-- (${id_column}; instants are BIGINT microseconds since the epoch, UTC).
-- An alert is written once per idempotency_key, in the transaction of whatever raised it, and is
-- never deleted; acknowledged_by/acknowledged_at are set once. Delivery (email, webhooks) will
-- read from here.

CREATE TABLE alerts (
  id               ${id_column},
  raised_at        BIGINT        NOT NULL,
  severity         VARCHAR(16)   NOT NULL,
  kind             VARCHAR(64)   NOT NULL,
  audience         VARCHAR(16)   NOT NULL,
  subject          VARCHAR(300)  NOT NULL,
  details          TEXT          NOT NULL,
  who              TEXT          NOT NULL,
  link             TEXT,
  idempotency_key  VARCHAR(200)  NOT NULL,
  acknowledged_by  TEXT,
  acknowledged_at  BIGINT,
  CONSTRAINT alerts_idempotency_key_unique UNIQUE (idempotency_key),
  CONSTRAINT alerts_severity_check CHECK (severity IN ('info', 'warning', 'critical')),
  CONSTRAINT alerts_audience_check CHECK (audience IN ('dsl', 'technicians')),
  CONSTRAINT alerts_acknowledged_check CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX alerts_audience_open ON alerts (audience, acknowledged_at);
