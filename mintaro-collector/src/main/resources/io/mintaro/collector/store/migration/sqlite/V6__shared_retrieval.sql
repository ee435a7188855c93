-- Version 6: the retrieval's state moves from a collector's memory into the database, so that it
-- survives a restart and is shared by every collector on the database (docs/replicas.md).
--   traces.collect_until_ms: while a trace is being collected, the time its collection ends
--     unless an answer comes first; NULL once it is complete (completed_at_ms keeps the first
--     completion: a late breadcrumb reopens the collection without unsetting it).
--   collection_asks: which agents were asked for which trace, when the ask reached the agent's
--     open poll, and when the agent answered.
--   collection_callees: called authorities no registered agent serves yet; an agent registering
--     with one is asked.
--   agent_authorities: which agents serve which host:port, for callees known only by authority.

ALTER TABLE traces ADD COLUMN collect_until_ms INTEGER;

-- Traces left incomplete by a collector before this version: their state was in memory and is
-- gone; they complete at the next sweep.
UPDATE traces SET collect_until_ms = 0 WHERE completed_at_ms IS NULL;

CREATE INDEX traces_collecting ON traces(collect_until_ms) WHERE collect_until_ms IS NOT NULL;

CREATE TABLE collection_asks (
  trace_id        TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  asked_at_ms     INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  answered_at_ms  INTEGER,
  PRIMARY KEY (trace_id, agent_id)
);

CREATE INDEX collection_asks_waiting ON collection_asks(agent_id, trace_id) WHERE answered_at_ms IS NULL;

CREATE TABLE collection_callees (
  trace_id    TEXT NOT NULL,
  authority   TEXT NOT NULL,
  since_ms    INTEGER NOT NULL,
  PRIMARY KEY (trace_id, authority)
);

CREATE INDEX collection_callees_by_authority ON collection_callees(authority);

CREATE TABLE agent_authorities (
  authority TEXT NOT NULL,
  agent_id  TEXT NOT NULL,
  service   TEXT NOT NULL,
  PRIMARY KEY (authority, agent_id)
);

CREATE INDEX agent_authorities_by_agent ON agent_authorities(agent_id);
