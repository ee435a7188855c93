-- Version 7: health per service (docs/api.md, "GET /api/services/{service}").
--   agents.version: the service version the agent registered with (protocol, register); NULL
--     when it sent none.
--   agents.stats, agents.stats_at_ms: what the agent's recorder last reported with a poll, as
--     JSON text, and when it arrived (collector clock); written with the periodic last-seen flush.
--   The indexes serve a service's counts over time as ranges: triggers by service and arrival,
--   traces by the service of their earliest trigger and creation, group counts by service and
--   minute. Building them reads each table once, in this migration's transaction.

ALTER TABLE agents ADD COLUMN version TEXT COLLATE "C";
ALTER TABLE agents ADD COLUMN stats TEXT COLLATE "C";
ALTER TABLE agents ADD COLUMN stats_at_ms BIGINT;

CREATE INDEX triggers_by_service ON triggers(service, received_at_ms);

CREATE INDEX traces_by_trigger_service ON traces(trigger_service, created_at_ms, status);

CREATE INDEX group_counts_by_service ON group_counts(service, minute_ms, occurrences);
