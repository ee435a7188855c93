-- Version 2 to 3: the export queue. A row per (trace, exporter) waits until the exporter took
-- the trace; next_attempt_at_ms NULL marks a dead letter.

CREATE TABLE export_queue (
  trace_id           TEXT NOT NULL,
  exporter           TEXT NOT NULL,
  enqueued_at_ms     INTEGER NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER,
  last_error         TEXT,
  dead_at_ms         INTEGER,
  PRIMARY KEY (trace_id, exporter)
);

CREATE INDEX export_queue_due ON export_queue(exporter, next_attempt_at_ms);

CREATE INDEX export_queue_dead ON export_queue(exporter, dead_at_ms);
