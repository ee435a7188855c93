-- Schema 14: each group's stored traces per hour of their start, for charts over long ranges.
-- A chart's bucket reads the whole hours inside it from here and only the partial hours at its
-- edges from traces_by_fingerprint, so its cost follows the buckets, not the traces in the range.
-- Kept by triggers on every write of traces, as group_stats (schema 10) is.
CREATE TABLE group_hours (
  fingerprint TEXT NOT NULL,
  hour_ms     BIGINT NOT NULL,
  traces      BIGINT NOT NULL,
  PRIMARY KEY (fingerprint, hour_ms)
);

INSERT INTO group_hours(fingerprint, hour_ms, traces)
SELECT fingerprint, (started_at_us / 3600000000) * 3600000, count(*) FROM traces
WHERE fingerprint IS NOT NULL AND started_at_us IS NOT NULL GROUP BY 1, 2;

CREATE FUNCTION group_hours_trace_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.fingerprint IS NOT NULL AND OLD.started_at_us IS NOT NULL THEN
    UPDATE group_hours SET traces = traces - 1
    WHERE fingerprint = OLD.fingerprint AND hour_ms = (OLD.started_at_us / 3600000000) * 3600000;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.fingerprint IS NOT NULL AND NEW.started_at_us IS NOT NULL THEN
    INSERT INTO group_hours(fingerprint, hour_ms, traces)
    VALUES (NEW.fingerprint, (NEW.started_at_us / 3600000000) * 3600000, 1)
    ON CONFLICT(fingerprint, hour_ms) DO UPDATE SET traces = group_hours.traces + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER group_hours_trace_insert_delete AFTER INSERT OR DELETE ON traces
FOR EACH ROW EXECUTE FUNCTION group_hours_trace_change();

CREATE TRIGGER group_hours_trace_update AFTER UPDATE OF fingerprint, started_at_us ON traces
FOR EACH ROW WHEN (OLD.fingerprint IS DISTINCT FROM NEW.fingerprint OR OLD.started_at_us IS DISTINCT FROM NEW.started_at_us)
EXECUTE FUNCTION group_hours_trace_change();
