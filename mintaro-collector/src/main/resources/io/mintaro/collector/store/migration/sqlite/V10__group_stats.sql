-- Version 10: reads that do not walk every stored trace (issue 13: with 1,000,000 traces the
-- dashboard, a group's traces and /api/slow answer as fast as with 10,000; docs/scaling.md).
--   group_stats: one row per error group with what the dashboard shows of it over all time, kept
--     by the triggers below on every write of traces and group_counts (ingest, retention, any
--     other), so that the unfiltered group list reads one row per group, not every trace:
--       namespace: the group's (schema 8: fingerprints hash the namespace, so a group has one),
--         from traces.namespace and group_counts.namespace; every read filters by it;
--       traces, new_traces: its stored traces, and those created after its last triage change;
--       first_us, last_us, last_trace_id: its earliest and latest trace start, and the trace that
--         started last (ties: the greatest id; traces without a start count as starting at 0;
--         its storage key, "<namespace>/<id>" outside 'default', as traces.trace_id);
--       counted_rows, counted, counted_first_ms, counted_last_ms: its group_counts rows, their
--         occurrences, and their earliest first_at_ms and latest last_at_ms.
--     Times that can only grow are updated in place; after a trace leaves (another group, a
--     delete) or moves, they are read back from traces_by_fingerprint with one probe each.
--   group_stats_by_namespace: a namespace's groups (the group list of one namespace).
--   spans_by_start: /api/slow reads the spans of its namespace and time range, not every span
--     (spans_for_stats led with the namespace and the name, so that a range of start_us was a
--     walk of the namespace's whole index).
--   group_counts_by_last: the latest counted occurrence of a group, when a minute row is deleted;
--   group_counts_by_time: counted occurrences of a namespace and time range (the dashboard's
--     "seen" filter).

CREATE TABLE group_stats (
  fingerprint      TEXT PRIMARY KEY,
  namespace        TEXT NOT NULL DEFAULT 'default',
  service          TEXT,
  endpoint         TEXT,
  problem          TEXT,
  kind             TEXT,
  traces           INTEGER NOT NULL DEFAULT 0,
  new_traces       INTEGER NOT NULL DEFAULT 0,
  first_us         INTEGER,
  last_us          INTEGER,
  last_trace_id    TEXT,
  counted_rows     INTEGER NOT NULL DEFAULT 0,
  counted          INTEGER NOT NULL DEFAULT 0,
  counted_first_ms INTEGER,
  counted_last_ms  INTEGER
);

INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind, traces, new_traces, first_us,
  last_us)
SELECT t.fingerprint, min(t.namespace), min(t.group_service), min(t.group_endpoint), min(t.group_problem), min(t.group_kind), count(*),
  count(CASE WHEN t.created_at_ms > coalesce(tr.updated_at_ms, -1) THEN 1 END),
  min(t.started_at_us), max(t.started_at_us)
FROM traces t LEFT JOIN triage tr ON tr.fingerprint = t.fingerprint
WHERE t.fingerprint IS NOT NULL GROUP BY t.fingerprint;

UPDATE group_stats SET last_trace_id = coalesce(
  (SELECT trace_id FROM traces WHERE fingerprint = group_stats.fingerprint AND started_at_us IS NOT NULL
   ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
  (SELECT trace_id FROM traces WHERE fingerprint = group_stats.fingerprint AND started_at_us IS NULL
   ORDER BY trace_id DESC LIMIT 1));

INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind, counted_rows, counted,
  counted_first_ms, counted_last_ms)
SELECT fingerprint, min(namespace), min(service), min(endpoint), min(problem), min(kind), count(*), sum(occurrences),
  min(first_at_ms), max(last_at_ms)
FROM group_counts WHERE true GROUP BY fingerprint
ON CONFLICT(fingerprint) DO UPDATE SET counted_rows = excluded.counted_rows, counted = excluded.counted,
  counted_first_ms = excluded.counted_first_ms, counted_last_ms = excluded.counted_last_ms;

DROP INDEX spans_for_stats;

CREATE INDEX spans_by_start ON spans(namespace, start_us, end_us, service, name, kind);

CREATE INDEX group_counts_by_last ON group_counts(fingerprint, last_at_ms);

CREATE INDEX group_counts_by_time ON group_counts(namespace, last_at_ms, first_at_ms);

CREATE INDEX group_stats_by_namespace ON group_stats(namespace, kind);

-- A trace joins a group: one more trace (and a new one when created after the triage).
CREATE TRIGGER group_stats_trace_insert AFTER INSERT ON traces WHEN NEW.fingerprint IS NOT NULL
BEGIN
  INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind)
  VALUES (NEW.fingerprint, NEW.namespace, NEW.group_service, NEW.group_endpoint, NEW.group_problem, NEW.group_kind)
  ON CONFLICT(fingerprint) DO NOTHING;
  UPDATE group_stats SET traces = traces + 1,
    new_traces = new_traces + CASE WHEN NEW.created_at_ms
      > coalesce((SELECT updated_at_ms FROM triage WHERE fingerprint = NEW.fingerprint), -1) THEN 1 ELSE 0 END,
    first_us = CASE WHEN first_us IS NULL OR NEW.started_at_us < first_us THEN coalesce(NEW.started_at_us, first_us)
      ELSE first_us END,
    last_us = CASE WHEN last_us IS NULL OR NEW.started_at_us > last_us THEN coalesce(NEW.started_at_us, last_us)
      ELSE last_us END,
    last_trace_id = coalesce(
      (SELECT trace_id FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NOT NULL
       ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
      (SELECT trace_id FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NULL
       ORDER BY trace_id DESC LIMIT 1))
  WHERE fingerprint = NEW.fingerprint;
END;

-- A trace moves (its group, its start or its creation changed): it leaves its old group and joins
-- its new one; the old group's times are read back.
CREATE TRIGGER group_stats_trace_update AFTER UPDATE OF fingerprint, started_at_us, created_at_ms ON traces
WHEN OLD.fingerprint IS NOT NEW.fingerprint OR OLD.started_at_us IS NOT NEW.started_at_us
  OR OLD.created_at_ms IS NOT NEW.created_at_ms
BEGIN
  UPDATE group_stats SET traces = traces - 1,
    new_traces = new_traces - CASE WHEN OLD.created_at_ms
      > coalesce((SELECT updated_at_ms FROM triage WHERE fingerprint = OLD.fingerprint), -1) THEN 1 ELSE 0 END,
    first_us = (SELECT started_at_us FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us, trace_id LIMIT 1),
    last_us = (SELECT started_at_us FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
    last_trace_id = coalesce(
      (SELECT trace_id FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
       ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
      (SELECT trace_id FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NULL
       ORDER BY trace_id DESC LIMIT 1))
  WHERE fingerprint = OLD.fingerprint;
  INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind)
  SELECT NEW.fingerprint, NEW.namespace, NEW.group_service, NEW.group_endpoint, NEW.group_problem, NEW.group_kind
  WHERE NEW.fingerprint IS NOT NULL
  ON CONFLICT(fingerprint) DO NOTHING;
  UPDATE group_stats SET traces = traces + 1,
    new_traces = new_traces + CASE WHEN NEW.created_at_ms
      > coalesce((SELECT updated_at_ms FROM triage WHERE fingerprint = NEW.fingerprint), -1) THEN 1 ELSE 0 END,
    first_us = (SELECT started_at_us FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us, trace_id LIMIT 1),
    last_us = (SELECT started_at_us FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
    last_trace_id = coalesce(
      (SELECT trace_id FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NOT NULL
       ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
      (SELECT trace_id FROM traces WHERE fingerprint = NEW.fingerprint AND started_at_us IS NULL
       ORDER BY trace_id DESC LIMIT 1))
  WHERE fingerprint = NEW.fingerprint;
END;

-- A trace is deleted: its group keeps its row (and its counted occurrences), one trace fewer.
CREATE TRIGGER group_stats_trace_delete AFTER DELETE ON traces WHEN OLD.fingerprint IS NOT NULL
BEGIN
  UPDATE group_stats SET traces = traces - 1,
    new_traces = new_traces - CASE WHEN OLD.created_at_ms
      > coalesce((SELECT updated_at_ms FROM triage WHERE fingerprint = OLD.fingerprint), -1) THEN 1 ELSE 0 END,
    first_us = (SELECT started_at_us FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us, trace_id LIMIT 1),
    last_us = (SELECT started_at_us FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
      ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
    last_trace_id = coalesce(
      (SELECT trace_id FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NOT NULL
       ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
      (SELECT trace_id FROM traces WHERE fingerprint = OLD.fingerprint AND started_at_us IS NULL
       ORDER BY trace_id DESC LIMIT 1))
  WHERE fingerprint = OLD.fingerprint;
END;

CREATE TRIGGER group_stats_count_insert AFTER INSERT ON group_counts
BEGIN
  INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind)
  VALUES (NEW.fingerprint, NEW.namespace, NEW.service, NEW.endpoint, NEW.problem, NEW.kind)
  ON CONFLICT(fingerprint) DO NOTHING;
  UPDATE group_stats SET counted_rows = counted_rows + 1, counted = counted + NEW.occurrences,
    counted_first_ms = min(coalesce(counted_first_ms, NEW.first_at_ms), NEW.first_at_ms),
    counted_last_ms = max(coalesce(counted_last_ms, NEW.last_at_ms), NEW.last_at_ms)
  WHERE fingerprint = NEW.fingerprint;
END;

-- Counts change the occurrences and times of a minute row, never its key.
CREATE TRIGGER group_stats_count_update AFTER UPDATE OF occurrences, first_at_ms, last_at_ms ON group_counts
BEGIN
  UPDATE group_stats SET counted = counted + NEW.occurrences - OLD.occurrences,
    counted_first_ms = min(coalesce(counted_first_ms, NEW.first_at_ms), NEW.first_at_ms),
    counted_last_ms = max(coalesce(counted_last_ms, NEW.last_at_ms), NEW.last_at_ms)
  WHERE fingerprint = NEW.fingerprint;
END;

-- A minute row is deleted (all its occurrences were taken back): the group's counted times are
-- read back (a first_at_ms is in its row's minute, so the earliest minute holds the earliest).
CREATE TRIGGER group_stats_count_delete AFTER DELETE ON group_counts
BEGIN
  UPDATE group_stats SET counted_rows = counted_rows - 1, counted = counted - OLD.occurrences,
    counted_first_ms = (SELECT first_at_ms FROM group_counts WHERE fingerprint = OLD.fingerprint
      ORDER BY minute_ms LIMIT 1),
    counted_last_ms = (SELECT last_at_ms FROM group_counts WHERE fingerprint = OLD.fingerprint
      ORDER BY last_at_ms DESC LIMIT 1)
  WHERE fingerprint = OLD.fingerprint;
END;
