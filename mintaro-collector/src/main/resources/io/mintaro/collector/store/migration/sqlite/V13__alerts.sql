-- Version 13: alerts (docs/alerts.md).
--   triage.silenced_until_ms: a silence with a time limit; past it the group counts as not
--     silenced (and an occurrence is a regression).
--   alert_rules: per namespace, what alerts and where it is delivered.
--   alert_deliveries: the outbox. event_key is unique, so collectors sharing a database queue an
--     event once; a collector claims a row by setting lease_until_ms while it is due and unleased.

ALTER TABLE triage ADD COLUMN silenced_until_ms INTEGER;

CREATE TABLE alert_rules (
  id            TEXT PRIMARY KEY,
  namespace     TEXT NOT NULL,
  kind          TEXT NOT NULL,
  url           TEXT NOT NULL,
  format        TEXT NOT NULL,
  secret        TEXT,
  threshold     INTEGER NOT NULL DEFAULT 0,
  window_ms     INTEGER NOT NULL DEFAULT 0,
  rate_limit    INTEGER NOT NULL DEFAULT 10,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE alert_deliveries (
  event_key          TEXT PRIMARY KEY,
  rule_id            TEXT NOT NULL,
  namespace          TEXT NOT NULL,
  kind               TEXT NOT NULL,
  payload            TEXT NOT NULL,
  state              TEXT NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER NOT NULL,
  lease_until_ms     INTEGER,
  last_status        INTEGER,
  last_error         TEXT,
  created_at_ms      INTEGER NOT NULL,
  delivered_at_ms    INTEGER
);

CREATE INDEX alert_deliveries_due ON alert_deliveries(state, next_attempt_at_ms);
CREATE INDEX alert_deliveries_by_rule ON alert_deliveries(rule_id, created_at_ms);
