-- Several nodes on one database: the alert rules' threshold counts (repeated attempts, block
-- bursts) across nodes. Same conventions as V1 (instants are BIGINT microseconds, UTC).
-- alert_tally: each node's count of counted attempts per counter (who + rule + category) and time
-- bucket, added to in batches by the node's alert thread; other nodes read the recent buckets.
-- alert_windows: the window a counter last alerted for, claimed by the first node to reach the
-- threshold, so one person's attempts over several nodes raise one alert per window.

CREATE TABLE alert_tally (
  counter  VARCHAR(600)  NOT NULL,
  bucket   BIGINT        NOT NULL,
  node     VARCHAR(64)   NOT NULL,
  n        INTEGER       NOT NULL,
  PRIMARY KEY (counter, bucket, node)
);
CREATE INDEX alert_tally_bucket ON alert_tally (bucket);

CREATE TABLE alert_windows (
  counter      VARCHAR(600)  NOT NULL PRIMARY KEY,
  quiet_until  BIGINT        NOT NULL,
  node         VARCHAR(64)   NOT NULL
);
