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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over stored traces: listing, filtering, one trace, services. */
class RestApiTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final long MINUTE_US = 60_000_000L;

    // Five traces, one minute apart (t1 oldest):
    // t1 orders error "POST /orders" with a log "card declined"
    // t2 orders+payments slow "GET /catalog", payments message body mentions "sku-777"
    // t3 payments ok (manual) "GET /health-check"
    // t4 orders error "DELETE /orders/7" via a failed span, manual trigger
    // t5 payments error "POST /refunds", request URL contains "refund_id=42"
    static final String T1 = traceId(0x501);
    static final String T2 = traceId(0x502);
    static final String T3 = traceId(0x503);
    static final String T4 = traceId(0x504);
    static final String T5 = traceId(0x505);

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        c = TestCollector.start(dir);
        c.register(ORDERS, "orders");
        c.register(PAYMENTS, "payments");

        ObjectNode b1 = batch(ORDERS);
        trigger(b1, T1, "error", "HTTP 500 POST /orders", 1);
        ObjectNode e1 = entry(b1, T1, false);
        ObjectNode s1 = span(e1, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 10_000);
        Records.event(s1, T0_US + 2_000, "cache miss", "cache.key", "user:42", "hits", "3");
        Records.event(s1, T0_US + 4_000, "card refused");
        log(e1, 1, spanId(1), T0_US + 5, "ERROR", "Card DECLINED by issuer");
        c.postBatch(b1);

        ObjectNode b2 = batch(ORDERS);
        trigger(b2, T2, "slow", "GET /catalog took 3 s", 2);
        span(entry(b2, T2, false), spanId(2), null, "GET /catalog", "succeeded", T0_US + MINUTE_US,
                T0_US + MINUTE_US + 3_000_000);
        c.postBatch(b2);
        ObjectNode b2p = batch(PAYMENTS);
        message(entry(b2p, T2, false), 1, null, "inbound", "GET", "http://p/price", 200, T0_US + MINUTE_US + 10,
                null, "{\"sku\":\"sku-777\"}");
        c.postBatch(b2p);

        ObjectNode b3 = batch(PAYMENTS);
        trigger(b3, T3, "manual", "check", 3);
        span(entry(b3, T3, false), spanId(3), null, "GET /health-check", "succeeded", T0_US + 2 * MINUTE_US,
                T0_US + 2 * MINUTE_US + 100);
        c.postBatch(b3);

        ObjectNode b4 = batch(ORDERS);
        trigger(b4, T4, "manual", "check", 4);
        span(entry(b4, T4, false), spanId(4), null, "DELETE /orders/7", "failed", T0_US + 3 * MINUTE_US,
                T0_US + 3 * MINUTE_US + 100);
        c.postBatch(b4);

        ObjectNode b5 = batch(PAYMENTS);
        trigger(b5, T5, "error", "boom", 5);
        ObjectNode e5 = entry(b5, T5, false);
        span(e5, spanId(5), null, "POST /refunds", "failed", T0_US + 4 * MINUTE_US, T0_US + 4 * MINUTE_US + 100);
        message(e5, 1, spanId(5), "inbound", "POST", "http://p/refunds?refund_id=42", 500, T0_US + 4 * MINUTE_US,
                null, null);
        c.postBatch(b5);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    static List<String> ids(String query) {
        HttpResponse<String> r = c.get("/api/traces" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        TestCollector.json(r).get("traces").forEach(t -> out.add(t.get("traceId").asText()));
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Found by CollectorHttpFuzzTest in the PostgreSQL run: {@code q=a%00b} reached the query and
     * PostgreSQL's refusal of U+0000 was answered with a 500.
     */
    @Test
    void aParameterWithANulCharacterIsA400() {
        for (String query : List.of("?q=a%00b", "?tag=k:v%00w", "?service=a%00b")) {
            HttpResponse<String> r = c.get("/api/traces" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(query).contains("U+0000");
        }
    }

    @Test
    void listsAllTracesNewestFirst() {
        assertThat(ids("")).containsExactly(T5, T4, T3, T2, T1);
        assertThat(ids("?status=all")).containsExactly(T5, T4, T3, T2, T1);
    }

    @Test
    void aSummaryHasEverythingAListNeeds() {
        JsonNode t1 = TestCollector.json(c.get("/api/traces?limit=1000")).get("traces").get(4);
        assertThat(t1.get("traceId").asText()).isEqualTo(T1);
        assertThat(t1.get("name").asText()).isEqualTo("POST /orders");
        assertThat(t1.get("status").asText()).isEqualTo("error");
        assertThat(t1.get("services")).extracting(JsonNode::asText).containsExactly("orders");
        assertThat(t1.get("startedAt").asText()).isEqualTo("2025-11-21T04:40:00Z");
        assertThat(t1.get("durationMs").asDouble()).isEqualTo(10.0);
        assertThat(t1.get("triggerKind").asText()).isEqualTo("error");
        assertThat(t1.get("triggerReason").asText()).isEqualTo("HTTP 500 POST /orders");
        assertThat(t1.get("spanCount").asInt()).isEqualTo(1);
        assertThat(t1.get("messageCount").asInt()).isZero();
        assertThat(t1.get("logCount").asInt()).isEqualTo(1);
        assertThat(t1.get("complete").asBoolean()).isTrue();
        assertThat(t1.get("triggeredAtMs").asLong()).isEqualTo(1);
        assertThat(t1.get("completedAtMs").isNumber()).isTrue();
    }

    @Test
    void filtersByStatus() {
        assertThat(ids("?status=error")).containsExactly(T5, T4, T1);
        assertThat(ids("?status=slow")).containsExactly(T2);
        assertThat(ids("?status=ok")).containsExactly(T3);
    }

    @Test
    void filtersByService() {
        assertThat(ids("?service=payments")).containsExactly(T5, T3, T2);
        assertThat(ids("?service=orders&status=error")).containsExactly(T4, T1);
        assertThat(ids("?service=nobody")).isEmpty();
    }

    @Test
    void searchesNamesLogsUrlsAndBodiesIgnoringCase() {
        assertThat(ids("?q=card+declined")).containsExactly(T1);
        assertThat(ids("?q=CATALOG")).containsExactly(T2);
        assertThat(ids("?q=sku-777")).containsExactly(T2);
        assertThat(ids("?q=" + enc("refund_id=42"))).containsExactly(T5);
        assertThat(ids("?q=/orders")).containsExactly(T4, T1);
        // LIKE wildcards in the text are literal characters.
        assertThat(ids("?q=" + enc("%"))).isEmpty();
        assertThat(ids("?q=" + enc("refund_"))).containsExactly(T5);
    }

    @Test
    void limitsTheNumberOfTraces() {
        assertThat(ids("?limit=2")).containsExactly(T5, T4);
    }

    @Test
    void pagesOfTracesComeWithTheirPageSizeAndTotal() {
        JsonNode first = c.getJson("/api/traces?limit=2");
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("pageSize").asInt()).isEqualTo(2);
        assertThat(first.get("total").asLong()).isEqualTo(5);
        assertThat(ids("?limit=2&page=2")).containsExactly(T3, T2);
        assertThat(ids("?limit=2&page=3")).containsExactly(T1);
        JsonNode beyond = c.getJson("/api/traces?limit=2&page=4");
        assertThat(beyond.get("traces")).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(5);
        // The total counts what the filters select; pageSize is another name of limit.
        assertThat(c.getJson("/api/traces?status=error&pageSize=2&page=2").get("total").asLong()).isEqualTo(3);
        assertThat(ids("?status=error&pageSize=2&page=2")).containsExactly(T1);
        assertThat(c.getJson("/api/traces").get("pageSize").asInt()).isEqualTo(50);
    }

    @Test
    void filtersByStartTimeAsIsoInstantOrEpochMillis() {
        long t0Ms = T0_US / 1000;
        assertThat(ids("?from=2025-11-21T04:41:00Z&to=2025-11-21T04:43:00Z")).containsExactly(T3, T2);
        assertThat(ids("?from=" + (t0Ms + 60_000) + "&to=" + (t0Ms + 180_000))).containsExactly(T3, T2);
        assertThat(ids("?from=" + enc("2025-11-21T05:43:00+01:00"))).containsExactly(T5, T4);
        assertThat(ids("?to=" + t0Ms)).isEmpty();
    }

    @Test
    void badParametersAre400() {
        for (String q : new String[] {"?status=broken", "?limit=0", "?limit=1001", "?limit=ten", "?from=yesterday",
                "?to=2025-13-01T00:00:00Z", "?service=" + enc("no spaces"), "?q=" + "x".repeat(201),
                "?status=ok&status=error", "?page=0", "?page=-2", "?page=first", "?limit=2&pageSize=2",
                "?pageSize=1001"}) {
            HttpResponse<String> r = c.get("/api/traces" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).isNotBlank();
        }
    }

    @Test
    void oneTraceHasItsRecordsInOrder() {
        JsonNode t = c.trace(T2);
        assertThat(t.get("traceId").asText()).isEqualTo(T2);
        assertThat(t.get("spans")).hasSize(1);
        assertThat(t.get("messages").get(0).get("service").asText()).isEqualTo("payments");
        assertThat(t.get("messages").get(0).get("agentId").asText()).isEqualTo(PAYMENTS);
        assertThat(t.get("messages").get(0).get("responseBody").asText()).isEqualTo("{\"sku\":\"sku-777\"}");
        assertThat(t.get("logs")).isEmpty();
        JsonNode trigger = t.get("triggers").get(0);
        assertThat(trigger.get("kind").asText()).isEqualTo("slow");
        assertThat(trigger.get("reason").asText()).isEqualTo("GET /catalog took 3 s");
        assertThat(trigger.get("atMs").asLong()).isEqualTo(2);
        assertThat(trigger.get("service").asText()).isEqualTo("orders");
        assertThat(trigger.get("agentId").asText()).isEqualTo(ORDERS);
    }

    @Test
    void aSpanComesOutAsTheAgentSentItWithItsEventsServiceAndAgent() {
        JsonNode span = c.trace(T1).get("spans").get(0);
        assertThat(span.toString()).isEqualTo("{\"spanId\":\"" + spanId(1) + "\",\"parentSpanId\":null,"
                + "\"name\":\"POST /orders\",\"kind\":\"server\",\"status\":\"failed\",\"startUs\":" + T0_US
                + ",\"endUs\":" + (T0_US + 10_000) + ",\"attributes\":{\"http.route\":\"/x\"},\"error\":null,"
                + "\"handledErrors\":[],\"events\":["
                + "{\"timeUs\":" + (T0_US + 2_000) + ",\"name\":\"cache miss\","
                + "\"attributes\":{\"cache.key\":\"user:42\",\"hits\":\"3\"}},"
                + "{\"timeUs\":" + (T0_US + 4_000) + ",\"name\":\"card refused\",\"attributes\":{}}],"
                + "\"service\":\"orders\",\"agentId\":\"" + ORDERS + "\"}");
        // A span sent without events has an empty list.
        assertThat(c.trace(T2).at("/spans/0/events").toString()).isEqualTo("[]");
    }

    @Test
    void anUnknownTraceIs404AndAMalformedIdIs400() {
        HttpResponse<String> unknown = c.get("/api/traces/" + traceId(0xdead));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestCollector.json(unknown).get("error").asText()).isEqualTo("unknown trace");
        for (String bad : new String[] {"xyz", "0".repeat(32), "4bf92f3577b34da6a3ce929d0e0e47", "g".repeat(32)}) {
            HttpResponse<String> r = c.get("/api/traces/" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
        }
        // Upper-case ids (pasted from elsewhere) are accepted.
        assertThat(c.get("/api/traces/" + T2.toUpperCase()).statusCode()).isEqualTo(200);
    }

    @Test
    void servicesListsConnectedAgents() {
        JsonNode services = TestCollector.json(c.get("/api/services")).get("services");
        assertThat(services).extracting(s -> s.get("name").asText()).containsExactly("orders", "payments");
        assertThat(services.get(0).get("agents").asInt()).isEqualTo(1);
        assertThat(services.get(0).get("lastSeenAt").asText()).endsWith("Z");
    }

    @Test
    void theApiNeedsTheKeyExceptHealth() {
        HttpResponse<String> health = c.send(HttpRequest.newBuilder(URI.create(c.url("/api/health"))).GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestCollector.json(health).get("status").asText()).isEqualTo("ok");

        for (String path : new String[] {"/api/traces", "/api/traces/" + T1, "/api/services"}) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(c.url(path))).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> wrong = c.send(HttpRequest.newBuilder(URI.create(c.url(path)))
                    .header("Authorization", "Bearer wrong-key-123").GET().build());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void unknownPathsAreJson404() {
        HttpResponse<String> r = c.get("/api/nothing-here");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(TestCollector.json(r).has("error")).isTrue();
    }
}
