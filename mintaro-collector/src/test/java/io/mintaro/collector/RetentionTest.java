package io.mintaro.collector;

import static io.mintaro.collector.GroupsTest.CARD;
import static io.mintaro.collector.GroupsTest.MINUTE_US;
import static io.mintaro.collector.GroupsTest.PAYMENTS;
import static io.mintaro.collector.GroupsTest.loggedError;
import static io.mintaro.collector.GroupsTest.served;
import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.retention.Retention;
import io.mintaro.collector.store.RetentionStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (docs/retention.md): a namespace's traces expire by age and by stored size, with the
 * namespace's own limits or the collector's; an expired trace leaves no row behind, and its error
 * group keeps its occurrences, times and triage. Traces are made old by moving their
 * {@code created_at_ms} back, as the clock would.
 */
class RetentionTest {
    static final long HOUR_MS = 3_600_000;
    static final String PAYMENTS_ADMIN = "payments-admin-key-1";
    /** Every table with rows of one trace (keyed by its storage key). */
    static final List<String> TRACE_TABLES = List.of("traces", "spans", "messages", "logs", "breadcrumbs", "triggers",
            "collection_asks", "collection_callees", "export_queue", "trace_tags");

    @TempDir
    Path dir;
    TestCollector c;

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
    }

    /** A collector whose retention runs only when the test says (its timer would run in an hour). */
    private void start(Consumer<CollectorConfig.Builder> tweak) {
        c = TestCollector.start(dir, tweak.andThen(b -> b.retentionIntervalMs(HOUR_MS)));
        c.register(PAYMENTS, "payments");
    }

    @Test
    void tracesStoredLongerAgoThanTheMaxAgeExpireWithEveryRowOfTheirs() throws Exception {
        start(b -> b.retentionMaxAgeMs(HOUR_MS).retentionMaxBytes(0));
        String old1 = traceId(0xa01);
        String old2 = traceId(0xa02);
        String fresh = traceId(0xa03);
        for (String id : List.of(old1, old2, fresh)) {
            ObjectNode b = card(id, T0_US);
            breadcrumb((ObjectNode) b.get("traces").get(0), "callee", null, "127.0.0.1:9999");
            c.postBatch(b);
        }
        try (Connection db = c.connect()) {
            db.setAutoCommit(true);
            // Rows the retrieval and an exporter would leave while a trace is collected or exported.
            for (String id : List.of(old1, old2)) {
                update(db, "INSERT INTO collection_callees(trace_id, authority, since_ms) VALUES (?, 'x:1', 0)", id);
                update(db, "INSERT INTO collection_asks(trace_id, agent_id, asked_at_ms) VALUES (?, 'f0f0f0f0f0f0f0f0', 0)",
                        id);
                update(db, "INSERT INTO export_queue(trace_id, exporter, enqueued_at_ms, attempts, next_attempt_at_ms)"
                        + " VALUES (?, 'zipkin', 0, 0, 0)", id);
            }
        }
        assertThat(rowsOf(old1)).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
        age(old1, 2 * HOUR_MS);
        age(old2, HOUR_MS + 1_000);
        age(fresh, HOUR_MS - 60_000);

        Retention.Outcome outcome = only(c.collector.expireNow());

        assertThat(outcome.byAge().traces()).isEqualTo(2);
        assertThat(outcome.byAge().storedBytes()).isPositive();
        assertThat(outcome.bySize().traces()).isZero();
        assertThat(outcome.usage().traces()).isEqualTo(1);
        for (String id : List.of(old1, old2)) {
            assertThat(c.get("/api/traces/" + id).statusCode()).isEqualTo(404);
            assertThat(rowsOf(id)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        }
        assertThat(c.trace(fresh).get("spans")).hasSize(1);
        assertThat(c.getJson("/api/traces").get("total").asLong()).isEqualTo(1);
        assertThat(only(c.collector.expireNow()).byAge().traces()).as("nothing more is due").isZero();
    }

    @Test
    void groupsKeepTheirOccurrencesTimesAndTriageWhenTheirTracesExpire() throws Exception {
        start(b -> b.retentionMaxAgeMs(HOUR_MS).retentionMaxBytes(0));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = traceId(0xb00 + i);
            ids.add(id);
            c.postBatch(card(id, T0_US + i * MINUTE_US));
        }
        assertThat(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"level\": \"alert\", \"note\": \"bank\"}")
                .statusCode()).isEqualTo(200);
        JsonNode before = c.getJson("/api/groups/" + CARD);
        assertThat(before.get("occurrences").asLong()).isEqualTo(5);
        assertThat(before.get("traces").asLong()).isEqualTo(5);
        for (String id : ids.subList(0, 3)) {
            age(id, 2 * HOUR_MS);
        }
        JsonNode activityBefore = c.getJson("/api/services/payments?bucket=hour");

        assertThat(only(c.collector.expireNow()).byAge().traces()).isEqualTo(3);

        JsonNode after = c.getJson("/api/groups/" + CARD);
        assertThat(after.get("occurrences").asLong()).as("occurrences outlive traces").isEqualTo(5);
        assertThat(after.get("traces").asLong()).isEqualTo(2);
        assertThat(after.get("firstSeenAt")).as("first seen: the expired first trace's start")
                .isEqualTo(before.get("firstSeenAt"));
        assertThat(after.get("lastSeenAt")).isEqualTo(before.get("lastSeenAt"));
        assertThat(after.get("lastTraceId").asText()).isEqualTo(ids.get(4));
        assertThat(after.at("/triage/level").asText()).isEqualTo("alert");
        assertThat(after.at("/triage/note").asText()).isEqualTo("bank");
        assertThat(c.getJson("/api/groups/" + CARD + "/traces").get("total").asLong()).isEqualTo(2);
        // A service's counts over time keep them as the traces they were, not as counted occurrences.
        assertSameActivity(activityBefore, c.getJson("/api/services/payments?bucket=hour"));

        // The rest expire too: the group stays, with its counts, as a group of counted occurrences.
        for (String id : ids.subList(3, 5)) {
            age(id, 2 * HOUR_MS);
        }
        activityBefore = c.getJson("/api/services/payments?bucket=hour");
        assertThat(only(c.collector.expireNow()).byAge().traces()).isEqualTo(2);
        JsonNode empty = c.getJson("/api/groups/" + CARD);
        assertThat(empty.get("occurrences").asLong()).isEqualTo(5);
        assertThat(empty.get("traces").asLong()).isZero();
        assertThat(empty.get("firstSeenAt")).isEqualTo(before.get("firstSeenAt"));
        assertThat(empty.get("lastSeenAt")).isEqualTo(before.get("lastSeenAt"));
        assertThat(empty.at("/triage/level").asText()).isEqualTo("alert");
        // The kept figures (group_stats) still agree with a walk over traces and counts.
        for (String filters : new String[] {"?silenced=show", "?status=error&silenced=show"}) {
            assertThat(c.getJson("/api/groups" + filters))
                    .isEqualTo(c.getJson("/api/groups" + filters + GroupStatsTest.WALK));
        }
        JsonNode activityAfter = c.getJson("/api/services/payments?bucket=hour");
        assertSameActivity(activityBefore, activityAfter);
        assertThat(activityAfter.at("/service/stored").asLong()).isEqualTo(5);
        assertThat(activityAfter.at("/service/counted").asLong()).isZero();
    }

    @Test
    void theOldestTracesExpireWhenANamespaceStoresMoreThanItsMaxBytes() throws Exception {
        start(b -> b.retentionMaxAgeMs(0).retentionMaxBytes(0));
        List<String> ids = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = traceId(0xc00 + i);
            ids.add(id);
            ObjectNode b = card(id, T0_US + i * 1_000_000L);
            // Bodies of several sizes: each trace stores a different number of bytes.
            ObjectNode m = (ObjectNode) b.get("traces").get(0).get("messages").get(0);
            m.put("responseBody", "x".repeat(1_000 * (i + 1)));
            c.postBatch(b);
        }
        for (int i = 0; i < ids.size(); i++) {
            age(ids.get(i), (ids.size() - i) * 60_000L); // the first is the oldest
            bytes.add(storedBytes(ids.get(i)));
            assertThat(bytes.get(i)).as("a body of %d bytes is stored", 1_000 * (i + 1))
                    .isGreaterThan(1_000L * (i + 1));
        }
        long newestFour = bytes.subList(6, 10).stream().mapToLong(Long::longValue).sum();
        // The namespace's own limit: room for the newest four traces and half of the fifth.
        long limit = newestFour + bytes.get(5) / 2;
        HttpResponse<String> set = c.api("PUT", "/api/namespaces/default/retention",
                "{\"maxAgeMs\": null, \"maxBytes\": " + limit + "}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        Retention.Outcome outcome = only(c.collector.expireNow());

        assertThat(outcome.limits().maxBytes()).isEqualTo(limit);
        assertThat(outcome.bySize().traces()).as("the oldest six").isEqualTo(6);
        assertThat(outcome.bySize().storedBytes())
                .isEqualTo(bytes.subList(0, 6).stream().mapToLong(Long::longValue).sum());
        assertThat(outcome.usage().storedBytes()).isEqualTo(newestFour).isLessThanOrEqualTo(limit);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(c.get("/api/traces/" + ids.get(i)).statusCode()).as("trace %d", i).isEqualTo(i < 6 ? 404 : 200);
        }
        JsonNode ns = c.getJson("/api/namespaces/default");
        assertThat(ns.at("/retention/maxBytes").asLong()).isEqualTo(limit);
        assertThat(ns.at("/retention/maxAgeMs").asLong()).as("the collector's: none").isZero();
        assertThat(ns.at("/stored/traces").asLong()).isEqualTo(4);
        assertThat(ns.at("/stored/bytes").asLong()).isEqualTo(newestFour);
        assertThat(c.getJson("/api/groups/" + CARD).get("occurrences").asLong()).isEqualTo(10);
        String metrics = c.get("/metrics").body();
        assertThat(metrics).contains("mintaro_collector_traces_expired_total{reason=\"size\"} 6.0")
                .contains("mintaro_collector_namespace_stored_bytes{namespace=\"default\"} " + newestFour + ".0");
    }

    @Test
    void eachNamespaceHasItsOwnLimitsAndExpiresOnlyItsOwnTraces() throws Exception {
        start(b -> b.retentionMaxAgeMs(0).retentionMaxBytes(0).apiKey("payments", PAYMENTS_ADMIN));
        HttpResponse<String> ingest = c.raw("POST", "/api/keys", "{\"kind\": \"ingest\"}",
                Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN, "Content-Type", "application/json"));
        String paymentsIngest = TestCollector.json(ingest).get("key").asText();
        String paymentsAgent = "c000000000000001";
        c.agentPost("/agent/v1/register", "{\"agentId\": \"" + paymentsAgent + "\", \"service\": \"payments\","
                + " \"host\": \"box\", \"pid\": 1, \"sdk\": \"0.1.0\", \"authorities\": []}", paymentsIngest);
        String shared = traceId(0xd01);
        c.postBatch(card(shared, T0_US));
        ObjectNode theirs = card(shared, T0_US);
        theirs.put("agentId", paymentsAgent);
        assertThat(c.agentPost("/agent/v1/batches", theirs.toString(), paymentsIngest).statusCode()).isEqualTo(200);
        HttpResponse<String> own = c.raw("PUT", "/api/namespaces/payments/retention",
                "{\"maxAgeMs\": " + HOUR_MS + "}",
                Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN, "Content-Type", "application/json"));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        try (Connection db = c.connect()) {
            db.setAutoCommit(true);
            update(db, "UPDATE traces SET created_at_ms = created_at_ms - " + 2 * HOUR_MS + " WHERE trace_id = ?",
                    shared);
            update(db, "UPDATE traces SET created_at_ms = created_at_ms - " + 2 * HOUR_MS + " WHERE trace_id = ?",
                    "payments/" + shared);
        }

        List<Retention.Outcome> outcomes = c.collector.expireNow();

        assertThat(outcomes).extracting(Retention.Outcome::namespace).containsExactly("default", "payments");
        assertThat(outcomes.get(0).byAge().traces()).as("default: no limit").isZero();
        assertThat(outcomes.get(1).byAge().traces()).isEqualTo(1);
        assertThat(c.get("/api/traces/" + shared).statusCode()).as("default's copy stays").isEqualTo(200);
        assertThat(c.get("/api/traces/" + shared, PAYMENTS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/namespaces/payments", PAYMENTS_ADMIN).body()).contains("\"traces\":0");
        assertThat(c.get("/api/namespaces/default", PAYMENTS_ADMIN).statusCode())
                .as("another namespace's figures are not shown").isEqualTo(404);
    }

    @Test
    void aLateBatchForAnExpiredTraceIsDroppedAndLeavesNoRows() throws Exception {
        start(b -> b.retentionMaxAgeMs(HOUR_MS));
        String id = traceId(0xe01);
        c.postBatch(card(id, T0_US));
        age(id, 2 * HOUR_MS);
        assertThat(only(c.collector.expireNow()).byAge().traces()).isEqualTo(1);

        ObjectNode late = served(PAYMENTS, id, 7, null, "POST /payments", T0_US, 20_000, 200);
        HttpResponse<String> r = c.agentPost("/agent/v1/batches", late);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestCollector.json(r).get("accepted").asInt()).as("unknown, untriggered: dropped").isZero();
        assertThat(rowsOf(id)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    }

    @Test
    void batchesStoredWhileOldTracesExpireAreAllKept() throws Exception {
        start(b -> b.retentionMaxAgeMs(HOUR_MS).retentionMaxBytes(0));
        int old = 10 * RetentionStore.CHUNK + 7; // several chunks
        try (Connection db = c.connect()) {
            db.setAutoCommit(true);
            for (int i = 0; i < old; i++) {
                c.postBatch(card(traceId(0x10000 + i), T0_US + i));
            }
            update(db, "UPDATE traces SET created_at_ms = created_at_ms - " + 2 * HOUR_MS + " WHERE trace_id <> ?", "");
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Retention.Outcome>> expiring = pool.submit(() -> c.collector.expireNow());
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = traceId(0x20000 + i);
                fresh.add(id);
                c.postBatch(card(id, T0_US + i));
            }
            assertThat(only(expiring.get()).byAge().traces()).isEqualTo(old);
            for (String id : fresh) {
                assertThat(c.trace(id).get("spans")).as(id).hasSize(1);
            }
            assertThat(c.getJson("/api/traces").get("total").asLong()).isEqualTo(100);
            assertThat(c.getJson("/api/groups/" + CARD).get("occurrences").asLong()).isEqualTo(old + 100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTraceStoresTheBytesOfItsEncodedRecordsAndBodiesAndGrowsWithLateOnes() throws Exception {
        start(b -> { });
        String id = traceId(0xf01);
        ObjectNode b = card(id, T0_US);
        ((ObjectNode) b.get("traces").get(0).get("messages").get(0)).put("requestBody", "y".repeat(20_000));
        c.postBatch(b);
        long first = storedBytes(id);
        // The body, the other records' encoded payloads, and the rows' estimated overhead: a span, a
        // message and two logs of 256 bytes each, and 2,048 for the trace (docs/retention.md).
        long overhead = 4 * 256 + 2_048;
        assertThat(first).isBetween(20_000L + overhead, 20_000L + overhead + 3_000);
        ObjectNode more = served(PAYMENTS, id, 2, 1, "POST /payments", T0_US + 100, 1_000, 200);
        ((ObjectNode) more.get("traces").get(0).get("messages").get(0)).put("responseBody", "z".repeat(5_000));
        c.postBatch(more);
        assertThat(storedBytes(id)).as("a span, a message, a log more").isBetween(first + 5_000 + 3 * 256,
                first + 5_000 + 3 * 256 + 3_000);
    }

    // ------------------------------------------------------------ helpers

    /** The same counts over time and in total (the range moves with the clock: buckets by start). */
    private static void assertSameActivity(JsonNode before, JsonNode after) {
        assertThat(after.at("/activity/buckets")).isEqualTo(before.at("/activity/buckets"));
        for (String figure : List.of("triggers", "errors", "stored", "counted")) {
            assertThat(after.at("/service/" + figure)).as(figure).isEqualTo(before.at("/service/" + figure));
        }
    }

    /** A trace of the CARD group: payments logged the exception and answered 500. */
    static ObjectNode card(String traceId, long startUs) {
        ObjectNode b = served(PAYMENTS, traceId, 1, null, "POST /payments", startUs, 20_000, 500);
        loggedError(b, "java.lang.IllegalStateException", startUs + 3_000);
        trigger(b, traceId, "error", "ERROR bank declined the card", startUs / 1000);
        return b;
    }

    /** Moves a trace's storing back by {@code ms}. */
    private void age(String traceId, long ms) throws Exception {
        try (Connection db = c.connect()) {
            db.setAutoCommit(true);
            update(db, "UPDATE traces SET created_at_ms = created_at_ms - " + ms + " WHERE trace_id = ?", traceId);
        }
    }

    private long storedBytes(String traceId) throws Exception {
        return Long.parseLong(c.query("SELECT stored_bytes FROM traces WHERE trace_id = '" + traceId + "'").get(0));
    }

    /** Rows of a trace in each table. */
    private Map<String, Long> rowsOf(String traceId) throws Exception {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String table : TRACE_TABLES) {
            out.put(table, Long.parseLong(
                    c.query("SELECT count(*) FROM " + table + " WHERE trace_id = '" + traceId + "'").get(0)));
        }
        return out;
    }

    private static void update(Connection db, String sql, String arg) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }

    private static Retention.Outcome only(List<Retention.Outcome> outcomes) {
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }
}
