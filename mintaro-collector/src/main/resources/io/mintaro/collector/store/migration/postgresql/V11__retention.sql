-- Version 11: retention (docs/retention.md). The same columns and index as SQLite's V11, whose
-- comments explain them. ADD COLUMN with a constant default rewrites nothing; the backfill
-- rewrites every traces row once, in this migration's transaction. group_counts.expired and
-- expired_activity: as in SQLite's V11.

ALTER TABLE traces ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;

UPDATE traces SET stored_bytes =
    coalesce((SELECT sum(octet_length(payload)) FROM spans WHERE spans.trace_id = traces.trace_id), 0)
  + coalesce((SELECT sum(octet_length(payload) + coalesce(octet_length(request_body), 0)
      + coalesce(octet_length(response_body), 0)) FROM messages WHERE messages.trace_id = traces.trace_id), 0)
  + coalesce((SELECT sum(octet_length(payload)) FROM logs WHERE logs.trace_id = traces.trace_id), 0)
  + 256 * (span_count + message_count + log_count) + 2048;

CREATE INDEX traces_by_created ON traces(namespace, created_at_ms, trace_id, stored_bytes);

ALTER TABLE namespaces ADD COLUMN usage_traces BIGINT;
ALTER TABLE namespaces ADD COLUMN usage_bytes BIGINT;
ALTER TABLE namespaces ADD COLUMN usage_at_ms BIGINT;
ALTER TABLE namespaces ADD COLUMN usage_oldest_ms BIGINT;

ALTER TABLE group_counts ADD COLUMN expired BIGINT NOT NULL DEFAULT 0;

CREATE TABLE expired_activity (
  namespace TEXT COLLATE "C" NOT NULL,
  service   TEXT COLLATE "C" NOT NULL,
  minute_ms BIGINT NOT NULL,
  triggers  BIGINT NOT NULL DEFAULT 0,
  errors    BIGINT NOT NULL DEFAULT 0,
  stored    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, service, minute_ms)
);
