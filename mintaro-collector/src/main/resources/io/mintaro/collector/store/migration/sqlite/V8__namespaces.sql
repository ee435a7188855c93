-- Version 8: namespaces and keys (docs/namespaces.md).
--   namespaces: each owns its agents, traces, groups and triage; 'default' always exists and
--     holds everything stored before this version. retention_*: NULL = the collector's default.
--   api_keys: keys stored only as their SHA-256; kind is ingest (agents), read (people) or admin
--     (read, plus managing the namespace's keys). Revoked or expired keys stay listed.
--   session_namespaces: the namespaces a browser session may read, one row per key signed in with.
--   namespace columns: on the tables that are listed or counted by namespace. Trace ids of other
--     namespaces are stored under "<namespace>/<trace id>", so keys never collide and rows stored
--     before this version need no rewrite; fingerprints of other namespaces hash the namespace.
--   ADD COLUMN with a constant default rewrites nothing; each index below reads its table once.

CREATE TABLE namespaces (
  name                 TEXT PRIMARY KEY,
  created_at_ms        INTEGER NOT NULL,
  retention_max_age_ms INTEGER,
  retention_max_bytes  INTEGER
);

INSERT INTO namespaces(name, created_at_ms) VALUES ('default', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE api_keys (
  id              TEXT PRIMARY KEY,
  namespace       TEXT NOT NULL REFERENCES namespaces(name),
  kind            TEXT NOT NULL,
  key_sha256      TEXT NOT NULL UNIQUE,
  label           TEXT,
  created_at_ms   INTEGER NOT NULL,
  expires_at_ms   INTEGER,
  revoked_at_ms   INTEGER,
  last_used_at_ms INTEGER
);

CREATE INDEX api_keys_by_namespace ON api_keys(namespace, created_at_ms);

CREATE TABLE session_namespaces (
  id_sha256 TEXT NOT NULL,
  namespace TEXT NOT NULL,
  PRIMARY KEY (id_sha256, namespace)
);

-- Sessions before this version were opened with a key of the one key list: the default namespace's.
INSERT INTO session_namespaces(id_sha256, namespace) SELECT id_sha256, 'default' FROM sessions;

ALTER TABLE traces ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';
ALTER TABLE spans ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';
ALTER TABLE triggers ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';
ALTER TABLE group_counts ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';
ALTER TABLE agents ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';
ALTER TABLE agent_authorities ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default';

DROP INDEX traces_by_start;
CREATE INDEX traces_by_start ON traces(namespace, started_at_us, trace_id);
DROP INDEX traces_by_status_start;
CREATE INDEX traces_by_status_start ON traces(namespace, status, started_at_us, trace_id);
DROP INDEX traces_by_trigger_service;
CREATE INDEX traces_by_trigger_service ON traces(namespace, trigger_service, created_at_ms, status);
DROP INDEX spans_for_stats;
CREATE INDEX spans_for_stats ON spans(namespace, name, service, kind, start_us, end_us);
DROP INDEX triggers_by_service;
CREATE INDEX triggers_by_service ON triggers(namespace, service, received_at_ms);
DROP INDEX group_counts_by_service;
CREATE INDEX group_counts_by_service ON group_counts(namespace, service, minute_ms, occurrences);
DROP INDEX agents_by_service;
CREATE INDEX agents_by_service ON agents(namespace, service);
CREATE INDEX agent_authorities_by_namespace ON agent_authorities(namespace, authority);
