-- Schoolgate store schema, version 3: delivery of the alert outbox (email, webhooks). Same
-- placeholder and conventions as V1 (${id_column}; instants are BIGINT microseconds since the epoch, UTC).
--
-- Planning: an alert is planned once, by whichever node first sets its delivery_planned_at
-- (UPDATE ... WHERE delivery_planned_at IS NULL inside the planning transaction), so planning survives a
-- restart and never happens twice with several nodes. delivery_note says why an alert has no
-- deliveries ("no route"). Alerts raised before this version are marked planned with a note: they
-- were raised when nothing delivered alerts, and are not sent now.
--
-- Deliveries: one row per (alert, channel, recipient). state: pending (to send at next_attempt_at;
-- a sender claims a row by moving next_attempt_at to the end of its lease), sent, suppressed
-- (grouped into an earlier message, or throttled; last_error says why), failed (gave up; last_error).

ALTER TABLE alerts ADD COLUMN delivery_planned_at BIGINT;
ALTER TABLE alerts ADD COLUMN delivery_note VARCHAR(300);
UPDATE alerts SET delivery_planned_at = raised_at, delivery_note = 'raised before alert delivery existed';
CREATE INDEX alerts_unplanned ON alerts (id) WHERE delivery_planned_at IS NULL;

CREATE TABLE alert_deliveries (
  id               ${id_column},
  alert_id         BIGINT        NOT NULL REFERENCES alerts (id),
  channel          VARCHAR(16)   NOT NULL,
  recipient        VARCHAR(320)  NOT NULL,
  state            VARCHAR(16)   NOT NULL,
  attempts         INTEGER       NOT NULL DEFAULT 0,
  created_at       BIGINT        NOT NULL,
  next_attempt_at  BIGINT        NOT NULL,
  last_error       TEXT,
  sent_at          BIGINT,
  CONSTRAINT alert_deliveries_unique UNIQUE (alert_id, channel, recipient),
  CONSTRAINT alert_deliveries_channel_check CHECK (channel IN ('email', 'webhook')),
  CONSTRAINT alert_deliveries_state_check CHECK (state IN ('pending', 'sent', 'suppressed', 'failed')),
  CONSTRAINT alert_deliveries_sent_check CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt_at);
CREATE INDEX alert_deliveries_recipient ON alert_deliveries (channel, recipient, state);
