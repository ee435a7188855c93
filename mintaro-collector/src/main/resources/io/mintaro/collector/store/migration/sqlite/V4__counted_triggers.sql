-- Version 3 to 4: counted triggers (protocol, "Counted triggers"). group_counts counts the
-- occurrences whose trace is not stored, per group and minute; counted_triggers keeps their trace
-- ids, with the group the counting agent named, for the count window (see Counts).

CREATE TABLE counted_triggers (
  trace_id       TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  service        TEXT NOT NULL,
  kind           TEXT NOT NULL,
  endpoint       TEXT NOT NULL,
  problem        TEXT NOT NULL,
  fingerprint    TEXT NOT NULL,
  at_ms          INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL,
  PRIMARY KEY (trace_id, agent_id, kind)
);

CREATE INDEX counted_triggers_by_received ON counted_triggers(received_at_ms);

CREATE TABLE group_counts (
  fingerprint TEXT NOT NULL,
  minute_ms   INTEGER NOT NULL,
  service     TEXT NOT NULL,
  endpoint    TEXT NOT NULL,
  problem     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  occurrences INTEGER NOT NULL,
  first_at_ms INTEGER NOT NULL,
  last_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (fingerprint, minute_ms)
);
