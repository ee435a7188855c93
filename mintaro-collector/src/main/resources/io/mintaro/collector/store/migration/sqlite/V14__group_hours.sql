-- Schema 14: each group's stored traces per hour of their start, for charts over long ranges.
-- A chart's bucket reads the whole hours inside it from here and only the partial hours at its
-- edges from traces_by_fingerprint, so its cost follows the buckets, not the traces in the range.
-- Kept by triggers on every write of traces, as group_stats (schema 10) is.
CREATE TABLE group_hours (
  fingerprint TEXT NOT NULL,
  hour_ms     INTEGER NOT NULL,
  traces      INTEGER NOT NULL,
  PRIMARY KEY (fingerprint, hour_ms)
) WITHOUT ROWID;

INSERT INTO group_hours(fingerprint, hour_ms, traces)
SELECT fingerprint, (started_at_us / 3600000000) * 3600000, count(*) FROM traces
WHERE fingerprint IS NOT NULL AND started_at_us IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER group_hours_insert AFTER INSERT ON traces
WHEN NEW.fingerprint IS NOT NULL AND NEW.started_at_us IS NOT NULL
BEGIN
  INSERT INTO group_hours(fingerprint, hour_ms, traces)
  VALUES (NEW.fingerprint, (NEW.started_at_us / 3600000000) * 3600000, 1)
  ON CONFLICT(fingerprint, hour_ms) DO UPDATE SET traces = traces + 1;
END;

CREATE TRIGGER group_hours_delete AFTER DELETE ON traces
WHEN OLD.fingerprint IS NOT NULL AND OLD.started_at_us IS NOT NULL
BEGIN
  UPDATE group_hours SET traces = traces - 1
  WHERE fingerprint = OLD.fingerprint AND hour_ms = (OLD.started_at_us / 3600000000) * 3600000;
END;

CREATE TRIGGER group_hours_update AFTER UPDATE OF fingerprint, started_at_us ON traces
WHEN OLD.fingerprint IS NOT NEW.fingerprint OR OLD.started_at_us IS NOT NEW.started_at_us
BEGIN
  UPDATE group_hours SET traces = traces - 1
  WHERE OLD.fingerprint IS NOT NULL AND OLD.started_at_us IS NOT NULL
    AND fingerprint = OLD.fingerprint AND hour_ms = (OLD.started_at_us / 3600000000) * 3600000;
  INSERT INTO group_hours(fingerprint, hour_ms, traces)
  SELECT NEW.fingerprint, (NEW.started_at_us / 3600000000) * 3600000, 1
  WHERE NEW.fingerprint IS NOT NULL AND NEW.started_at_us IS NOT NULL
  ON CONFLICT(fingerprint, hour_ms) DO UPDATE SET traces = traces + 1;
END;
