-- Version 11: retention (docs/retention.md): traces expire by age and by total stored size, per
-- namespace.
--   traces.stored_bytes: the trace's share of the database, estimated: its records' encoded
--     payloads and message bodies, plus 256 bytes per record row (keys, columns, index entries)
--     and 2,048 per trace (summary, triggers, breadcrumbs, retrieval state); recomputed with its
--     summary on every batch (Summaries.ROW_BYTES, TRACE_BYTES; docs/retention.md, "What a stored
--     byte is").
--   traces_by_created: a namespace's traces oldest first, the order they expire in; it holds
--     stored_bytes so that a namespace's total is read from the index alone.
--   namespaces.usage_*: what the last retention run measured (traces, stored bytes, when, and when
--     the oldest trace was stored), for the API; not kept by ingest (one row that every batch
--     updated would serialise them).
--   group_counts.expired: of a row's occurrences, those of traces retention deleted (their group
--     keeps them as occurrences; a service's activity counts them as the traces they were).
--   expired_activity: what a service's activity over time counted of the traces retention
--     deleted, per minute: their triggers (by arrival), and of the traces whose first trigger was
--     the service's, the error traces and all of them (by storing), as JdbcStats counts them.
--   The backfill reads each trace's records once, in this migration's transaction.

ALTER TABLE traces ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;

UPDATE traces SET stored_bytes =
    coalesce((SELECT sum(octet_length(payload)) FROM spans WHERE spans.trace_id = traces.trace_id), 0)
  + coalesce((SELECT sum(octet_length(payload) + coalesce(octet_length(request_body), 0)
      + coalesce(octet_length(response_body), 0)) FROM messages WHERE messages.trace_id = traces.trace_id), 0)
  + coalesce((SELECT sum(octet_length(payload)) FROM logs WHERE logs.trace_id = traces.trace_id), 0)
  + 256 * (span_count + message_count + log_count) + 2048;

CREATE INDEX traces_by_created ON traces(namespace, created_at_ms, trace_id, stored_bytes);

ALTER TABLE namespaces ADD COLUMN usage_traces INTEGER;
ALTER TABLE namespaces ADD COLUMN usage_bytes INTEGER;
ALTER TABLE namespaces ADD COLUMN usage_at_ms INTEGER;
ALTER TABLE namespaces ADD COLUMN usage_oldest_ms INTEGER;

ALTER TABLE group_counts ADD COLUMN expired INTEGER NOT NULL DEFAULT 0;

CREATE TABLE expired_activity (
  namespace TEXT NOT NULL,
  service   TEXT NOT NULL,
  minute_ms INTEGER NOT NULL,
  triggers  INTEGER NOT NULL DEFAULT 0,
  errors    INTEGER NOT NULL DEFAULT 0,
  stored    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, service, minute_ms)
);
