package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.counted;
import static io.mintaro.collector.Records.more;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Namespaces;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.AgentRow;
import io.mintaro.collector.store.AgentStore;
import io.mintaro.collector.store.ServiceActivity;
import io.mintaro.collector.store.Storage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health of each service (docs/api.md, {@code /api/services}): the versions its agents run,
 * which agents are connected, its triggers, errors, stored traces and counted occurrences over
 * time, and what its recorders report. Store and API, on SQLite and (contract run) PostgreSQL.
 */
class ServiceHealthTest {
    static final String ORDERS_1 = "a000000000000001";
    static final String ORDERS_2 = "a000000000000002";
    static final String ORDERS_3 = "a000000000000003";
    static final String ORDERS_OLD = "a0000000000000f1";
    static final String PAYMENTS = "b000000000000001";
    /** 2025-11-21T04:00:00Z, the start of an hour. */
    static final long H0 = 1_763_697_600_000L;
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    /** A collector whose agents count as connected for 45 s after their last request. */
    private TestCollector start() {
        return TestCollector.start(dir, b -> b.pollTimeoutMs(20_000));
    }

    @Test
    void aServiceShowsItsVersionsWithHowManyAgentsRunEach() {
        try (TestCollector c = start()) {
            register(c, ORDERS_1, "orders", "2.4.1");
            register(c, ORDERS_2, "orders", "2.4.1");
            register(c, ORDERS_3, "orders", "2.5.0-rc.1+g3f2a9c0");
            register(c, "a000000000000004", "orders", null);
            register(c, PAYMENTS, "payments", "1.0");

            JsonNode orders = service(c.getJson("/api/services"), "orders");
            assertThat(orders.get("agents").asInt()).as("connected").isEqualTo(4);
            assertThat(orders.get("agentsSeen").asInt()).isEqualTo(4);
            assertThat(orders.get("versions").toString()).isEqualTo("""
                    [{"version":"2.4.1","agents":2,"connected":2},\
                    {"version":"2.5.0-rc.1+g3f2a9c0","agents":1,"connected":1},\
                    {"version":null,"agents":1,"connected":1}]""");
            assertThat(service(c.getJson("/api/services"), "payments").get("versions").toString())
                    .isEqualTo("[{\"version\":\"1.0\",\"agents\":1,\"connected\":1}]");

            JsonNode detail = c.getJson("/api/services/orders");
            assertThat(detail.get("service")).isEqualTo(orders);
            assertThat(detail.get("agents")).extracting(a -> a.get("agentId").asText() + " " + a.get("version"))
                    .containsExactly(ORDERS_1 + " \"2.4.1\"", ORDERS_2 + " \"2.4.1\"",
                            ORDERS_3 + " \"2.5.0-rc.1+g3f2a9c0\"", "a000000000000004 null");
            JsonNode first = detail.get("agents").get(0);
            assertThat(first.get("host").asText()).isEqualTo("box-1");
            assertThat(first.get("pid").asLong()).isEqualTo(4242);
            assertThat(first.get("sdk").asText()).isEqualTo("0.1.0");
        }
    }

    @Test
    void aVersionIsOneTo64CharactersWithoutControlCharactersOrTheRegistrationIs400() throws Exception {
        try (TestCollector c = start()) {
            String message = "version: must be 1-64 characters without control characters";
            for (String bad : List.of("\"\"", "\"" + "v".repeat(65) + "\"", "\"1.0\\n2.0\"", "\"1.0\\u0000\"",
                    "\"1.0\\u0085\"")) {
                HttpResponse<String> r = c.agentPost("/agent/v1/register",
                        "{\"agentId\": \"" + ORDERS_1 + "\", \"service\": \"orders\", \"version\": " + bad + "}");
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(TestCollector.json(r).get("error").asText()).as(bad).isEqualTo(message);
            }
            HttpResponse<String> number = c.agentPost("/agent/v1/register",
                    "{\"agentId\": \"" + ORDERS_1 + "\", \"service\": \"orders\", \"version\": 2}");
            assertThat(number.statusCode()).isEqualTo(400);
            assertThat(TestCollector.json(number).get("error").asText()).isEqualTo("version: must be a string");
            assertThat(c.query("SELECT agent_id FROM agents")).as("nothing registered").isEmpty();

            // At the limit, and any printable text (a commit id, a build, another script) is a version.
            register(c, ORDERS_1, "orders", "v".repeat(64));
            register(c, ORDERS_2, "orders", "2026.01 build 7 – grün 🚀");
            assertThat(c.query("SELECT version FROM agents ORDER BY agent_id"))
                    .containsExactly("v".repeat(64), "2026.01 build 7 – grün 🚀");
        }
    }

    @Test
    void anAgentIsConnectedWhileItPollsHereOrAnyCollectorSawItRecently() throws Exception {
        try (TestCollector c = start()) {
            long now = System.currentTimeMillis();
            register(c, ORDERS_1, "orders", "2.4.1");
            Storage store = c.collector.store();
            // Registered with another collector on the same database: this one knows it only from the
            // stored last-seen time, which that collector keeps flushing.
            store.agents().upsert(new Registration(ORDERS_2, "orders", "2.4.1", "box-2", 7L, "0.1.0", List.of()), now);
            // A process that stopped ten minutes ago, and one that stopped three days ago.
            store.agents().upsert(new Registration(ORDERS_OLD, "orders", "2.3.0", "box-3", 8L, "0.1.0", List.of()),
                    now - 10 * MINUTE);
            store.agents().upsert(new Registration("a0000000000000f2", "orders", "2.2.0", "box-4", 9L, "0.1.0",
                    List.of()), now - 72 * HOUR);

            JsonNode orders = service(c.getJson("/api/services"), "orders");
            assertThat(orders.get("agents").asInt()).as("connected").isEqualTo(2);
            assertThat(orders.get("agentsSeen").asInt()).as("seen in the last 24 hours").isEqualTo(3);
            assertThat(orders.get("versions").toString()).isEqualTo("""
                    [{"version":"2.4.1","agents":2,"connected":2},{"version":"2.3.0","agents":1,"connected":0}]""");

            JsonNode agents = c.getJson("/api/services/orders").get("agents");
            assertThat(agents).extracting(a -> a.get("agentId").asText() + " " + a.get("connected").asBoolean())
                    .containsExactly(ORDERS_1 + " true", ORDERS_2 + " true", ORDERS_OLD + " false");
            assertThat(agents.get(2).get("lastSeenAtMs").asLong()).isEqualTo(now - 10 * MINUTE);
            assertThat(agents.get(1).get("lastSeenAtMs").asLong()).isEqualTo(now);

            // A range that reaches back three days lists the older process too; connected ones are
            // listed whatever the range.
            assertThat(service(c.getJson("/api/services?from=" + (now - 100 * HOUR)), "orders").get("agentsSeen")
                    .asInt()).isEqualTo(4);
            assertThat(c.getJson("/api/services/orders?from=" + (now - 2 * HOUR) + "&to=" + (now - HOUR))
                    .get("agents")).extracting(a -> a.get("agentId").asText()).containsExactly(ORDERS_1, ORDERS_2,
                    ORDERS_OLD);
        }
    }

    @Test
    void triggersErrorsStoredTracesAndCountedOccurrencesAreCountedPerBucket() throws Exception {
        try (TestCollector c = start()) {
            register(c, ORDERS_1, "orders", "2.4.1");
            register(c, PAYMENTS, "payments", "1.0");
            Storage store = c.collector.store();
            // Stored at chosen times (the collector's clock at arrival), as the batch endpoint would.
            ingest(store, "orders", H0 + 10 * MINUTE, trigger(batch(ORDERS_1), traceId(0xd01), "error", "HTTP 500",
                    H0 + 10 * MINUTE));
            ingest(store, "orders", H0 + 20 * MINUTE, trigger(batch(ORDERS_1), traceId(0xd02), "slow", "slow",
                    H0 + 20 * MINUTE));
            ObjectNode counts = batch(ORDERS_1);
            more(counted(counts, "error", "GET /price", "HTTP 500"), 40, H0 + 30 * MINUTE + 15_000);
            ingest(store, "orders", H0 + 31 * MINUTE, counts);
            // Payments triggered this trace first; orders' later trigger is a trigger of orders, the
            // stored trace is payments'.
            ingest(store, "payments", H0 + 65 * MINUTE, trigger(batch(PAYMENTS), traceId(0xd03), "error", "HTTP 503",
                    H0 + 65 * MINUTE));
            ingest(store, "orders", H0 + 66 * MINUTE, trigger(batch(ORDERS_1), traceId(0xd03), "error", "HTTP 502",
                    H0 + 66 * MINUTE));
            // Outside the range: just before it, and at its end (exclusive).
            ingest(store, "orders", H0 - 1, trigger(batch(ORDERS_1), traceId(0xd04), "error", "early", H0 - 1));
            ingest(store, "orders", H0 + 3 * HOUR, trigger(batch(ORDERS_1), traceId(0xd05), "error", "late",
                    H0 + 3 * HOUR));

            assertThat(store.stats().activity(Namespaces.DEFAULT, "orders", H0, H0 + 3 * HOUR, HOUR)).containsExactly(
                    new ServiceActivity(H0, 2, 1, 2, 40), new ServiceActivity(H0 + HOUR, 1, 0, 0, 0));
            assertThat(store.stats().activity(Namespaces.DEFAULT, "payments", H0, H0 + 3 * HOUR, HOUR)).containsExactly(
                    new ServiceActivity(H0 + HOUR, 1, 1, 1, 0));
            assertThat(store.stats().activity(Namespaces.DEFAULT, "orders", H0, H0 + 3 * HOUR, MINUTE)).containsExactly(
                    new ServiceActivity(H0 + 10 * MINUTE, 1, 1, 1, 0),
                    new ServiceActivity(H0 + 20 * MINUTE, 1, 0, 1, 0),
                    new ServiceActivity(H0 + 30 * MINUTE, 0, 0, 0, 40),
                    new ServiceActivity(H0 + 66 * MINUTE, 1, 0, 0, 0));
            assertThat(store.stats().activityTotals(Namespaces.DEFAULT, List.of("orders", "payments", "nobody"), H0, H0 + 3 * HOUR))
                    .isEqualTo(Map.of("orders", new ServiceActivity(H0, 3, 1, 2, 40),
                            "payments", new ServiceActivity(H0, 1, 1, 1, 0), "nobody", ServiceActivity.none(H0)));

            // The API: every bucket of the range, empty ones included, and the totals.
            JsonNode detail = c.getJson("/api/services/orders?from=" + H0 + "&to=" + (H0 + 3 * HOUR) + "&bucket=hour");
            JsonNode activity = detail.get("activity");
            assertThat(activity.get("bucket").asText()).isEqualTo("hour");
            assertThat(activity.get("bucketMs").asLong()).isEqualTo(HOUR);
            assertThat(activity.get("fromMs").asLong()).isEqualTo(H0);
            assertThat(activity.get("toMs").asLong()).isEqualTo(H0 + 3 * HOUR);
            assertThat(activity.get("buckets").toString()).isEqualTo(("""
                    [{"startMs":%d,"triggers":2,"errors":1,"stored":2,"counted":40},\
                    {"startMs":%d,"triggers":1,"errors":0,"stored":0,"counted":0},\
                    {"startMs":%d,"triggers":0,"errors":0,"stored":0,"counted":0}]""")
                    .formatted(H0, H0 + HOUR, H0 + 2 * HOUR));
            JsonNode totals = detail.get("service");
            assertThat(List.of(totals.get("triggers").asLong(), totals.get("errors").asLong(),
                    totals.get("stored").asLong(), totals.get("counted").asLong())).containsExactly(3L, 1L, 2L, 40L);
            JsonNode listed = service(c.getJson("/api/services?from=" + H0 + "&to=" + (H0 + 3 * HOUR)), "orders");
            assertThat(listed).isEqualTo(totals);

            // Three hours are counted by the minute unless told otherwise; a range that does not
            // start on a bucket has a first bucket that starts before it and counts from it.
            JsonNode byMinute = c.getJson("/api/services/orders?from=" + H0 + "&to=" + (H0 + 3 * HOUR)).get("activity");
            assertThat(byMinute.get("bucket").asText()).isEqualTo("minute");
            assertThat(byMinute.get("buckets")).hasSize(180);
            assertThat(byMinute.get("buckets").get(10).get("triggers").asLong()).isEqualTo(1);
            JsonNode offset = c.getJson("/api/services/orders?from=" + (H0 + 15 * MINUTE) + "&to=" + (H0 + 2 * HOUR)
                    + "&bucket=hour").get("activity").get("buckets");
            assertThat(offset).extracting(b -> b.get("startMs").asLong() + " " + b.get("triggers").asLong())
                    .containsExactly(H0 + " 1", (H0 + HOUR) + " 1");
        }
    }

    @Test
    void theRecorderStatsOfAPollAreShownPerAgentSummedPerServiceAndStoredWithTheFlush() throws Exception {
        try (TestCollector c = start()) {
            register(c, ORDERS_1, "orders", "2.4.1");
            register(c, ORDERS_2, "orders", "2.4.1");
            poll(c, ORDERS_1, """
                    {"bufferBytes": 67108864, "bytesRecorded": 1000000000, "historyMs": 4200, "retentionShort": true,
                     "triggersReported": 12, "triggersRateLimited": 3, "triggersGroupLimited": 1, "triggersCounted": 4,
                     "triggersDropped": 2, "batchesSent": 15, "batchesFailed": 1, "aFigureOfALaterSdk": 7}""");
            poll(c, ORDERS_2, """
                    {"bufferBytes": 33554432, "historyMs": 9000, "retentionShort": false, "triggersDropped": 5}""");

            JsonNode detail = awaitStats(c, 2);
            JsonNode first = detail.get("agents").get(0).get("stats");
            assertThat(first.get("receivedAtMs").asLong()).isPositive();
            ObjectNode withoutTime = first.deepCopy();
            withoutTime.remove("receivedAtMs");
            assertThat(withoutTime.toString()).isEqualTo("""
                    {"bufferBytes":67108864,"bytesRecorded":1000000000,"historyMs":4200,"retentionShort":true,\
                    "triggersReported":12,"triggersRateLimited":3,"triggersGroupLimited":1,"triggersCounted":4,\
                    "triggersDropped":2,"batchesSent":15,"batchesFailed":1}""");
            assertThat(detail.get("stats").toString()).isEqualTo("""
                    {"agentsReporting":2,"bufferBytes":100663296,"historyMs":4200,"retentionShort":1,\
                    "triggersReported":12,"triggersRateLimited":3,"triggersGroupLimited":1,"triggersCounted":4,\
                    "triggersDropped":7,"batchesSent":15,"batchesFailed":1}""");

            c.collector.flushAgents();
            assertThat(c.query("SELECT stats FROM agents WHERE agent_id = '" + ORDERS_1 + "'").get(0))
                    .contains("\"triggersDropped\":2");
        }
        // A collector that never saw the polls (a restart, another replica) shows the stored figures.
        try (TestCollector c = start()) {
            JsonNode agents = c.getJson("/api/services/orders").get("agents");
            assertThat(agents.get(0).get("stats").get("triggersDropped").asLong()).isEqualTo(2);
            assertThat(agents.get(1).get("stats").get("triggersDropped").asLong()).isEqualTo(5);
        }
    }

    @Test
    void unusableStatsAreIgnoredAndThePollIsServed() {
        try (TestCollector c = TestCollector.start(dir)) {
            register(c, ORDERS_1, "orders", "2.4.1");
            for (String stats : List.of("5", "{\"triggersDropped\": \"many\"}", "{\"retentionShort\": 1}",
                    "{\"historyMs\": -1}")) {
                HttpResponse<String> r = c.agentPost("/agent/v1/poll",
                        "{\"agentId\": \"" + ORDERS_1 + "\", \"stats\": " + stats + "}");
                assertThat(r.statusCode()).as(stats).isEqualTo(200);
                assertThat(TestCollector.json(r).get("commands")).as(stats).isEmpty();
            }
            assertThat(c.getJson("/api/services/orders").get("agents").get(0).get("stats").isNull()).isTrue();
        }
    }

    @Test
    void storedStatsNeverGiveWayToOlderOnes() throws Exception {
        try (TestCollector c = start()) {
            register(c, ORDERS_1, "orders", "2.4.1");
            AgentStore agents = c.collector.store().agents();
            long now = System.currentTimeMillis();
            agents.touch(Map.of(ORDERS_1, new AgentStore.Seen(now, stats(now, 2))));
            // Another collector flushes what the agent told it before.
            agents.touch(Map.of(ORDERS_1, new AgentStore.Seen(now - 5_000, stats(now - 60_000, 1))));
            agents.touch(Map.of(ORDERS_1, new AgentStore.Seen(now - 1_000, null)));

            List<AgentRow> rows = agents.seenSince(Namespaces.DEFAULT, "orders", now - HOUR);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).lastSeenAtMs()).isEqualTo(now);
            assertThat(rows.get(0).stats()).isEqualTo(stats(now, 2));
            assertThat(agents.seenSince(Namespaces.DEFAULT, null, now + 1)).isEmpty();
        }
    }

    @Test
    void anUnknownServiceIs404AndEveryBadParameterIs400NamingIt() {
        try (TestCollector c = start()) {
            register(c, ORDERS_1, "orders", null);
            assertThat(c.get("/api/services/payments").statusCode()).isEqualTo(404);
            assertThat(TestCollector.json(c.get("/api/services/payments")).get("error").asText())
                    .isEqualTo("unknown service");
            Map<String, String> bad = Map.of(
                    "/api/services/no%20spaces", "service must be",
                    "/api/services/orders?bucket=week", "bucket must be one of day, hour, minute",
                    "/api/services/orders?bucket=minute&from=" + H0 + "&to=" + (H0 + 30L * 24 * HOUR),
                    "bucket: the range holds 43200 buckets of a minute, more than 1500",
                    "/api/services/orders?from=" + H0 + "&to=" + H0, "from must be before to",
                    "/api/services/orders?from=yesterday", "from must be an ISO-8601 instant",
                    "/api/services?to=" + H0 + "&to=" + H0, "to is given more than once");
            bad.forEach((path, message) -> {
                HttpResponse<String> r = c.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(400);
                assertThat(TestCollector.json(r).get("error").asText()).as(path).startsWith(message);
            });
            assertThat(c.getJson("/api/services/orders?from=2025-11-21T04:00:00Z&to=2025-11-22T04:00:00%2B01:00")
                    .at("/activity/bucket").asText()).isEqualTo("hour");
            // Thirty days by the day, from the day (UTC) that holds from: 31 buckets.
            assertThat(c.getJson("/api/services/orders?from=" + H0 + "&to=" + (H0 + 30L * 24 * HOUR))
                    .at("/activity/buckets")).hasSize(31);
        }
    }

    private static AgentStats stats(long receivedAtMs, long dropped) {
        return new AgentStats(receivedAtMs, 1024L, null, 10L, false, null, null, null, null, dropped, null, null);
    }

    private static void ingest(Storage store, String service, long atMs, ObjectNode batch) throws Exception {
        store.ingest().store(ProtocolParser.batch(batch), service, atMs);
    }

    static void register(TestCollector c, String agentId, String service, String version) {
        ObjectNode body = TestCollector.JSON.createObjectNode().put("agentId", agentId).put("service", service)
                .put("version", version).put("host", "box-1").put("pid", 4242).put("sdk", "0.1.0");
        if (version == null) {
            body.remove("version");
        }
        body.putArray("authorities");
        HttpResponse<String> r = c.agentPost("/agent/v1/register", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Opens a poll carrying {@code stats} (not waited for: it is held for the poll timeout). */
    private static void poll(TestCollector c, String agentId, String stats) {
        String body = "{\"agentId\": \"" + agentId + "\", \"stats\": " + stats + "}";
        c.sendAsync(c.agentRequest("/agent/v1/poll", body.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    /** The orders service once {@code agents} of its agents have stats (the polls are handled). */
    private static JsonNode awaitStats(TestCollector c, int agents) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode detail = c.getJson("/api/services/orders");
            int reported = 0;
            for (JsonNode a : detail.get("agents")) {
                reported += a.get("stats").isNull() ? 0 : 1;
            }
            if (reported == agents) {
                return detail;
            }
            assertThat(System.nanoTime() - deadline).as("stats of %d agents within 10 s: %s", agents, detail)
                    .isNegative();
            Thread.sleep(20);
        }
    }

    static JsonNode service(JsonNode services, String name) {
        for (JsonNode s : services.get("services")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + services);
    }
}
