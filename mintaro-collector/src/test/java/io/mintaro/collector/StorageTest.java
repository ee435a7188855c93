package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is stored, how duplicates and updates are merged, and that it survives a restart. */
class StorageTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final long AT_MS = 1_763_700_000_123L;

    @TempDir
    Path dir;

    @Test
    void aResentBatchStoresNothingTwice() {
        try (TestCollector c = TestCollector.start(dir)) {
            c.register(ORDERS, "orders");
            String t = traceId(0x401);
            ObjectNode b = batch(ORDERS);
            trigger(b, t, "error", "boom", AT_MS);
            ObjectNode e = entry(b, t, false);
            span(e, spanId(1), null, "GET /", "failed", T0_US, T0_US + 5);
            message(e, 1, spanId(1), "inbound", "GET", "http://x/", 500, T0_US, null, null);
            log(e, 2, spanId(1), T0_US, "ERROR", "boom");

            assertThat(c.postBatch(b)).isEqualTo(3);
            assertThat(c.postBatch(b)).isZero();

            JsonNode trace = c.trace(t);
            assertThat(trace.get("spanCount").asInt()).isEqualTo(1);
            assertThat(trace.get("messageCount").asInt()).isEqualTo(1);
            assertThat(trace.get("logCount").asInt()).isEqualTo(1);
            assertThat(trace.get("triggers")).hasSize(1);
        }
    }

    @Test
    void aFinishedSpanReplacesAStartedOneButNeverTheReverse() {
        try (TestCollector c = TestCollector.start(dir)) {
            c.register(ORDERS, "orders");
            String t = traceId(0x402);
            ObjectNode started = batch(ORDERS);
            trigger(started, t, "slow", "slow", AT_MS);
            span(entry(started, t, false), spanId(1), null, "GET /slow", "started", T0_US, null);
            assertThat(c.postBatch(started)).isEqualTo(1);
            assertThat(c.trace(t).get("spans").get(0).get("status").asText()).isEqualTo("started");

            ObjectNode finished = batch(ORDERS);
            span(entry(finished, t, false), spanId(1), null, "GET /slow", "succeeded", T0_US, T0_US + 4_000_000);
            assertThat(c.postBatch(finished)).isEqualTo(1);

            ObjectNode staleAgain = batch(ORDERS);
            span(entry(staleAgain, t, false), spanId(1), null, "GET /slow", "started", T0_US, null);
            assertThat(c.postBatch(staleAgain)).isZero();

            JsonNode s = c.trace(t).get("spans").get(0);
            assertThat(s.get("status").asText()).isEqualTo("succeeded");
            assertThat(s.get("endUs").asLong()).isEqualTo(T0_US + 4_000_000);
            assertThat(c.trace(t).get("durationMs").asDouble()).isEqualTo(4_000.0);
        }
    }

    @Test
    void recordsAreReturnedAsSentPlusServiceAndAgentId() {
        try (TestCollector c = TestCollector.start(dir)) {
            c.register(ORDERS, "orders");
            String t = traceId(0x403);
            ObjectNode b = batch(ORDERS);
            trigger(b, t, "error", "boom", AT_MS);
            ObjectNode e = entry(b, t, false);
            ObjectNode sent = span(e, spanId(1), null, "GET /", "failed", T0_US, T0_US + 5);
            sent.putObject("error").put("type", "java.lang.IllegalStateException").put("message", "card declined")
                    .put("stack", "at x");
            Records.event(sent, T0_US + 2, "cache miss", "cache.key", "user:42");
            sent.put("unknownFutureField", 1);
            c.postBatch(b);

            JsonNode stored = c.trace(t).get("spans").get(0);
            ObjectNode expected = sent.deepCopy();
            expected.remove("unknownFutureField");
            expected.put("service", "orders").put("agentId", ORDERS);
            assertThat(stored).isEqualTo(expected);
        }
    }

    @Test
    void theSummaryIsDerivedFromTheRecords() {
        try (TestCollector c = TestCollector.start(dir)) {
            c.register(ORDERS, "orders");
            c.register(PAYMENTS, "payments");
            String t = traceId(0x404);
            ObjectNode b = batch(ORDERS);
            trigger(b, t, "manual", "operator", AT_MS);
            ObjectNode e = entry(b, t, false);
            // An orphan (parent not in the trace) starting later than the true root.
            span(e, spanId(9), spanId(8), "orphan", "succeeded", T0_US + 10, T0_US + 20);
            span(e, spanId(1), null, "GET /root", "succeeded", T0_US, T0_US + 1_500);
            c.postBatch(b);
            JsonNode trace = c.trace(t);
            assertThat(trace.get("name").asText()).isEqualTo("GET /root");
            assertThat(trace.get("startedAt").asText()).isEqualTo("2025-11-21T04:40:00Z");
            assertThat(trace.get("durationMs").asDouble()).isEqualTo(1.5);
            assertThat(trace.get("status").asText()).isEqualTo("ok");

            // A 5xx served by any service turns the trace into an error even without an error trigger.
            ObjectNode late = batch(PAYMENTS);
            message(entry(late, t, false), 1, null, "inbound", "POST", "http://p/pay", 503, T0_US + 100, null, null);
            c.postBatch(late);
            assertThat(c.trace(t).get("status").asText()).isEqualTo("error");
            assertThat(c.trace(t).get("services")).extracting(JsonNode::asText).containsExactly("orders", "payments");
        }
    }

    @Test
    void dataAndRegistrationsSurviveARestart() throws Exception {
        String t = traceId(0x405);
        try (TestCollector c = TestCollector.start(dir)) {
            c.register(ORDERS, "orders");
            ObjectNode b = batch(ORDERS);
            trigger(b, t, "error", "boom", AT_MS);
            ObjectNode e = entry(b, t, false);
            span(e, spanId(1), null, "GET /", "failed", T0_US, T0_US + 5);
            log(e, 1, spanId(1), T0_US, "DEBUG", "kept across restarts");
            c.postBatch(b);
        }
        try (TestCollector c = TestCollector.start(dir)) {
            JsonNode trace = c.trace(t);
            assertThat(trace.get("complete").asBoolean()).isTrue();
            assertThat(trace.get("logs").get(0).get("message").asText()).isEqualTo("kept across restarts");
            assertThat(TestCollector.json(c.get("/api/services")).get("services").get(0).get("name").asText())
                    .isEqualTo("orders");

            // The registration is in the database: the agent polls on without registering again.
            HttpResponse<String> poll = c.agentPost("/agent/v1/poll", "{\"agentId\":\"" + ORDERS + "\"}");
            assertThat(poll.statusCode()).isEqualTo(200);
            HttpResponse<String> stranger = c.agentPost("/agent/v1/poll", "{\"agentId\":\"" + PAYMENTS + "\"}");
            assertThat(stranger.statusCode()).isEqualTo(404);
        }
    }

    /**
     * The retrieval's state is in the database: a collection interrupted by a restart goes on after
     * it, and an agent that comes back after the restart is still asked.
     */
    @Test
    void aCollectionInterruptedByARestartGoesOnAfterIt() throws Exception {
        String t = traceId(0x406);
        try (TestCollector c = TestCollector.start(dir, b -> b.reconnectWaitMs(30_000))) {
            c.register(ORDERS, "orders");
            ObjectNode b = batch(ORDERS);
            trigger(b, t, "error", "boom", AT_MS);
            Records.breadcrumb(entry(b, t, false), "callee", PAYMENTS, null);
            c.postBatch(b);
            assertThat(c.trace(t).get("complete").asBoolean()).isFalse();
        }
        try (TestCollector c = TestCollector.start(dir, b -> b.reconnectWaitMs(30_000))) {
            assertThat(c.trace(t).get("complete").asBoolean()).isFalse();
            c.register(PAYMENTS, "payments");
            JsonNode commands = TestCollector.json(c.pollAsync(PAYMENTS).get(5, TimeUnit.SECONDS)).get("commands");
            assertThat(commands).extracting(x -> x.get("traceId").asText()).containsExactly(t);
            ObjectNode reply = batch(PAYMENTS);
            Records.log(entry(reply, t, true), 1, null, Records.T0_US, "ERROR", "declined");
            c.postBatch(reply);
            JsonNode trace = c.awaitComplete(t, Duration.ofSeconds(3));
            assertThat(trace.get("services")).extracting(JsonNode::asText).containsExactly("orders", "payments");
        }
    }

    @Test
    void theHealthNamesTheDatabaseAndItsSchema() throws Exception {
        try (TestCollector c = TestCollector.start(dir)) {
            JsonNode health = c.getJson("/api/health");
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.at("/database/kind").asText())
                    .isEqualTo(TestDatabase.postgresql() ? "postgresql" : "sqlite");
            assertThat(health.at("/database/reachable").asBoolean()).isTrue();
            assertThat(health.at("/database/schemaVersion").asInt()).isEqualTo(14);
        }
    }

    @Test
    void withoutConfiguredKeysAnAdminKeyIsGeneratedOnceAndStoredOnlyAsItsHash() throws Exception {
        CollectorConfig config = CollectorConfig.builder().host("127.0.0.1").port(0)
                .dbPath(dir.resolve("keys.db")).build();
        String key;
        try (Collector c = Collector.start(config)) {
            key = c.apiKey();
            assertThat(key).startsWith("mk_").hasSizeGreaterThan(30);
            HttpResponse<String> r = new TestHttp(c.url()).get("/api/traces", key);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(c.store().namespaces().keyByHash(io.mintaro.collector.internal.Sha256.hex(key)))
                    .hasValueSatisfying(k -> {
                        assertThat(k.namespace()).isEqualTo("default");
                        assertThat(k.kind()).isEqualTo(io.mintaro.collector.store.ApiKey.Kind.ADMIN);
                    });
        }
        try (Collector c = Collector.start(config)) {
            // Stored keys exist: nothing is generated, and the first key still works.
            assertThat(c.apiKey()).isNull();
            assertThat(new TestHttp(c.url()).get("/api/traces", key).statusCode()).isEqualTo(200);
        }
    }

    /** Minimal client for a collector not wrapped in {@link TestCollector}. */
    record TestHttp(String base) {
        HttpResponse<String> get(String path, String key) throws Exception {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
