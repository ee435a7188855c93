package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Measures stored bytes per trace (a tool, not a test), for a five-service trace with small
 * bodies: {@code gateway → orders → inventory → payments → ledger}, each service with its server
 * span, one internal span and a client span to the next, the inbound and outbound exchange with
 * JSON bodies of 30–90 bytes and their headers, four logs (the last service's ERROR with a
 * stack), and breadcrumbs both ways: 15 spans, 9 messages, 20 logs, 8 breadcrumbs, 1 trigger.
 *
 * <p>{@code TraceBytes [sqlite|postgresql|both, default both] [traces, default 2000]}
 *
 * <p>Stores that many traces (random ids, 50 traces per batch, the trigger batch first, each
 * collection completed as the sweep would) into a fresh database, and prints the database's
 * growth divided by the traces, with the share of each table and its indexes: for SQLite the
 * file's used pages after a WAL checkpoint ({@code page_count - freelist_count}, per table from
 * {@code dbstat}), for PostgreSQL {@code pg_total_relation_size} of every table (heap, TOAST and
 * indexes) after a {@code VACUUM} that makes the free-space maps and visibility maps exist; and
 * the traces' {@code stored_bytes} (schema 11), which retention's size limit counts, against it.
 */
public final class TraceBytes {
    static final String[] SERVICES = {"gateway", "orders", "inventory", "payments", "ledger"};
    private static final int PER_BATCH = 50;

    private TraceBytes() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int traces = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        if (which.equals("sqlite") || which.equals("both")) {
            Path dir = Files.createTempDirectory("mintaro-trace-bytes");
            report("SQLite", Database.sqlite(dir.resolve("mintaro.db")), traces);
        }
        if (which.equals("postgresql") || which.equals("both")) {
            var pg = TestDatabase.cluster();
            String url = pg.createDatabase("tracebytes");
            report("PostgreSQL", Database.postgresql(url, pg.user(), pg.password()), traces);
        }
        System.exit(0);
    }

    private static void report(String engine, Database db, int traces) throws Exception {
        Map<String, Long> empty;
        try (Storage store = Storage.open(db)) {
            empty = sizes(db);
            fill(store, traces, new Random(42));
        }
        Map<String, Long> full = sizes(db);
        long total = 0;
        Map<String, Long> growth = new TreeMap<>();
        for (Map.Entry<String, Long> e : full.entrySet()) {
            long d = e.getValue() - empty.getOrDefault(e.getKey(), 0L);
            if (d != 0) {
                growth.put(e.getKey(), d);
            }
            total += d;
        }
        System.out.printf(Locale.ROOT, "%s, schema %s: %d traces, %,d bytes, %,d bytes per trace%n", engine,
                schema(db), traces, total, total / traces);
        for (Map.Entry<String, Long> e : growth.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-28s %,9d bytes per trace%n", e.getKey(), e.getValue() / traces);
        }
        long counted = Long.parseLong(TestDatabase.query(db, "SELECT sum(stored_bytes) FROM traces").get(0));
        System.out.printf(Locale.ROOT, "  stored_bytes (what retention counts): %,d per trace; the database holds"
                + " %.2f times that%n", counted / traces, (double) total / counted);
    }

    private static String schema(Database db) throws SQLException {
        List<String> v = TestDatabase.query(db, "SELECT value FROM meta WHERE key = 'schema_version'");
        return v.isEmpty() ? "?" : v.get(0);
    }

    /** Bytes per table (its indexes included) and, under "(total)", the whole database's used bytes. */
    static Map<String, Long> sizes(Database db) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            if (db.kind() == Database.Kind.SQLITE) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                try (ResultSet rs = st.executeQuery("""
                        SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d
                        LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY 1""")) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            } else {
                st.execute("VACUUM");
                try (ResultSet rs = st.executeQuery("""
                        SELECT relname, pg_total_relation_size(oid) FROM pg_class
                        WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace""")) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return out;
    }

    /** Stores {@code traces} five-service traces, {@link #PER_BATCH} per batch of each service. */
    static void fill(Storage store, int traces, Random random) throws Exception {
        String[] agents = new String[SERVICES.length];
        for (int s = 0; s < agents.length; s++) {
            agents[s] = hex(random, 16);
        }
        long nowMs = System.currentTimeMillis();
        for (int from = 0; from < traces; from += PER_BATCH) {
            ObjectNode triggers = batch(agents[SERVICES.length - 1]);
            Map<Integer, ObjectNode> records = new LinkedHashMap<>();
            for (int s = 0; s < SERVICES.length; s++) {
                records.put(s, batch(agents[s]));
            }
            List<String> ids = new ArrayList<>();
            for (int i = from; i < Math.min(traces, from + PER_BATCH); i++) {
                String traceId = hex(random, 32);
                ids.add(traceId);
                long t0 = (nowMs - (traces - i) * 50L) * 1000;
                trigger(triggers, traceId, "error", "HTTP 500", t0 / 1000 + 30);
                addTrace(records, agents, traceId, t0, random);
            }
            store.ingest().store(ProtocolParser.batch(triggers), SERVICES[SERVICES.length - 1], nowMs);
            for (Map.Entry<Integer, ObjectNode> b : records.entrySet()) {
                store.ingest().store(ProtocolParser.batch(b.getValue()), SERVICES[b.getKey()], nowMs);
            }
        }
        // Every collection ends as the sweep ends it, so the retrieval's rows are as they stay.
        store.collections().completeDue(Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** One trace's records, one entry per service. */
    static void addTrace(Map<Integer, ObjectNode> records, String[] agents, String traceId, long t0,
                         Random random) {
        int n = SERVICES.length;
        String[] server = new String[n];
        String[] client = new String[n];
        for (int s = 0; s < n; s++) {
            server[s] = hex(random, 16);
            client[s] = hex(random, 16);
        }
        for (int s = 0; s < n; s++) {
            String service = SERVICES[s];
            String next = s + 1 < n ? SERVICES[s + 1] : null;
            boolean failing = true; // the error starts in the last service and every caller answers 5xx
            long start = t0 + s * 2_000L;
            long end = t0 + 60_000L - s * 2_000L;
            ObjectNode e = entry(records.get(s), traceId, true);
            String route = "/" + service + "/{id}";
            ObjectNode srv = span(e, server[s], s == 0 ? null : client[s - 1], "POST " + route, "failed", start, end);
            ((ObjectNode) srv.get("attributes")).put("http.route", route).put("http.method", "POST")
                    .put("http.status_code", "500").put("url.path", "/" + service + "/" + (1000 + random.nextInt(9000)))
                    .put("client.address", "10.0.0." + (s + 10));
            if (s == n - 1) {
                srv.putObject("error").put("type", "java.lang.IllegalStateException")
                        .put("message", "ledger account 42 is locked")
                        .put("stack", "java.lang.IllegalStateException: ledger account 42 is locked\n"
                                + "\tat com.example.ledger.Accounts.post(Accounts.java:88)\n"
                                + "\tat com.example.ledger.LedgerController.post(LedgerController.java:41)\n"
                                + "\tat jdk.internal.reflect.GeneratedMethodAccessor12.invoke(Unknown Source)\n"
                                + "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n");
            }
            ObjectNode internal = span(e, hex(random, 16), server[s], "SELECT " + service, "succeeded", start + 300,
                    start + 900 + random.nextInt(500));
            internal.put("kind", "internal");
            ((ObjectNode) internal.get("attributes")).removeAll().put("db.system", "postgresql")
                    .put("db.statement", "SELECT id, state, updated_at FROM " + service + " WHERE id = ?");
            String inboundUrl = "http://" + service + ":8080/" + service + "/" + (1000 + random.nextInt(9000));
            String request = "{\"orderId\":\"" + hex(random, 8) + "\",\"amount\":" + (100 + random.nextInt(900))
                    + ",\"currency\":\"EUR\"}";
            String response = "{\"error\":\"upstream failed\",\"service\":\"" + service + "\"}";
            long seq = 1;
            ObjectNode in = message(e, seq++, server[s], "inbound", "POST", inboundUrl, 500, start, request, response);
            headers(in, traceId, server[s]);
            if (next != null) {
                span(e, client[s], server[s], "POST /" + next + "/{id}", "failed", start + 1_000, end - 1_000)
                        .put("kind", "client");
                ObjectNode out = message(e, seq++, client[s], "outbound", "POST",
                        "http://" + next + ":8080/" + next + "/" + (1000 + random.nextInt(9000)), 500, start + 1_000,
                        request, "{\"error\":\"upstream failed\",\"service\":\"" + next + "\"}");
                headers(out, traceId, client[s]);
                breadcrumb(e, "callee", agents[s + 1], next + ":8080");
            }
            if (s > 0) {
                breadcrumb(e, "caller", agents[s - 1], null);
            }
            log(e, seq++, server[s], start + 100, "DEBUG", "handling POST " + route + " for order " + hex(random, 8));
            log(e, seq++, server[s], start + 400, "DEBUG", "loaded " + service + " row in " + random.nextInt(9) + " ms");
            log(e, seq++, server[s], start + 950, "INFO", "calling " + (next == null ? "the database" : next));
            ObjectNode last = log(e, seq, server[s], end - 100, s == n - 1 ? "ERROR" : "WARN",
                    s == n - 1 ? "posting failed" : next + " answered 500");
            if (s == n - 1) {
                last.putObject("error").put("type", "java.lang.IllegalStateException")
                        .put("message", "ledger account 42 is locked")
                        .put("stack", "java.lang.IllegalStateException: ledger account 42 is locked\n"
                                + "\tat com.example.ledger.Accounts.post(Accounts.java:88)\n");
            }
        }
    }

    private static void headers(ObjectNode message, String traceId, String spanId) {
        ArrayNode req = (ArrayNode) message.get("requestHeaders");
        req.addArray().add("accept").add("application/json");
        req.addArray().add("traceparent").add("00-" + traceId + "-" + spanId + "-01");
        req.addArray().add("user-agent").add("Java-http-client/17.0.9");
        req.addArray().add("authorization").add("[REDACTED]");
        ArrayNode res = (ArrayNode) message.get("responseHeaders");
        res.addArray().add("content-type").add("application/json");
        res.addArray().add("content-length").add("48");
        res.addArray().add("date").add("Wed, 02 Dec 2026 08:00:00 GMT");
    }

    static String hex(Random random, int digits) {
        StringBuilder b = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            b.append(Character.forDigit(random.nextInt(16), 16));
        }
        return b.toString();
    }
}
