-- Version 13: alerts (docs/alerts.md).
--   triage.silenced_until_ms: a silence with a time limit; past it the group counts as not
--     silenced (and an occurrence is a regression).
--   alert_rules: per namespace, what alerts and where it is delivered.
--   alert_deliveries: the outbox. event_key is unique, so collectors sharing a database queue an
--     event once; a collector claims a row by setting lease_until_ms while it is due and unleased.

ALTER TABLE triage ADD COLUMN silenced_until_ms BIGINT;

CREATE TABLE alert_rules (
  id            TEXT COLLATE "C" PRIMARY KEY,
  namespace     TEXT COLLATE "C" NOT NULL,
  kind          TEXT COLLATE "C" NOT NULL,
  url           TEXT COLLATE "C" NOT NULL,
  format        TEXT COLLATE "C" NOT NULL,
  secret        TEXT,
  threshold     BIGINT NOT NULL DEFAULT 0,
  window_ms     BIGINT NOT NULL DEFAULT 0,
  rate_limit    BIGINT NOT NULL DEFAULT 10,
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE alert_deliveries (
  event_key          TEXT COLLATE "C" PRIMARY KEY,
  rule_id            TEXT COLLATE "C" NOT NULL,
  namespace          TEXT COLLATE "C" NOT NULL,
  kind               TEXT COLLATE "C" NOT NULL,
  payload            TEXT COLLATE "C" NOT NULL,
  state              TEXT COLLATE "C" NOT NULL,
  attempts           BIGINT NOT NULL DEFAULT 0,
  next_attempt_at_ms BIGINT NOT NULL,
  lease_until_ms     BIGINT,
  last_status        BIGINT,
  last_error         TEXT,
  created_at_ms      BIGINT NOT NULL,
  delivered_at_ms    BIGINT
);

CREATE INDEX alert_deliveries_due ON alert_deliveries(state, next_attempt_at_ms);
CREATE INDEX alert_deliveries_by_rule ON alert_deliveries(rule_id, created_at_ms);
