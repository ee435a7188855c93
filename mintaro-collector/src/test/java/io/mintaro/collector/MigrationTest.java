package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by a collector of schema version 1 or 3 opens in place: it is migrated to
 * version 7 (docs/storage.md), its traces are grouped, and it ends up with exactly the schema of a
 * new one.
 */
class MigrationTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final String CARD_TRACE = traceId(0xa01);
    static final String SLOW_TRACE = traceId(0xa02);
    static final long RECEIVED_MS = 1_763_700_000_500L;

    @TempDir
    Path dir;

    @Test
    void aVersion1DatabaseIsMigratedInPlaceAndItsTracesGrouped() throws Exception {
        Path db = dir.resolve("mintaro.db");
        writeVersion1Database(db);

        try (TestCollector c = TestCollector.start(dir)) {
            assertThat(query(db, "SELECT value FROM meta WHERE key = 'schema_version'")).containsExactly("7");

            JsonNode groups = c.getJson("/api/groups").get("groups");
            assertThat(groups).extracting(g -> g.get("name").asText()).containsExactly(
                    "slow in POST /payments", "java.lang.IllegalStateException in POST /payments");
            JsonNode card = groups.get(1);
            assertThat(card.get("fingerprint").asText())
                    .isEqualTo(GroupsTest.fingerprint("payments", "POST /payments", "java.lang.IllegalStateException"));
            assertThat(card.get("service").asText()).isEqualTo("payments");
            assertThat(card.get("count").asLong()).isEqualTo(1);
            assertThat(card.get("newSinceTriage").asLong()).isEqualTo(1);
            assertThat(card.get("lastTraceId").asText()).isEqualTo(CARD_TRACE);

            // The version 1 data is all there, with the version 2 features.
            JsonNode trace = c.trace(CARD_TRACE);
            assertThat(trace.get("spans")).hasSize(2);
            assertThat(trace.get("logs").get(0).get("error").get("type").asText())
                    .isEqualTo("java.lang.IllegalStateException");
            assertThat(c.getJson("/api/traces").get("total").asLong()).isEqualTo(2);
            assertThat(query(db, "SELECT created_at_ms FROM traces ORDER BY trace_id"))
                    .containsExactly(String.valueOf(RECEIVED_MS), String.valueOf(RECEIVED_MS + 1000));
            assertThat(c.api("PUT", "/api/groups/" + card.get("fingerprint").asText() + "/triage",
                    "{\"mark\": \"crash\"}").statusCode()).isEqualTo(200);
            assertThat(c.getJson("/api/slow?from=" + T0_US / 1000).get("endpoints")).hasSize(2);

            // New batches are stored and grouped as usual.
            c.register(PAYMENTS, "payments");
            String fresh = traceId(0xa03);
            c.postBatch(Records.trigger(GroupsTest.served(PAYMENTS, fresh, 1, null, "POST /payments", T0_US, 5_000, 503),
                    fresh, "error", "HTTP 503", T0_US / 1000));
            assertThat(c.getJson("/api/groups").get("total").asLong()).isEqualTo(3);
        }

        // A second start finds version 7 and changes nothing.
        try (TestCollector c = TestCollector.start(dir)) {
            assertThat(c.getJson("/api/groups?status=crash").get("groups")).hasSize(1);
        }
        assertThat(query(db, "SELECT value FROM meta WHERE key = 'schema_version'")).containsExactly("7");
    }

    @Test
    void aVersion3DatabaseIsMigratedInPlaceAndCountsTriggersFromThenOn() throws Exception {
        Path db = dir.resolve("mintaro.db");
        writeVersion3Database(db);

        try (TestCollector c = TestCollector.start(dir)) {
            assertThat(query(db, "SELECT value FROM meta WHERE key = 'schema_version'")).containsExactly("7");
            JsonNode groups = c.getJson("/api/groups?silenced=show").get("groups");
            assertThat(groups).extracting(g -> g.get("name").asText()).containsExactly(
                    "slow in POST /payments", "java.lang.IllegalStateException in POST /payments");
            JsonNode card = groups.get(1);
            assertThat(card.get("count").asLong()).isEqualTo(1);
            assertThat(card.get("occurrences").asLong()).isEqualTo(1);
            assertThat(card.get("traces").asLong()).isEqualTo(1);
            assertThat(card.get("triage").get("mark").asText()).isEqualTo("crash");
            // The export queue of version 3 is kept.
            assertThat(query(db, "SELECT exporter FROM export_queue")).containsExactly("zipkin");

            // The upgraded collector counts what agents count.
            c.register(PAYMENTS, "payments");
            ObjectNode counts = Records.batch(PAYMENTS);
            Records.more(Records.counted(counts, "error", "POST /payments", "java.lang.IllegalStateException"), 59,
                    T0_US / 1000 + 60_000);
            c.postBatch(counts);
            card = c.getJson("/api/groups/" + card.get("fingerprint").asText());
            assertThat(card.get("occurrences").asLong()).isEqualTo(60);
            assertThat(card.get("traces").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aMigratedDatabaseHasTheSchemaOfANewOne() throws Exception {
        Path v1 = dir.resolve("v1/mintaro.db");
        java.nio.file.Files.createDirectories(v1.getParent());
        writeVersion1Database(v1);
        Path v3 = dir.resolve("v3/mintaro.db");
        java.nio.file.Files.createDirectories(v3.getParent());
        writeVersion3Database(v3);
        for (String d : List.of("v1", "v3", "new")) {
            try (TestCollector c = TestCollector.start(dir.resolve(d))) {
                assertThat(c.collector.port()).isPositive();
            }
        }
        Map<String, String> created = schema(dir.resolve("new/mintaro.db"));
        assertThat(schema(v1)).isEqualTo(created);
        assertThat(schema(v3)).isEqualTo(created);
        assertThat(created).containsKeys("table triage", "table sessions", "index traces_by_fingerprint",
                "index spans_for_stats", "table export_queue", "index export_queue_due", "index export_queue_dead",
                "table counted_triggers", "index counted_triggers_by_received", "table group_counts",
                "index triggers_by_service", "index traces_by_trigger_service", "index group_counts_by_service");
        assertThat(created.get("table agents")).contains("version", "stats", "stats_at_ms");
        assertThat(created.get("table traces")).contains("fingerprint", "group_service", "group_endpoint",
                "group_problem", "group_kind", "created_at_ms");
    }

    /** What a collector of schema version 1 wrote: its DDL (frozen here) and two traces. */
    static void writeVersion1Database(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            for (String ddl : V1_DDL) {
                st.execute(ddl);
            }
            st.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')");
            st.execute("INSERT INTO meta(key, value) VALUES ('generated_api_key', 'mk_from_version_1')");
            st.execute("INSERT INTO agents VALUES ('" + ORDERS + "', 'orders', 'box-1', 42, '0.1.0', '[]', 1, 2)");
            st.execute("INSERT INTO agents VALUES ('" + PAYMENTS + "', 'payments', 'box-1', 43, '0.1.0', '[]', 1, 2)");

            // The demo's card error: payments logged an IllegalStateException and answered 500,
            // orders answered 502 later.
            trace(st, CARD_TRACE, "POST /orders", "error", "[\"orders\",\"payments\"]", 30_000, RECEIVED_MS);
            trigger(st, CARD_TRACE, PAYMENTS, "payments", "error", "ERROR bank declined the card", 10, RECEIVED_MS);
            trigger(st, CARD_TRACE, ORDERS, "orders", "error", "HTTP 502 from POST /orders", 20, RECEIVED_MS + 5);
            span(st, CARD_TRACE, "0000000000000001", ORDERS, "orders", null, "POST /orders", "failed",
                    T0_US, T0_US + 30_000, "{\"type\":\"HTTP 502\",\"message\":\"POST /orders\",\"stack\":null}");
            span(st, CARD_TRACE, "0000000000000002", PAYMENTS, "payments", "0000000000000001", "POST /payments",
                    "failed", T0_US + 1_000, T0_US + 20_000,
                    "{\"type\":\"HTTP 500\",\"message\":\"POST /payments\",\"stack\":null}");
            st.execute("INSERT INTO logs VALUES ('" + CARD_TRACE + "', '" + PAYMENTS + "', 7, 'payments', "
                    + "'0000000000000002', " + (T0_US + 5_000) + ", 'ERROR', 'demo.payments', 'bank declined the card', "
                    + "'{\"seq\":7,\"spanId\":\"0000000000000002\",\"timeUs\":" + (T0_US + 5_000) + ",\"level\":\"ERROR\","
                    + "\"logger\":\"demo.payments\",\"thread\":\"qtp-1\",\"message\":\"bank declined the card\","
                    + "\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"card declined\","
                    + "\"stack\":\"at Payments\"},\"service\":\"payments\",\"agentId\":\"" + PAYMENTS + "\"}')");

            trace(st, SLOW_TRACE, "POST /payments", "slow", "[\"payments\"]", 1_500_000, RECEIVED_MS + 1000);
            trigger(st, SLOW_TRACE, PAYMENTS, "payments", "slow", "slow: POST /payments", 60_000, RECEIVED_MS + 1000);
            span(st, SLOW_TRACE, "0000000000000003", PAYMENTS, "payments", null, "POST /payments", "succeeded",
                    T0_US + 60_000_000, T0_US + 61_500_000, null);
        }
    }

    /**
     * What a collector of schema version 3 wrote: version 1's database, its two migrations (frozen
     * copies), the traces grouped as that collector grouped them, a triage and an export queue.
     */
    static void writeVersion3Database(Path db) throws SQLException {
        writeVersion1Database(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String ddl : V1_TO_V3_DDL) {
                st.execute(ddl);
            }
            group(st, CARD_TRACE, "payments", "POST /payments", "java.lang.IllegalStateException", "error");
            group(st, SLOW_TRACE, "payments", "POST /payments", "slow", "slow");
            st.execute("UPDATE traces SET created_at_ms = updated_at_ms");
            st.execute("INSERT INTO triage VALUES ('" + GroupsTest.fingerprint("payments", "POST /payments",
                    "java.lang.IllegalStateException") + "', 'crash', 'none', NULL, " + RECEIVED_MS + ")");
            st.execute("INSERT INTO export_queue(trace_id, exporter, enqueued_at_ms, attempts, next_attempt_at_ms) "
                    + "VALUES ('" + CARD_TRACE + "', 'zipkin', " + RECEIVED_MS + ", 0, " + RECEIVED_MS + ")");
            st.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
        }
    }

    static void group(Statement st, String traceId, String service, String endpoint, String problem, String kind)
            throws SQLException {
        st.execute("UPDATE traces SET fingerprint = '" + GroupsTest.fingerprint(service, endpoint, problem)
                + "', group_service = '" + service + "', group_endpoint = '" + endpoint + "', group_problem = '"
                + problem + "', group_kind = '" + kind + "' WHERE trace_id = '" + traceId + "'");
    }

    static void trace(Statement st, String traceId, String name, String status, String services, long durationUs,
                      long receivedMs) throws SQLException {
        st.execute("INSERT INTO traces(trace_id, name, status, services, started_at_us, duration_us, trigger_kind, "
                + "triggered_at_ms, completed_at_ms, updated_at_ms, span_count, message_count, log_count) VALUES ('"
                + traceId + "', '" + name + "', '" + status + "', '" + services + "', " + T0_US + ", " + durationUs
                + ", '" + status + "', " + T0_US / 1000 + ", " + (receivedMs + 50) + ", " + (receivedMs + 90) + ", 1, 0, 0)");
    }

    static void trigger(Statement st, String traceId, String agentId, String service, String kind, String reason,
                        long atOffsetMs, long receivedMs) throws SQLException {
        st.execute("INSERT INTO triggers VALUES ('" + traceId + "', '" + agentId + "', '" + service + "', '" + kind
                + "', '" + reason + "', " + (T0_US / 1000 + atOffsetMs) + ", " + receivedMs + ")");
    }

    static void span(Statement st, String traceId, String spanId, String agentId, String service, String parent,
                     String name, String status, long startUs, long endUs, String error) throws SQLException {
        String json = "{\"spanId\":\"" + spanId + "\",\"parentSpanId\":" + (parent == null ? "null" : "\"" + parent + "\"")
                + ",\"name\":\"" + name + "\",\"kind\":\"server\",\"status\":\"" + status + "\",\"startUs\":" + startUs
                + ",\"endUs\":" + endUs + ",\"attributes\":{},\"error\":" + (error == null ? "null" : error)
                + ",\"handledErrors\":[],\"service\":\"" + service + "\",\"agentId\":\"" + agentId + "\"}";
        try (PreparedStatement ps = st.getConnection().prepareStatement(
                "INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, 'server', ?, ?, ?, ?)")) {
            ps.setString(1, traceId);
            ps.setString(2, spanId);
            ps.setString(3, agentId);
            ps.setString(4, service);
            ps.setString(5, parent);
            ps.setString(6, name);
            ps.setString(7, status);
            ps.setLong(8, startUs);
            ps.setLong(9, endUs);
            ps.setString(10, json);
            ps.executeUpdate();
        }
    }

    static List<String> query(Path db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** {@code "<type> <name>" → sql} of every table and index, without whitespace. */
    static Map<String, String> schema(Path db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")) {
            while (rs.next()) {
                String sql = rs.getString(3);
                out.put(rs.getString(1) + " " + rs.getString(2), sql == null ? "" : sql.replaceAll("\\s+", ""));
            }
        }
        return out;
    }

    /** The DDL of schema version 1, as released (a frozen copy: the test must not follow code changes). */
    static final List<String> V1_DDL = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS agents (
              agent_id TEXT PRIMARY KEY, service TEXT NOT NULL, host TEXT, pid INTEGER, sdk TEXT,
              authorities TEXT NOT NULL DEFAULT '[]', registered_at_ms INTEGER NOT NULL,
              last_seen_at_ms INTEGER NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS agents_by_service ON agents(service)",
            """
            CREATE TABLE IF NOT EXISTS traces (
              trace_id TEXT PRIMARY KEY, name TEXT, status TEXT NOT NULL DEFAULT 'ok',
              services TEXT NOT NULL DEFAULT '[]', started_at_us INTEGER, duration_us INTEGER, trigger_kind TEXT,
              trigger_reason TEXT, trigger_service TEXT, triggered_at_ms INTEGER, completed_at_ms INTEGER,
              updated_at_ms INTEGER NOT NULL, span_count INTEGER NOT NULL DEFAULT 0,
              message_count INTEGER NOT NULL DEFAULT 0, log_count INTEGER NOT NULL DEFAULT 0)""",
            "CREATE INDEX IF NOT EXISTS traces_by_start ON traces(started_at_us)",
            "CREATE INDEX IF NOT EXISTS traces_by_status_start ON traces(status, started_at_us)",
            """
            CREATE TABLE IF NOT EXISTS triggers (
              trace_id TEXT NOT NULL, agent_id TEXT NOT NULL, service TEXT NOT NULL, kind TEXT NOT NULL,
              reason TEXT NOT NULL DEFAULT '', at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
              PRIMARY KEY (trace_id, agent_id, kind, at_ms, reason))""",
            """
            CREATE TABLE IF NOT EXISTS spans (
              trace_id TEXT NOT NULL, span_id TEXT NOT NULL, agent_id TEXT NOT NULL, service TEXT NOT NULL,
              parent_span_id TEXT, name TEXT, kind TEXT NOT NULL, status TEXT NOT NULL, start_us INTEGER NOT NULL,
              end_us INTEGER, json TEXT NOT NULL, PRIMARY KEY (trace_id, span_id))""",
            """
            CREATE TABLE IF NOT EXISTS messages (
              trace_id TEXT NOT NULL, agent_id TEXT NOT NULL, seq INTEGER NOT NULL, service TEXT NOT NULL,
              span_id TEXT, direction TEXT NOT NULL, method TEXT NOT NULL, url TEXT, status INTEGER NOT NULL,
              start_us INTEGER NOT NULL, duration_us INTEGER, request_body TEXT, response_body TEXT,
              json TEXT NOT NULL, PRIMARY KEY (trace_id, agent_id, seq))""",
            """
            CREATE TABLE IF NOT EXISTS logs (
              trace_id TEXT NOT NULL, agent_id TEXT NOT NULL, seq INTEGER NOT NULL, service TEXT NOT NULL,
              span_id TEXT, time_us INTEGER NOT NULL, level TEXT NOT NULL, logger TEXT, message TEXT,
              json TEXT NOT NULL, PRIMARY KEY (trace_id, agent_id, seq))""",
            """
            CREATE TABLE IF NOT EXISTS breadcrumbs (
              trace_id TEXT NOT NULL, agent_id TEXT NOT NULL, service TEXT NOT NULL, role TEXT NOT NULL,
              peer_agent_id TEXT NOT NULL DEFAULT '', authority TEXT NOT NULL DEFAULT '',
              span_id TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (trace_id, agent_id, role, peer_agent_id, authority, span_id))""");

    /** Schema versions 1 to 2 and 2 to 3, as released (frozen copies, like {@link #V1_DDL}). */
    static final List<String> V1_TO_V3_DDL = List.of(
            "ALTER TABLE traces ADD COLUMN created_at_ms INTEGER",
            "ALTER TABLE traces ADD COLUMN fingerprint TEXT",
            "ALTER TABLE traces ADD COLUMN group_service TEXT",
            "ALTER TABLE traces ADD COLUMN group_endpoint TEXT",
            "ALTER TABLE traces ADD COLUMN group_problem TEXT",
            "ALTER TABLE traces ADD COLUMN group_kind TEXT",
            "DROP INDEX IF EXISTS traces_by_start",
            "DROP INDEX IF EXISTS traces_by_status_start",
            "CREATE INDEX traces_by_start ON traces(started_at_us, trace_id)",
            "CREATE INDEX traces_by_status_start ON traces(status, started_at_us, trace_id)",
            "CREATE INDEX traces_by_fingerprint ON traces(fingerprint, started_at_us, trace_id)",
            "CREATE INDEX spans_for_stats ON spans(name, service, kind, start_us, end_us)",
            """
            CREATE TABLE triage (
              fingerprint TEXT PRIMARY KEY, mark TEXT NOT NULL DEFAULT 'none', level TEXT NOT NULL DEFAULT 'none',
              note TEXT, updated_at_ms INTEGER NOT NULL)""",
            """
            CREATE TABLE sessions (
              id_sha256 TEXT PRIMARY KEY, created_at_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL)""",
            "CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms)",
            """
            CREATE TABLE export_queue (
              trace_id TEXT NOT NULL, exporter TEXT NOT NULL, enqueued_at_ms INTEGER NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at_ms INTEGER, last_error TEXT, dead_at_ms INTEGER,
              PRIMARY KEY (trace_id, exporter))""",
            "CREATE INDEX export_queue_due ON export_queue(exporter, next_attempt_at_ms)",
            "CREATE INDEX export_queue_dead ON export_queue(exporter, dead_at_ms)");
}
