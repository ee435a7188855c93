-- Version 12: tags (docs/storage.md, decision 38). A trace's tags are the scalar attributes of its
-- spans plus its agent's service and version, written with the trace's batches (at most 256 per
-- trace; keys up to 128 characters, values up to 200; longer ones are not indexed).
--   trace_tags_by_value: the traces with a tag, newest first within a namespace, for tag=k:v.
--   Traces stored before this version have no tags.

CREATE TABLE trace_tags (
  trace_id      TEXT NOT NULL,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  started_at_us INTEGER NOT NULL,
  PRIMARY KEY (trace_id, key, value)
);

CREATE INDEX trace_tags_by_value ON trace_tags(namespace, key, value, started_at_us, trace_id);
