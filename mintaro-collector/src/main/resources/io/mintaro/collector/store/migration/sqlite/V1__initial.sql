-- Schema version 1, as released (collector 0.1). Never edit: databases of every version exist.

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS agents (
  agent_id         TEXT PRIMARY KEY,
  service          TEXT NOT NULL,
  host             TEXT,
  pid              INTEGER,
  sdk              TEXT,
  authorities      TEXT NOT NULL DEFAULT '[]',
  registered_at_ms INTEGER NOT NULL,
  last_seen_at_ms  INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS agents_by_service ON agents(service);

CREATE TABLE IF NOT EXISTS traces (
  trace_id        TEXT PRIMARY KEY,
  name            TEXT,
  status          TEXT NOT NULL DEFAULT 'ok',
  services        TEXT NOT NULL DEFAULT '[]',
  started_at_us   INTEGER,
  duration_us     INTEGER,
  trigger_kind    TEXT,
  trigger_reason  TEXT,
  trigger_service TEXT,
  triggered_at_ms INTEGER,
  completed_at_ms INTEGER,
  updated_at_ms   INTEGER NOT NULL,
  span_count      INTEGER NOT NULL DEFAULT 0,
  message_count   INTEGER NOT NULL DEFAULT 0,
  log_count       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS traces_by_start ON traces(started_at_us);

CREATE INDEX IF NOT EXISTS traces_by_status_start ON traces(status, started_at_us);

CREATE TABLE IF NOT EXISTS triggers (
  trace_id       TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  service        TEXT NOT NULL,
  kind           TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  at_ms          INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL,
  PRIMARY KEY (trace_id, agent_id, kind, at_ms, reason)
);

CREATE TABLE IF NOT EXISTS spans (
  trace_id       TEXT NOT NULL,
  span_id        TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  service        TEXT NOT NULL,
  parent_span_id TEXT,
  name           TEXT,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL,
  start_us       INTEGER NOT NULL,
  end_us         INTEGER,
  json           TEXT NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);

CREATE TABLE IF NOT EXISTS messages (
  trace_id      TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  service       TEXT NOT NULL,
  span_id       TEXT,
  direction     TEXT NOT NULL,
  method        TEXT NOT NULL,
  url           TEXT,
  status        INTEGER NOT NULL,
  start_us      INTEGER NOT NULL,
  duration_us   INTEGER,
  request_body  TEXT,
  response_body TEXT,
  json          TEXT NOT NULL,
  PRIMARY KEY (trace_id, agent_id, seq)
);

CREATE TABLE IF NOT EXISTS logs (
  trace_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  service  TEXT NOT NULL,
  span_id  TEXT,
  time_us  INTEGER NOT NULL,
  level    TEXT NOT NULL,
  logger   TEXT,
  message  TEXT,
  json     TEXT NOT NULL,
  PRIMARY KEY (trace_id, agent_id, seq)
);

CREATE TABLE IF NOT EXISTS breadcrumbs (
  trace_id      TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  service       TEXT NOT NULL,
  role          TEXT NOT NULL,
  peer_agent_id TEXT NOT NULL DEFAULT '',
  authority     TEXT NOT NULL DEFAULT '',
  span_id       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (trace_id, agent_id, role, peer_agent_id, authority, span_id)
);
