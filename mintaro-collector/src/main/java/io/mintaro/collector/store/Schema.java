package io.mintaro.collector.store;

import java.util.List;

/**
 * DDL of the store; documented in {@code docs/storage.md}. A new database runs {@link #V1} and then
 * every migration in order, so new and migrated databases always have the same schema.
 */
final class Schema {
    private Schema() {
    }

    /** Schema version 1, as released. Never edit: databases of that version exist. */
    static final List<String> V1 = List.of(
            """
            CREATE TABLE IF NOT EXISTS meta (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS agents (
              agent_id         TEXT PRIMARY KEY,
              service          TEXT NOT NULL,
              host             TEXT,
              pid              INTEGER,
              sdk              TEXT,
              authorities      TEXT NOT NULL DEFAULT '[]',
              registered_at_ms INTEGER NOT NULL,
              last_seen_at_ms  INTEGER NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS agents_by_service ON agents(service)",
            """
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
            )""",
            "CREATE INDEX IF NOT EXISTS traces_by_start ON traces(started_at_us)",
            "CREATE INDEX IF NOT EXISTS traces_by_status_start ON traces(status, started_at_us)",
            """
            CREATE TABLE IF NOT EXISTS triggers (
              trace_id       TEXT NOT NULL,
              agent_id       TEXT NOT NULL,
              service        TEXT NOT NULL,
              kind           TEXT NOT NULL,
              reason         TEXT NOT NULL DEFAULT '',
              at_ms          INTEGER NOT NULL,
              received_at_ms INTEGER NOT NULL,
              PRIMARY KEY (trace_id, agent_id, kind, at_ms, reason)
            )""",
            """
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
            )""",
            """
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
            )""",
            """
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
            )""",
            """
            CREATE TABLE IF NOT EXISTS breadcrumbs (
              trace_id      TEXT NOT NULL,
              agent_id      TEXT NOT NULL,
              service       TEXT NOT NULL,
              role          TEXT NOT NULL,
              peer_agent_id TEXT NOT NULL DEFAULT '',
              authority     TEXT NOT NULL DEFAULT '',
              span_id       TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (trace_id, agent_id, role, peer_agent_id, authority, span_id)
            )""");

    /**
     * Version 1 to 2: error groups (fingerprint and group columns on {@code traces}, filled by
     * {@code Store} for existing traces), triage, browser sessions, and indexes for pages and
     * statistics.
     */
    static final List<String> V1_TO_V2 = List.of(
            "ALTER TABLE traces ADD COLUMN created_at_ms INTEGER",
            "ALTER TABLE traces ADD COLUMN fingerprint TEXT",
            "ALTER TABLE traces ADD COLUMN group_service TEXT",
            "ALTER TABLE traces ADD COLUMN group_endpoint TEXT",
            "ALTER TABLE traces ADD COLUMN group_problem TEXT",
            "ALTER TABLE traces ADD COLUMN group_kind TEXT",
            // Pages are ordered by (started_at_us DESC, trace_id DESC): the index holds both.
            "DROP INDEX IF EXISTS traces_by_start",
            "DROP INDEX IF EXISTS traces_by_status_start",
            "CREATE INDEX traces_by_start ON traces(started_at_us, trace_id)",
            "CREATE INDEX traces_by_status_start ON traces(status, started_at_us, trace_id)",
            "CREATE INDEX traces_by_fingerprint ON traces(fingerprint, started_at_us, trace_id)",
            // Covers /api/slow: read in group order, so it needs no sort and never reads the spans' JSON.
            // It starts with the name so that queries of one trace ("its server spans of service S")
            // keep using the primary key instead of scanning every server span of S.
            "CREATE INDEX spans_for_stats ON spans(name, service, kind, start_us, end_us)",
            """
            CREATE TABLE triage (
              fingerprint   TEXT PRIMARY KEY,
              mark          TEXT NOT NULL DEFAULT 'none',
              level         TEXT NOT NULL DEFAULT 'none',
              note          TEXT,
              updated_at_ms INTEGER NOT NULL
            )""",
            """
            CREATE TABLE sessions (
              id_sha256     TEXT PRIMARY KEY,
              created_at_ms INTEGER NOT NULL,
              expires_at_ms INTEGER NOT NULL
            )""",
            "CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms)");

    /**
     * Version 2 to 3: the export queue. A row per (trace, exporter) waits until the exporter took
     * the trace; {@code next_attempt_at_ms} NULL marks a dead letter.
     */
    static final List<String> V2_TO_V3 = List.of(
            """
            CREATE TABLE export_queue (
              trace_id           TEXT NOT NULL,
              exporter           TEXT NOT NULL,
              enqueued_at_ms     INTEGER NOT NULL,
              attempts           INTEGER NOT NULL DEFAULT 0,
              next_attempt_at_ms INTEGER,
              last_error         TEXT,
              dead_at_ms         INTEGER,
              PRIMARY KEY (trace_id, exporter)
            )""",
            "CREATE INDEX export_queue_due ON export_queue(exporter, next_attempt_at_ms)",
            "CREATE INDEX export_queue_dead ON export_queue(exporter, dead_at_ms)");

    /**
     * Version 3 to 4: counted triggers (protocol, "Counted triggers"). {@code group_counts} counts
     * the occurrences whose trace is not stored, per group and minute; {@code counted_triggers}
     * keeps their trace ids, with the group the counting agent named, for the count window (see
     * {@code Counts}).
     */
    static final List<String> V3_TO_V4 = List.of(
            """
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
            )""",
            // The end of count windows takes the oldest arrivals: a range of this index, never a scan.
            "CREATE INDEX counted_triggers_by_received ON counted_triggers(received_at_ms)",
            """
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
            )""");
}
