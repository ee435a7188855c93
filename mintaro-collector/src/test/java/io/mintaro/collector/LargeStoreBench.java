package io.mintaro.collector;

import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import io.mintaro.testkit.servers.PostgresCluster;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Read latency of the UI's pages against a large store (a tool, not a test; issue 13 part 4).
 *
 * <ul>
 *   <li>{@code LargeStoreBench build <sqlite file> <traces>}: migrates a new SQLite file with
 *       {@link Storage#open} (this build's schema), then bulk-inserts {@code traces} traces shaped as
 *       ingest writes them: 300 error groups of Zipf-skewed sizes over 8 services, 4 spans and a
 *       trigger per trace, counted occurrences of the 30 largest groups in {@code group_counts},
 *       triage of 10 groups, 16 agents. Traces arrive at the same rate whatever {@code traces}
 *       is (5,000 per day, ending now): a larger store is a longer history, not more traffic.
 *   <li>{@code LargeStoreBench measure <label> <sqlite file>...}: starts a real collector on each
 *       file (which migrates it to this build's schema first: the time is printed) and measures
 *       each page's API calls over HTTP: p50 and p99 of repeated requests.
 *   <li>{@code LargeStoreBench postgres <traces>...}: the same on a throwaway PostgreSQL 15, built
 *       and measured in one go.
 * </ul>
 * Tags ({@code trace_tags}, decision 38) are generated as ingest writes them, and measured.
 * Messages, logs and breadcrumbs are not generated: none of the measured calls reads them (text
 * search, {@code q}, does, and is not measured).
 */
public final class LargeStoreBench {
    static final String KEY = "bench-key-0123456789";
    static final long TRACES_PER_DAY = 5_000;
    static final int GROUPS = 300;
    static final String[] SERVICES = {"gateway", "orders", "payments", "inventory", "users", "search",
        "shipping", "notifications"};
    static final String[] PROBLEMS = {"java.lang.IllegalStateException", "java.lang.NullPointerException",
        "java.sql.SQLTransientConnectionException", "java.net.SocketTimeoutException", "HTTP 503",
        "java.lang.IllegalArgumentException", "org.example.PaymentDeclined", "java.io.UncheckedIOException"};
    static final String[] VERBS = {"GET", "POST", "PUT", "DELETE"};

    private LargeStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "build" -> {
                Database db = Database.sqlite(Path.of(args[1]));
                long started = System.nanoTime();
                build(db, Long.parseLong(args[2]), System.currentTimeMillis());
                System.out.printf("built %s (%s traces) in %.0f s%n", args[1], args[2], (System.nanoTime() - started) / 1e9);
            }
            case "measure" -> {
                String label = args[1];
                List<Map<String, double[]>> results = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    names.add(Path.of(args[i]).getFileName().toString());
                    results.add(measure(Database.sqlite(Path.of(args[i]))));
                }
                print(label, names, results);
            }
            case "postgres" -> {
                List<Map<String, double[]>> results = new ArrayList<>();
                List<String> names = new ArrayList<>();
                try (PostgresCluster pg = PostgresCluster.builder().start()) {
                    for (int i = 1; i < args.length; i++) {
                        long n = Long.parseLong(args[i]);
                        String url = pg.createDatabase("large" + n);
                        Database db = Database.postgresql(url, pg.user(), pg.password());
                        long started = System.nanoTime();
                        build(db, n, System.currentTimeMillis());
                        System.out.printf("built PostgreSQL %d traces in %.0f s%n", n, (System.nanoTime() - started) / 1e9);
                        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                             Statement st = c.createStatement()) {
                            st.execute("VACUUM ANALYZE");
                        }
                        names.add("postgresql-" + n);
                        results.add(measure(db));
                    }
                }
                print("postgresql", names, results);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ building

    record Group(String fingerprint, String service, String endpoint, String problem, String kind, String callee) {
    }

    static List<Group> groups() throws Exception {
        SplittableRandom r = new SplittableRandom(13);
        List<Group> out = new ArrayList<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < GROUPS; i++) {
            String service = SERVICES[r.nextInt(SERVICES.length)];
            String endpoint = VERBS[r.nextInt(VERBS.length)] + " /" + service + "/" + (i % 7 == 0 ? "{id}" : "v" + i);
            boolean slow = r.nextInt(100) < 15;
            String problem = slow ? "slow" : PROBLEMS[r.nextInt(PROBLEMS.length)] + (i >= PROBLEMS.length ? "" : "");
            // Distinct groups: the endpoint carries the index, so (service, endpoint, problem) differ.
            String fp = HexFormat.of().formatHex(sha.digest((service + "\n" + endpoint + "\n" + problem)
                    .getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            String callee = SERVICES[(Arrays.asList(SERVICES).indexOf(service) + 1 + r.nextInt(SERVICES.length - 1))
                    % SERVICES.length];
            out.add(new Group(fp, service, endpoint, problem, slow ? "slow" : "error", callee));
        }
        return out;
    }

    /** Cumulative Zipf(1.1) weights over the groups: group 0 is the largest. */
    static double[] zipf() {
        double[] cumulative = new double[GROUPS];
        double sum = 0;
        for (int i = 0; i < GROUPS; i++) {
            sum += 1 / Math.pow(i + 1, 1.1);
            cumulative[i] = sum;
        }
        for (int i = 0; i < GROUPS; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    static void build(Database db, long n, long nowMs) throws Exception {
        try (Storage s = Storage.open(db)) {
            System.out.printf("schema version %d%n", s.schemaVersion());
        }
        List<Group> groups = groups();
        double[] weights = zipf();
        SplittableRandom r = new SplittableRandom(42);
        long spanMs = n * 86_400_000L / TRACES_PER_DAY;
        boolean sqlite = db.kind() == Database.Kind.SQLITE;
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            if (sqlite) {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA synchronous = OFF");
                    st.execute("PRAGMA cache_size = -1000000");
                }
            }
            c.setAutoCommit(false);
            String upsertCount = "INSERT INTO group_counts(fingerprint, minute_ms, service, endpoint, problem, kind,"
                    + " occurrences, first_at_ms, last_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(fingerprint, minute_ms) DO UPDATE SET occurrences = group_counts.occurrences"
                    + " + excluded.occurrences, last_at_ms = excluded.last_at_ms";
            try (PreparedStatement trace = c.prepareStatement("""
                    INSERT INTO traces(trace_id, name, status, services, started_at_us, duration_us, trigger_kind,
                      trigger_reason, trigger_service, triggered_at_ms, completed_at_ms, updated_at_ms, span_count,
                      message_count, log_count, created_at_ms, fingerprint, group_service, group_endpoint,
                      group_problem, group_kind)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 4, 0, 0, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement trigger = c.prepareStatement("""
                    INSERT INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement span = c.prepareStatement("""
                    INSERT INTO spans(trace_id, span_id, agent_id, service, parent_span_id, name, kind, status,
                      start_us, end_us, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement count = c.prepareStatement(upsertCount);
                 PreparedStatement tag = c.prepareStatement("""
                    INSERT INTO trace_tags(trace_id, key, value, namespace, started_at_us)
                    VALUES (?, ?, ?, 'default', ?) ON CONFLICT DO NOTHING""")) {
                for (long i = 0; i < n; i++) {
                    double u = r.nextDouble();
                    int gi = Arrays.binarySearch(weights, u);
                    Group g = groups.get(Math.min(GROUPS - 1, gi < 0 ? -gi - 1 : gi));
                    // Spread evenly over the history, ending a minute ago, with jitter.
                    long createdMs = nowMs - 60_000 - spanMs + (long) ((i + r.nextDouble()) * spanMs / n);
                    long startUs = createdMs * 1000 - 200_000 - r.nextInt(100_000);
                    String traceId = String.format("%016x%016x", r.nextLong(), r.nextLong());
                    long server = g.kind().equals("slow") ? 2_000_000 + r.nextInt(3_000_000) : 5_000 + r.nextInt(200_000);
                    long callee = server / 2;
                    String first = g.service().compareTo(g.callee()) < 0 ? g.service() : g.callee();
                    String second = first.equals(g.service()) ? g.callee() : g.service();
                    String reason = g.kind().equals("slow") ? "slow: " + g.endpoint()
                            : g.problem() + " in " + g.endpoint();
                    trace.setString(1, traceId);
                    trace.setString(2, g.endpoint());
                    trace.setString(3, g.kind());
                    trace.setString(4, "[\"" + first + "\",\"" + second + "\"]");
                    trace.setLong(5, startUs);
                    trace.setLong(6, server);
                    trace.setString(7, g.kind());
                    trace.setString(8, reason);
                    trace.setString(9, g.service());
                    trace.setLong(10, startUs / 1000 + server / 1000);
                    trace.setLong(11, createdMs + 3_000);
                    trace.setLong(12, createdMs + 3_100);
                    trace.setLong(13, createdMs);
                    trace.setString(14, g.fingerprint());
                    trace.setString(15, g.service());
                    trace.setString(16, g.endpoint());
                    trace.setString(17, g.problem());
                    trace.setString(18, g.kind());
                    trace.addBatch();
                    String agent = agentId(g.service(), i);
                    trigger.setString(1, traceId);
                    trigger.setString(2, agent);
                    trigger.setString(3, g.service());
                    trigger.setString(4, g.kind());
                    trigger.setString(5, reason);
                    trigger.setLong(6, startUs / 1000 + server / 1000);
                    trigger.setLong(7, createdMs);
                    trigger.addBatch();
                    String calleeEndpoint = "POST /" + g.callee() + "/op" + (i % 5);
                    addSpan(span, traceId, "a1", agent, g.service(), null, g.endpoint(), "server", g.kind(), startUs,
                            startUs + server);
                    addSpan(span, traceId, "a2", agent, g.service(), "a1", calleeEndpoint, "client", "ok",
                            startUs + 1_000, startUs + 1_000 + callee + 2_000);
                    String calleeAgent = agentId(g.callee(), i);
                    addSpan(span, traceId, "b1", calleeAgent, g.callee(), "a2", calleeEndpoint, "server", "ok",
                            startUs + 2_000, startUs + 2_000 + callee);
                    addSpan(span, traceId, "b2", calleeAgent, g.callee(), "b1", "SELECT " + g.callee(), "client", "ok",
                            startUs + 3_000, startUs + 3_000 + callee / 3);
                    // Tags as ingest writes them (decision 38): both services, the version, the span
                    // attributes, and env (1 in 10 staging) and user.id (one of 10,000) on the root span.
                    String[][] tags = {{"service", g.service()}, {"service", g.callee()}, {"version", "1.4.2"},
                        {"http.route", g.endpoint()}, {"http.route", calleeEndpoint}, {"http.route", "SELECT " + g.callee()},
                        {"thread", "http-nio-8080-exec-3"}, {"env", i % 10 == 0 ? "staging" : "prod"},
                        {"user.id", Long.toString(i % 10_000)}};
                    for (String[] kv : tags) {
                        tag.setString(1, traceId);
                        tag.setString(2, kv[0]);
                        tag.setString(3, kv[1]);
                        tag.setLong(4, startUs);
                        tag.addBatch();
                    }
                    if (gi >= 0 && gi < 30 || (gi < 0 && -gi - 1 < 30)) {
                        if (i % 4 == 0) {
                            long minute = createdMs / 60_000 * 60_000;
                            count.setString(1, g.fingerprint());
                            count.setLong(2, minute);
                            count.setString(3, g.service());
                            count.setString(4, g.endpoint());
                            count.setString(5, g.problem());
                            count.setString(6, g.kind());
                            count.setLong(7, 3);
                            count.setLong(8, createdMs);
                            count.setLong(9, createdMs);
                            count.addBatch();
                        }
                    }
                    if ((i + 1) % 5_000 == 0 || i == n - 1) {
                        trace.executeBatch();
                        trigger.executeBatch();
                        span.executeBatch();
                        count.executeBatch();
                        tag.executeBatch();
                        c.commit();
                        if ((i + 1) % 100_000 == 0) {
                            System.out.printf("  %d traces%n", i + 1);
                        }
                    }
                }
            }
            try (PreparedStatement agent = c.prepareStatement("""
                    INSERT INTO agents(agent_id, service, host, pid, sdk, authorities, registered_at_ms, last_seen_at_ms,
                      version) VALUES (?, ?, ?, ?, '0.1.0', '[]', ?, ?, '1.4.2')""")) {
                for (String service : SERVICES) {
                    for (int k = 0; k < 2; k++) {
                        agent.setString(1, agentId(service, k));
                        agent.setString(2, service);
                        agent.setString(3, service + "-" + k);
                        agent.setLong(4, 1000 + k);
                        agent.setLong(5, nowMs - 3_600_000);
                        agent.setLong(6, nowMs);
                        agent.addBatch();
                    }
                }
                agent.executeBatch();
            }
            try (PreparedStatement triage = c.prepareStatement(
                    "INSERT INTO triage(fingerprint, mark, level, note, updated_at_ms) VALUES (?, ?, ?, ?, ?)")) {
                for (int k = 0; k < 10; k++) {
                    Group g = groups.get(k * 3);
                    triage.setString(1, g.fingerprint());
                    triage.setString(2, k < 3 ? "silenced" : k < 5 ? "crash" : "none");
                    triage.setString(3, k < 5 ? "none" : "warn");
                    triage.setString(4, "seen before");
                    triage.setLong(5, nowMs - spanMs / 2);
                    triage.addBatch();
                }
                triage.executeBatch();
            }
            try (PreparedStatement meta = c.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
                meta.setString(1, "bench.largest_group");
                meta.setString(2, groups.get(0).fingerprint());
                meta.addBatch();
                meta.setString(1, "bench.middle_group");
                meta.setString(2, groups.get(40).fingerprint());
                meta.addBatch();
                meta.executeBatch();
            }
            // No ANALYZE: the collector never runs it, so its SQLite plans are those without statistics.
            c.commit();
        }
    }

    private static String agentId(String service, long i) {
        return String.format("%08x%08x", Math.abs(service.hashCode()), i % 2);
    }

    private static void addSpan(PreparedStatement ps, String traceId, String spanId, String agent, String service,
                                String parent, String name, String kind, String status, long startUs, long endUs)
            throws SQLException {
        ps.setString(1, traceId);
        ps.setString(2, spanId);
        ps.setString(3, agent);
        ps.setString(4, service);
        ps.setString(5, parent);
        ps.setString(6, name);
        ps.setString(7, kind);
        ps.setString(8, status.equals("slow") ? "ok" : status.equals("error") ? "failed" : status);
        ps.setLong(9, startUs);
        ps.setLong(10, endUs);
        // Schema 9: payload holds the record; JSON text (no format byte) reads as a row of before.
        ps.setBytes(11, ("{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"parentSpanId\":"
                + (parent == null ? "null" : "\"" + parent + "\"") + ",\"name\":\"" + name + "\",\"kind\":\"" + kind
                + "\",\"status\":\"" + status + "\",\"startUs\":" + startUs + ",\"endUs\":" + endUs
                + ",\"attributes\":{\"http.route\":\"" + name + "\",\"thread\":\"http-nio-8080-exec-3\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ps.addBatch();
    }

    // ------------------------------------------------------------------ measuring

    static Map<String, double[]> measure(Database db) throws Exception {
        String largest;
        String middle;
        long openStarted = System.nanoTime();
        try (Storage s = Storage.open(db)) {
            System.out.printf("%s: opened at schema %d in %.1f s (migrations included)%n", db.url(), s.schemaVersion(),
                    (System.nanoTime() - openStarted) / 1e9);
        }
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT key, value FROM meta WHERE key LIKE 'bench.%' ORDER BY key")) {
            rs.next();
            largest = rs.getString(2);
            rs.next();
            middle = rs.getString(2);
        }
        CollectorConfig config = CollectorConfig.builder().host("127.0.0.1").port(0).database(db).apiKey(KEY).build();
        Map<String, double[]> out = new LinkedHashMap<>();
        try (Collector collector = Collector.start(config)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String day = URLEncoder.encode(Instant.ofEpochMilli(System.currentTimeMillis() - 86_400_000L).toString(),
                    StandardCharsets.UTF_8);
            Map<String, String> calls = new LinkedHashMap<>();
            // As the UI's modules call them (dashboard.js, group.js, slow.js).
            calls.put("dashboard: /api/groups (all time)", "/api/groups?status=all&speed=all&silenced=hide&page=1&pageSize=50");
            calls.put("dashboard: /api/groups (seen 24 h)", "/api/groups?status=all&speed=all&silenced=hide&from=" + day
                    + "&page=1&pageSize=50");
            calls.put("dashboard: /api/groups page 3, errors", "/api/groups?status=error&speed=all&silenced=hide&page=3&pageSize=50");
            calls.put("dashboard charts: /api/groups?buckets=24 (all time)",
                    "/api/groups?status=all&speed=all&silenced=hide&page=1&pageSize=50&buckets=24");
            calls.put("dashboard charts: /api/groups?buckets=24 (seen 24 h)",
                    "/api/groups?status=all&speed=all&silenced=hide&from=" + day + "&page=1&pageSize=50&buckets=24");
            calls.put("every page: /api/services", "/api/services");
            calls.put("group (largest): /api/groups/{fp}", "/api/groups/" + largest);
            calls.put("group (largest): /traces page 1", "/api/groups/" + largest + "/traces?page=1&pageSize=50");
            calls.put("group (largest): /traces page 20", "/api/groups/" + largest + "/traces?page=20&pageSize=50");
            calls.put("group (largest): /histogram", "/api/groups/" + largest + "/histogram?buckets=60");
            calls.put("group (#41): /api/groups/{fp}", "/api/groups/" + middle);
            calls.put("group (#41): /histogram", "/api/groups/" + middle + "/histogram?buckets=60");
            calls.put("group (#41): /traces page 1", "/api/groups/" + middle + "/traces?page=1&pageSize=50");
            calls.put("slow: /api/slow (24 h)", "/api/slow?from=" + day + "&limit=50");
            // Tags (decision 38): a common tag, a rare one, two together, and groups by tag.
            calls.put("tags: /api/traces?tag=env:prod", "/api/traces?tag=env%3Aprod&limit=50");
            calls.put("tags: /api/traces?tag=user.id:4242", "/api/traces?tag=user.id%3A4242&limit=50");
            calls.put("tags: /api/traces, env:staging + user.id:4240",
                    "/api/traces?tag=env%3Astaging&tag=user.id%3A4240&limit=50");
            calls.put("tags: /api/groups?tag=user.id:4242", "/api/groups?tag=user.id%3A4242&page=1&pageSize=50");
            for (Map.Entry<String, String> call : calls.entrySet()) {
                out.put(call.getKey(), time(http, collector.url() + call.getValue()));
            }
        }
        return out;
    }

    /** p50 and p99 in ms, and the number of requests: 3 warm-ups, then up to 60 requests or 20 s. */
    static double[] time(HttpClient http, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + KEY).header("Accept-Encoding", "identity").GET().build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
            }
        }
        List<Double> ms = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ms.size() < 60 && (ms.size() < 5 || System.nanoTime() < deadline)) {
            long t = System.nanoTime();
            http.send(request, HttpResponse.BodyHandlers.discarding());
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {rank(sorted, 50), rank(sorted, 99), sorted.length};
    }

    private static double rank(double[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length / 100.0) - 1)];
    }

    static void print(String label, List<String> names, List<Map<String, double[]>> results) {
        StringBuilder head = new StringBuilder("| " + label + " |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String name : names) {
            head.append(' ').append(name).append(" p50 / p99 (n) |");
            rule.append(" --- |");
        }
        System.out.println(head);
        System.out.println(rule);
        for (String call : results.get(0).keySet()) {
            StringBuilder row = new StringBuilder("| " + call + " |");
            for (Map<String, double[]> r : results) {
                double[] v = r.get(call);
                row.append(String.format(Locale.ROOT, " %.1f / %.1f ms (%d) |", v[0], v[1], (int) v[2]));
            }
            System.out.println(row);
        }
    }
}
