-- Version 12: tags (docs/storage.md, decision 38). The same table and index as SQLite's V12, whose
-- comments explain them.

CREATE TABLE trace_tags (
  trace_id      TEXT COLLATE "C" NOT NULL,
  key           TEXT COLLATE "C" NOT NULL,
  value         TEXT COLLATE "C" NOT NULL,
  namespace     TEXT COLLATE "C" NOT NULL,
  started_at_us BIGINT NOT NULL,
  PRIMARY KEY (trace_id, key, value)
);

CREATE INDEX trace_tags_by_value ON trace_tags(namespace, key, value, started_at_us, trace_id);
