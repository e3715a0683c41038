-- Schoolgate store schema, version 10: notifications for people (the console's list, with an
-- email copy delivered by the alert delivery worker) and reports of wrongly blocked or wrongly
-- allowed sites. Same conventions as V1 (${id_column}; instants are BIGINT microseconds, UTC).
--
-- accounts.email: where a person's notifications are emailed; null means the console only.
--
-- notifications: one row per person and event (an unblock request for each approver, the
-- decision for the teacher who asked, a site report for each technician, the answer for the
-- reporter), written in the transaction of the change that caused it. link is the console path of
-- the item (/unblocks/12, /site-reports/3). email_state: none (no address when it was raised),
-- pending (to send at email_next_at; a sender claims it by moving email_next_at to the end of its
-- lease), sent, failed (gave up; email_error says why).
--
-- site_reports: what someone reported, the decision explained at that moment (decision_json),
-- and the technician's answer. An anonymous reporter reads the answer with a token whose SHA-256
-- is token_hash; the token itself is never stored.

ALTER TABLE accounts ADD COLUMN email VARCHAR(254);

CREATE TABLE notifications (
  id              ${id_column},
  account_id      BIGINT        NOT NULL REFERENCES accounts (id),
  kind            VARCHAR(64)   NOT NULL,
  subject         VARCHAR(300)  NOT NULL,
  body            TEXT          NOT NULL,
  link            VARCHAR(200)  NOT NULL,
  created_at      BIGINT        NOT NULL,
  read_at         BIGINT,
  email_to        VARCHAR(254),
  email_state     VARCHAR(16)   NOT NULL,
  email_attempts  INTEGER       NOT NULL DEFAULT 0,
  email_next_at   BIGINT,
  email_error     TEXT,
  email_sent_at   BIGINT,
  CONSTRAINT notifications_email_state_check CHECK (email_state IN ('none', 'pending', 'sent', 'failed')),
  CONSTRAINT notifications_email_check CHECK ((email_state = 'none') = (email_to IS NULL))
);
CREATE INDEX notifications_account ON notifications (account_id, read_at);
CREATE INDEX notifications_email_due ON notifications (email_state, email_next_at);

CREATE TABLE site_reports (
  id              ${id_column},
  kind            VARCHAR(16)   NOT NULL,
  url             TEXT          NOT NULL,
  host            TEXT          NOT NULL,
  comment         TEXT          NOT NULL,
  reporter        TEXT          NOT NULL,
  reporter_id     BIGINT        REFERENCES accounts (id),
  client_address  VARCHAR(45),
  group_name      VARCHAR(100),
  decision_json   TEXT          NOT NULL,
  token_hash      CHAR(64),
  status          VARCHAR(16)   NOT NULL,
  created_at      BIGINT        NOT NULL,
  answered_by     TEXT,
  answered_at     BIGINT,
  answer          TEXT,
  CONSTRAINT site_reports_kind_check CHECK (kind IN ('wrongly-blocked', 'wrongly-allowed')),
  CONSTRAINT site_reports_status_check CHECK (status IN ('open', 'changed', 'unchanged')),
  CONSTRAINT site_reports_token_unique UNIQUE (token_hash),
  CONSTRAINT site_reports_answer_check CHECK ((status = 'open') = (answered_at IS NULL))
);
CREATE INDEX site_reports_status ON site_reports (status, id);
CREATE INDEX site_reports_reporter ON site_reports (reporter_id);
