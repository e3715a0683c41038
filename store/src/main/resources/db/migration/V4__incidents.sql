-- Schoolgate store schema, version 4: the DSL's incident log. Same placeholder and conventions as
-- V1 (${id_column}; instants are BIGINT microseconds since the epoch, UTC).
-- An alert for the DSL opens an incident or joins the open one for the same person and kind family
-- (in the alert's transaction); people then acknowledge, assign, escalate, note, act and close.
-- incident_events is the timeline: append-only, one row per hit, state change, assignment, note
-- or action, each with its actor and time.

CREATE TABLE incidents (
  id                ${id_column},
  state             VARCHAR(16)   NOT NULL,
  owner             TEXT,
  severity          VARCHAR(16)   NOT NULL,
  who               TEXT          NOT NULL,
  kind              VARCHAR(64)   NOT NULL,
  subject           VARCHAR(300)  NOT NULL,
  opened_at         BIGINT        NOT NULL,
  last_hit_at       BIGINT        NOT NULL,
  hits              INTEGER       NOT NULL,
  critical_since    BIGINT,
  escalation_level  INTEGER       NOT NULL DEFAULT 0,
  escalated_at      BIGINT,
  acknowledged_by   TEXT,
  acknowledged_at   BIGINT,
  closed_by         TEXT,
  closed_at         BIGINT,
  outcome           TEXT,
  CONSTRAINT incidents_state_check CHECK (state IN ('new', 'acknowledged', 'escalated', 'closed')),
  CONSTRAINT incidents_severity_check CHECK (severity IN ('info', 'warning', 'critical')),
  CONSTRAINT incidents_closed_check CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX incidents_join ON incidents (who, kind, state, last_hit_at);
CREATE INDEX incidents_state ON incidents (state, last_hit_at);
CREATE INDEX incidents_escalation ON incidents (severity, acknowledged_at, critical_since);

CREATE TABLE incident_events (
  id           ${id_column},
  incident_id  BIGINT        NOT NULL REFERENCES incidents (id),
  at           BIGINT        NOT NULL,
  type         VARCHAR(16)   NOT NULL,
  actor        TEXT          NOT NULL,
  alert_id     BIGINT,
  state        VARCHAR(16),
  owner        TEXT,
  action       VARCHAR(32),
  text         TEXT,
  CONSTRAINT incident_events_type_check CHECK (type IN ('hit', 'state', 'assigned', 'note', 'action'))
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
