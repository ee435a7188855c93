-- Version 10: reads that do not walk every stored trace (issue 13: with 1,000,000 traces the
-- dashboard, a group's traces and /api/slow answer as fast as with 10,000; docs/scaling.md).
-- The same tables, indexes and rules as SQLite's V10 (whose comments explain each column); the
-- triggers are PL/pgSQL functions here.
--   Concurrent writers: a trace's change first updates its group's counters (taking the row's
--   lock, waiting for any other writer of that group to commit), then reads the group's times
--   back in a statement of its own, whose snapshot sees every writer that held the lock before.
--   Writers of one group therefore commit one after the other; a deadlock between two batches
--   that touch the same two groups in opposite orders is retried as any other (40P01).

CREATE TABLE group_stats (
  fingerprint      TEXT COLLATE "C" PRIMARY KEY,
  namespace        TEXT COLLATE "C" NOT NULL DEFAULT 'default',
  service          TEXT COLLATE "C",
  endpoint         TEXT COLLATE "C",
  problem          TEXT COLLATE "C",
  kind             TEXT COLLATE "C",
  traces           BIGINT NOT NULL DEFAULT 0,
  new_traces       BIGINT NOT NULL DEFAULT 0,
  first_us         BIGINT,
  last_us          BIGINT,
  last_trace_id    TEXT COLLATE "C",
  counted_rows     BIGINT NOT NULL DEFAULT 0,
  counted          BIGINT NOT NULL DEFAULT 0,
  counted_first_ms BIGINT,
  counted_last_ms  BIGINT
);

INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind, traces, new_traces, first_us,
  last_us)
SELECT t.fingerprint, min(t.namespace), min(t.group_service), min(t.group_endpoint), min(t.group_problem), min(t.group_kind), count(*),
  count(CASE WHEN t.created_at_ms > coalesce(tr.updated_at_ms, -1) THEN 1 END),
  min(t.started_at_us), max(t.started_at_us)
FROM traces t LEFT JOIN triage tr ON tr.fingerprint = t.fingerprint
WHERE t.fingerprint IS NOT NULL GROUP BY t.fingerprint;

INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind, counted_rows, counted,
  counted_first_ms, counted_last_ms)
SELECT fingerprint, min(namespace), min(service), min(endpoint), min(problem), min(kind), count(*), sum(occurrences),
  min(first_at_ms), max(last_at_ms)
FROM group_counts GROUP BY fingerprint
ON CONFLICT(fingerprint) DO UPDATE SET counted_rows = excluded.counted_rows, counted = excluded.counted,
  counted_first_ms = excluded.counted_first_ms, counted_last_ms = excluded.counted_last_ms;

DROP INDEX spans_for_stats;

CREATE INDEX spans_by_start ON spans(namespace, start_us, end_us, service, name, kind);

CREATE INDEX group_counts_by_last ON group_counts(fingerprint, last_at_ms);

CREATE INDEX group_counts_by_time ON group_counts(namespace, last_at_ms, first_at_ms);

CREATE INDEX group_stats_by_namespace ON group_stats(namespace, kind);

-- Reads a group's trace times back from traces_by_fingerprint (three probes).
CREATE FUNCTION group_stats_times(fp TEXT) RETURNS void LANGUAGE sql VOLATILE AS $$
  UPDATE group_stats SET
    first_us = (SELECT started_at_us FROM traces WHERE fingerprint = fp AND started_at_us IS NOT NULL
      ORDER BY started_at_us, trace_id LIMIT 1),
    last_us = (SELECT started_at_us FROM traces WHERE fingerprint = fp AND started_at_us IS NOT NULL
      ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
    last_trace_id = coalesce(
      (SELECT trace_id FROM traces WHERE fingerprint = fp AND started_at_us IS NOT NULL
       ORDER BY started_at_us DESC, trace_id DESC LIMIT 1),
      (SELECT trace_id FROM traces WHERE fingerprint = fp AND started_at_us IS NULL
       ORDER BY trace_id DESC LIMIT 1))
  WHERE fingerprint = fp;
$$;

SELECT group_stats_times(fingerprint) FROM group_stats WHERE traces > 0;

-- One more (delta 1) or one fewer (-1) trace in a group, created at createdMs.
CREATE FUNCTION group_stats_add(fp TEXT, delta INTEGER, created_ms BIGINT) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  UPDATE group_stats SET traces = traces + delta,
    new_traces = new_traces + CASE WHEN created_ms
      > coalesce((SELECT updated_at_ms FROM triage WHERE fingerprint = fp), -1) THEN delta ELSE 0 END
  WHERE fingerprint = fp;
  PERFORM group_stats_times(fp);
END;
$$;

CREATE FUNCTION group_stats_trace_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.fingerprint IS NOT NULL THEN
    PERFORM group_stats_add(OLD.fingerprint, -1, OLD.created_at_ms);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.fingerprint IS NOT NULL THEN
    INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind)
    VALUES (NEW.fingerprint, NEW.namespace, NEW.group_service, NEW.group_endpoint, NEW.group_problem, NEW.group_kind)
    ON CONFLICT(fingerprint) DO NOTHING;
    PERFORM group_stats_add(NEW.fingerprint, 1, NEW.created_at_ms);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER group_stats_trace_insert_delete AFTER INSERT OR DELETE ON traces
FOR EACH ROW EXECUTE FUNCTION group_stats_trace_change();

CREATE TRIGGER group_stats_trace_update AFTER UPDATE OF fingerprint, started_at_us, created_at_ms ON traces
FOR EACH ROW WHEN (OLD.fingerprint IS DISTINCT FROM NEW.fingerprint
  OR OLD.started_at_us IS DISTINCT FROM NEW.started_at_us OR OLD.created_at_ms IS DISTINCT FROM NEW.created_at_ms)
EXECUTE FUNCTION group_stats_trace_change();

-- Counts change the occurrences and times of a minute row, never its key.
CREATE FUNCTION group_stats_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO group_stats(fingerprint, namespace, service, endpoint, problem, kind)
    VALUES (NEW.fingerprint, NEW.namespace, NEW.service, NEW.endpoint, NEW.problem, NEW.kind)
    ON CONFLICT(fingerprint) DO NOTHING;
    UPDATE group_stats SET counted_rows = counted_rows + 1, counted = counted + NEW.occurrences,
      counted_first_ms = least(counted_first_ms, NEW.first_at_ms),
      counted_last_ms = greatest(counted_last_ms, NEW.last_at_ms)
    WHERE fingerprint = NEW.fingerprint;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE group_stats SET counted = counted + NEW.occurrences - OLD.occurrences,
      counted_first_ms = least(counted_first_ms, NEW.first_at_ms),
      counted_last_ms = greatest(counted_last_ms, NEW.last_at_ms)
    WHERE fingerprint = NEW.fingerprint;
  ELSE
    UPDATE group_stats SET counted_rows = counted_rows - 1, counted = counted - OLD.occurrences
    WHERE fingerprint = OLD.fingerprint;
    -- A first_at_ms is in its row's minute, so the earliest minute holds the earliest.
    UPDATE group_stats SET
      counted_first_ms = (SELECT first_at_ms FROM group_counts WHERE fingerprint = OLD.fingerprint
        ORDER BY minute_ms LIMIT 1),
      counted_last_ms = (SELECT last_at_ms FROM group_counts WHERE fingerprint = OLD.fingerprint
        ORDER BY last_at_ms DESC LIMIT 1)
    WHERE fingerprint = OLD.fingerprint;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER group_stats_count_insert_delete AFTER INSERT OR DELETE ON group_counts
FOR EACH ROW EXECUTE FUNCTION group_stats_count_change();

CREATE TRIGGER group_stats_count_update AFTER UPDATE OF occurrences, first_at_ms, last_at_ms ON group_counts
FOR EACH ROW EXECUTE FUNCTION group_stats_count_change();
