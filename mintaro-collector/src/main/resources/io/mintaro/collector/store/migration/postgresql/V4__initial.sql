-- The schema at version 4, the first that PostgreSQL stores: the same tables, columns, keys and
-- indexes as a SQLite database migrated to version 4 (docs/storage.md). Text compares byte by byte
-- (COLLATE "C"), as in SQLite, so that orders and ties agree between the stores. Times are BIGINT
-- (milliseconds or microseconds since the epoch); records keep their JSON as text.

CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE agents (
  agent_id         TEXT COLLATE "C" PRIMARY KEY,
  service          TEXT COLLATE "C" NOT NULL,
  host             TEXT COLLATE "C",
  pid              BIGINT,
  sdk              TEXT COLLATE "C",
  authorities      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  registered_at_ms BIGINT NOT NULL,
  last_seen_at_ms  BIGINT NOT NULL
);

CREATE INDEX agents_by_service ON agents(service);

CREATE TABLE traces (
  trace_id        TEXT COLLATE "C" PRIMARY KEY,
  name            TEXT COLLATE "C",
  status          TEXT COLLATE "C" NOT NULL DEFAULT 'ok',
  services        TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  started_at_us   BIGINT,
  duration_us     BIGINT,
  trigger_kind    TEXT COLLATE "C",
  trigger_reason  TEXT COLLATE "C",
  trigger_service TEXT COLLATE "C",
  triggered_at_ms BIGINT,
  completed_at_ms BIGINT,
  updated_at_ms   BIGINT NOT NULL,
  span_count      INTEGER NOT NULL DEFAULT 0,
  message_count   INTEGER NOT NULL DEFAULT 0,
  log_count       INTEGER NOT NULL DEFAULT 0,
  created_at_ms   BIGINT,
  fingerprint     TEXT COLLATE "C",
  group_service   TEXT COLLATE "C",
  group_endpoint  TEXT COLLATE "C",
  group_problem   TEXT COLLATE "C",
  group_kind      TEXT COLLATE "C"
);

CREATE INDEX traces_by_start ON traces(started_at_us, trace_id);
CREATE INDEX traces_by_status_start ON traces(status, started_at_us, trace_id);
CREATE INDEX traces_by_fingerprint ON traces(fingerprint, started_at_us, trace_id);

CREATE TABLE triggers (
  trace_id       TEXT COLLATE "C" NOT NULL,
  agent_id       TEXT COLLATE "C" NOT NULL,
  service        TEXT COLLATE "C" NOT NULL,
  kind           TEXT COLLATE "C" NOT NULL,
  reason         TEXT COLLATE "C" NOT NULL DEFAULT '',
  at_ms          BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  PRIMARY KEY (trace_id, agent_id, kind, at_ms, reason)
);

CREATE TABLE spans (
  trace_id       TEXT COLLATE "C" NOT NULL,
  span_id        TEXT COLLATE "C" NOT NULL,
  agent_id       TEXT COLLATE "C" NOT NULL,
  service        TEXT COLLATE "C" NOT NULL,
  parent_span_id TEXT COLLATE "C",
  name           TEXT COLLATE "C",
  kind           TEXT COLLATE "C" NOT NULL,
  status         TEXT COLLATE "C" NOT NULL,
  start_us       BIGINT NOT NULL,
  end_us         BIGINT,
  json           TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);

CREATE INDEX spans_for_stats ON spans(name, service, kind, start_us, end_us);

CREATE TABLE messages (
  trace_id      TEXT COLLATE "C" NOT NULL,
  agent_id      TEXT COLLATE "C" NOT NULL,
  seq           BIGINT NOT NULL,
  service       TEXT COLLATE "C" NOT NULL,
  span_id       TEXT COLLATE "C",
  direction     TEXT COLLATE "C" NOT NULL,
  method        TEXT COLLATE "C" NOT NULL,
  url           TEXT COLLATE "C",
  status        INTEGER NOT NULL,
  start_us      BIGINT NOT NULL,
  duration_us   BIGINT,
  request_body  TEXT COLLATE "C",
  response_body TEXT COLLATE "C",
  json          TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (trace_id, agent_id, seq)
);

CREATE TABLE logs (
  trace_id TEXT COLLATE "C" NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL,
  seq      BIGINT NOT NULL,
  service  TEXT COLLATE "C" NOT NULL,
  span_id  TEXT COLLATE "C",
  time_us  BIGINT NOT NULL,
  level    TEXT COLLATE "C" NOT NULL,
  logger   TEXT COLLATE "C",
  message  TEXT COLLATE "C",
  json     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (trace_id, agent_id, seq)
);

CREATE TABLE breadcrumbs (
  trace_id      TEXT COLLATE "C" NOT NULL,
  agent_id      TEXT COLLATE "C" NOT NULL,
  service       TEXT COLLATE "C" NOT NULL,
  role          TEXT COLLATE "C" NOT NULL,
  peer_agent_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  authority     TEXT COLLATE "C" NOT NULL DEFAULT '',
  span_id       TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (trace_id, agent_id, role, peer_agent_id, authority, span_id)
);

CREATE TABLE triage (
  fingerprint   TEXT COLLATE "C" PRIMARY KEY,
  mark          TEXT COLLATE "C" NOT NULL DEFAULT 'none',
  level         TEXT COLLATE "C" NOT NULL DEFAULT 'none',
  note          TEXT COLLATE "C",
  updated_at_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
  id_sha256     TEXT PRIMARY KEY,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);

CREATE TABLE export_queue (
  trace_id           TEXT COLLATE "C" NOT NULL,
  exporter           TEXT COLLATE "C" NOT NULL,
  enqueued_at_ms     BIGINT NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms BIGINT,
  last_error         TEXT COLLATE "C",
  dead_at_ms         BIGINT,
  PRIMARY KEY (trace_id, exporter)
);

CREATE INDEX export_queue_due ON export_queue(exporter, next_attempt_at_ms);
CREATE INDEX export_queue_dead ON export_queue(exporter, dead_at_ms);

CREATE TABLE counted_triggers (
  trace_id       TEXT COLLATE "C" NOT NULL,
  agent_id       TEXT COLLATE "C" NOT NULL,
  service        TEXT COLLATE "C" NOT NULL,
  kind           TEXT COLLATE "C" NOT NULL,
  endpoint       TEXT COLLATE "C" NOT NULL,
  problem        TEXT COLLATE "C" NOT NULL,
  fingerprint    TEXT COLLATE "C" NOT NULL,
  at_ms          BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  PRIMARY KEY (trace_id, agent_id, kind)
);

CREATE INDEX counted_triggers_by_received ON counted_triggers(received_at_ms);

CREATE TABLE group_counts (
  fingerprint TEXT COLLATE "C" NOT NULL,
  minute_ms   BIGINT NOT NULL,
  service     TEXT COLLATE "C" NOT NULL,
  endpoint    TEXT COLLATE "C" NOT NULL,
  problem     TEXT COLLATE "C" NOT NULL,
  kind        TEXT COLLATE "C" NOT NULL,
  occurrences BIGINT NOT NULL,
  first_at_ms BIGINT NOT NULL,
  last_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (fingerprint, minute_ms)
);
