package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two namespaces on one collector: {@code default} (orders) and {@code payments}. The key decides
 * the namespace, and a key of one namespace never reads, counts or guesses anything of the other,
 * not even a trace both took part in.
 */
class NamespaceIsolationTest {
    static final String PAYMENTS_ADMIN = "payments-admin-key-1";
    static final String ORDERS_AGENT = "a000000000000001";
    static final String PAYMENTS_AGENT = "b000000000000001";
    static final long AT_MS = T0_US / 1000;
    /** A request that crossed teams: orders called payments, and both failed. */
    static final String SHARED = traceId(0x701);
    /** Only orders saw this one. */
    static final String ORDERS_ONLY = traceId(0x702);

    @TempDir
    Path dir;
    TestCollector c;
    String paymentsIngest;
    String paymentsIngestId;
    String paymentsRead;
    String paymentsReadId;

    @BeforeEach
    void twoNamespacesWithErrors() {
        c = TestCollector.start(dir, b -> b.apiKey("payments", PAYMENTS_ADMIN));
        JsonNode ingest = createKey(PAYMENTS_ADMIN, "ingest");
        paymentsIngest = ingest.get("key").asText();
        paymentsIngestId = ingest.get("id").asText();
        JsonNode read = createKey(PAYMENTS_ADMIN, "read");
        paymentsRead = read.get("key").asText();
        paymentsReadId = read.get("id").asText();

        c.register(ORDERS_AGENT, "orders");
        assertThat(register(paymentsIngest, PAYMENTS_AGENT, "payments").statusCode()).isEqualTo(200);

        ObjectNode orders = failed(ORDERS_AGENT, SHARED, "POST /orders", "orders-secret-log");
        c.postBatch(orders);
        c.postBatch(failed(ORDERS_AGENT, ORDERS_ONLY, "GET /orders", "orders-only-log"));
        ObjectNode payments = failed(PAYMENTS_AGENT, SHARED, "POST /payments", "payments-log");
        // Payments' agent met orders' agent: the breadcrumb must not reach into the default namespace.
        breadcrumb((ObjectNode) payments.get("traces").get(0), "caller", ORDERS_AGENT, null);
        HttpResponse<String> r = c.agentPost("/agent/v1/batches", payments.toString(), paymentsIngest);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void eachNamespaceListsOnlyItsOwnTraces() {
        assertThat(ids(json(c.get("/api/traces", paymentsRead)))).containsExactly(SHARED);
        assertThat(ids(c.getJson("/api/traces"))).containsExactlyInAnyOrder(SHARED, ORDERS_ONLY);
        assertThat(json(c.get("/api/traces", paymentsRead)).get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aTraceBothTookPartInIsStoredTwiceApartAndEachSeesOnlyItsOwnRecords() {
        JsonNode asPayments = json(c.get("/api/traces/" + SHARED, paymentsRead));
        assertThat(asPayments.get("traceId").asText()).isEqualTo(SHARED);
        assertThat(asPayments.get("spans")).extracting(s -> s.get("service").asText()).containsOnly("payments");
        assertThat(asPayments.get("logs")).extracting(l -> l.get("message").asText()).containsExactly("payments-log");

        JsonNode asOrders = c.trace(SHARED);
        assertThat(asOrders.get("spans")).extracting(s -> s.get("service").asText()).containsOnly("orders");
        assertThat(asOrders.get("breadcrumbs")).isEmpty();
    }

    @Test
    void aTraceIdOfAnotherNamespaceIsUnknownNotForbidden() {
        HttpResponse<String> guessed = c.get("/api/traces/" + ORDERS_ONLY, paymentsRead);
        assertThat(guessed.statusCode()).isEqualTo(404);
        assertThat(guessed.body()).contains("unknown trace");
        assertThat(c.get("/api/traces/" + traceId(0x7ff), paymentsRead).body()).isEqualTo(guessed.body());
    }

    @Test
    void searchGroupsStatisticsAndServicesStayInTheNamespace() {
        assertThat(json(c.get("/api/traces?q=orders-secret", paymentsRead)).get("total").asLong()).isZero();
        assertThat(c.getJson("/api/traces?q=orders-secret").get("total").asLong()).isEqualTo(1);

        JsonNode paymentsGroups = json(c.get("/api/groups", paymentsRead)).get("groups");
        assertThat(paymentsGroups).extracting(g -> g.get("service").asText()).containsOnly("payments");
        JsonNode ordersGroups = c.getJson("/api/groups").get("groups");
        assertThat(ordersGroups).extracting(g -> g.get("service").asText()).containsOnly("orders");
        for (JsonNode g : ordersGroups) {
            String fp = g.get("fingerprint").asText();
            assertThat(c.get("/api/groups/" + fp, paymentsRead).statusCode()).isEqualTo(404);
            assertThat(c.get("/api/groups/" + fp + "/traces", paymentsRead).statusCode()).isEqualTo(404);
        }

        String from = "?from=" + (AT_MS - 60_000);
        assertThat(json(c.get("/api/slow" + from, paymentsRead)).get("spans"))
                .extracting(s -> s.get("service").asText()).containsOnly("payments");
        assertThat(json(c.get("/api/services", paymentsRead)).get("services"))
                .extracting(s -> s.get("name").asText()).containsExactly("payments");
        assertThat(c.get("/api/services/orders", paymentsRead).statusCode()).isEqualTo(404);
    }

    @Test
    void theKeptGroupFiguresOfEachNamespaceAreItsOwn() throws Exception {
        // The same group, by name, in both namespaces: a default agent of a service called payments.
        String defaultPayments = "c000000000000001";
        c.register(defaultPayments, "payments");
        String elsewhere = traceId(0x704);
        c.postBatch(failed(defaultPayments, elsewhere, "POST /payments", "default-payments-log"));
        // Counted occurrences in the payments namespace only.
        ObjectNode counts = batch(PAYMENTS_AGENT);
        Records.more(Records.counted(counts, "error", "POST /refunds", "java.lang.IllegalStateException"), 7,
                AT_MS + 60_000);
        assertThat(c.agentPost("/agent/v1/batches", counts.toString(), paymentsIngest).statusCode()).isEqualTo(200);

        // group_stats (the unfiltered list) answers as the walk over traces and group_counts does.
        String all = "/api/groups?silenced=show&pageSize=200";
        String walk = "&from=1970-01-01T00:00:00Z";
        JsonNode payments = json(c.get(all, paymentsRead));
        assertThat(payments).isEqualTo(json(c.get(all + walk, paymentsRead)));
        JsonNode orders = c.getJson(all);
        assertThat(orders).isEqualTo(c.getJson(all + walk));

        assertThat(payments.get("total").asLong()).isEqualTo(2);
        assertThat(payments.get("groups")).extracting(g -> g.get("endpoint").asText())
                .containsExactlyInAnyOrder("POST /payments", "POST /refunds");
        assertThat(orders.get("total").asLong()).isEqualTo(3);
        assertThat(orders.get("groups")).extracting(g -> g.get("endpoint").asText())
                .containsExactlyInAnyOrder("POST /orders", "GET /orders", "POST /payments");
        JsonNode theirs = byEndpoint(payments, "POST /payments");
        JsonNode ours = byEndpoint(orders, "POST /payments");
        assertThat(theirs.get("fingerprint").asText()).isNotEqualTo(ours.get("fingerprint").asText());
        assertThat(theirs.get("traces").asLong()).isEqualTo(1);
        assertThat(theirs.get("lastTraceId").asText()).isEqualTo(SHARED);
        assertThat(ours.get("traces").asLong()).isEqualTo(1);
        assertThat(ours.get("lastTraceId").asText()).isEqualTo(elsewhere);
        assertThat(byEndpoint(payments, "POST /refunds").get("occurrences").asLong()).isEqualTo(7);
        // A group and its traces' total (both from group_stats) only in their own namespace.
        String fp = theirs.get("fingerprint").asText();
        assertThat(json(c.get("/api/groups/" + fp, paymentsRead))).isEqualTo(theirs);
        assertThat(json(c.get("/api/groups/" + fp + "/traces", paymentsRead)).get("total").asLong()).isEqualTo(1);
        assertThat(c.get("/api/groups/" + fp).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/groups/" + ours.get("fingerprint").asText(), paymentsRead).statusCode()).isEqualTo(404);
        assertThat(c.query("SELECT namespace || ' ' || count(*) || ' ' || sum(traces) || ' ' || sum(counted)"
                + " FROM group_stats GROUP BY namespace ORDER BY namespace"))
                .containsExactly("default 3 3 0", "payments 2 1 7");
    }

    private static JsonNode byEndpoint(JsonNode page, String endpoint) {
        for (JsonNode g : page.get("groups")) {
            if (g.get("endpoint").asText().equals(endpoint)) {
                return g;
            }
        }
        throw new AssertionError("no group of " + endpoint + " in " + page);
    }

    @Test
    void aTriageWriteCannotReachAnotherNamespacesGroup() {
        String ordersGroup = c.getJson("/api/groups").get("groups").get(0).get("fingerprint").asText();
        HttpResponse<String> r = c.raw("PUT", "/api/groups/" + ordersGroup + "/triage", "{\"mark\": \"silenced\"}",
                Map.of("Authorization", "Bearer " + paymentsRead, "Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(c.getJson("/api/groups/" + ordersGroup).get("triage").get("mark").asText()).isEqualTo("none");

        String paymentsGroup = json(c.get("/api/groups", paymentsRead)).get("groups").get(0).get("fingerprint").asText();
        assertThat(paymentsGroup).isNotEqualTo(ordersGroup);
        assertThat(c.raw("PUT", "/api/groups/" + paymentsGroup + "/triage", "{\"mark\": \"crash\"}",
                Map.of("Authorization", "Bearer " + paymentsRead, "Content-Type", "application/json")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void breadcrumbsAskOnlyTheNamespacesOwnAgents() throws Exception {
        // Orders' agent polls: the breadcrumb of payments' batch must not have asked it for anything.
        CompletableFuture<HttpResponse<String>> poll = c.pollAsync(ORDERS_AGENT);
        HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.body()).doesNotContain("collect");
    }

    @Test
    void anAgentIdOfAnotherNamespaceCannotBeTakenOver() {
        HttpResponse<String> takeover = register(paymentsIngest, ORDERS_AGENT, "orders");
        assertThat(takeover.statusCode()).isEqualTo(409);
        HttpResponse<String> poll = c.agentPost("/agent/v1/poll", "{\"agentId\": \"" + ORDERS_AGENT + "\"}",
                paymentsIngest);
        assertThat(poll.statusCode()).isEqualTo(404);
        ObjectNode forged = failed(ORDERS_AGENT, traceId(0x703), "POST /orders", "forged");
        assertThat(c.agentPost("/agent/v1/batches", forged.toString(), paymentsIngest).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/traces/" + traceId(0x703)).statusCode()).isEqualTo(404);
    }

    @Test
    void keysDoWhatTheirKindAllows() {
        assertThat(c.get("/api/traces", paymentsIngest).statusCode()).isEqualTo(403);
        assertThat(register(paymentsRead, "b000000000000002", "payments").statusCode()).isEqualTo(403);
        assertThat(c.get("/api/keys", paymentsRead).statusCode()).isEqualTo(403);
        assertThat(c.get("/api/traces?namespace=default", paymentsRead).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/traces?namespace=nonexistent", paymentsRead).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/traces", "not-a-key-at-all").statusCode()).isEqualTo(401);
    }

    @Test
    void anAdminKeyListsItsNamespacesKeysWithoutTheirText() {
        JsonNode keys = json(c.get("/api/keys", PAYMENTS_ADMIN));
        assertThat(keys.get("namespace").asText()).isEqualTo("payments");
        assertThat(keys.get("keys")).extracting(k -> k.get("kind").asText()).containsExactly("ingest", "read");
        assertThat(keys.toString()).doesNotContain(paymentsRead).doesNotContain(paymentsIngest);
        assertThat(keys.get("keys").get(0).get("lastUsedAtMs").isNull()).isTrue();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        assertThat(c.raw("DELETE", "/api/keys/" + paymentsReadId, null, Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN))
                .statusCode()).isEqualTo(204);
        assertThat(c.get("/api/traces", paymentsRead).statusCode()).isEqualTo(401);
        // Another namespace's admin cannot revoke it, nor learn that it exists.
        assertThat(c.raw("DELETE", "/api/keys/" + paymentsIngestId, null, Map.of("Authorization", "Bearer "
                + TestCollector.KEY)).statusCode()).isEqualTo(404);
        assertThat(c.get("/api/traces", paymentsIngest).statusCode()).isEqualTo(403);
    }

    @Test
    void aRotatedKeyIsReplacedAndTheOldOneStopsAfterItsGracePeriod() {
        HttpResponse<String> graced = c.raw("POST", "/api/keys/" + paymentsReadId + "/rotate", "{\"graceSeconds\": 3600}",
                Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN, "Content-Type", "application/json"));
        assertThat(graced.statusCode()).as(graced.body()).isEqualTo(201);
        JsonNode rotated = TestCollector.json(graced);
        String next = rotated.get("key").asText();
        assertThat(rotated.get("kind").asText()).isEqualTo("read");
        assertThat(c.get("/api/traces", paymentsRead).statusCode()).isEqualTo(200);
        assertThat(c.get("/api/traces", next).statusCode()).isEqualTo(200);

        HttpResponse<String> now = c.raw("POST", "/api/keys/" + rotated.get("id").asText() + "/rotate", "{\"graceSeconds\": 0}",
                Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN, "Content-Type", "application/json"));
        assertThat(now.statusCode()).isEqualTo(201);
        assertThat(c.get("/api/traces", next).statusCode()).isEqualTo(401);
        assertThat(c.get("/api/traces", TestCollector.json(now).get("key").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyTheDefaultNamespacesAdminCreatesNamespaces() {
        HttpResponse<String> refused = c.raw("POST", "/api/namespaces", "{\"name\": \"search\"}",
                Map.of("Authorization", "Bearer " + PAYMENTS_ADMIN, "Content-Type", "application/json"));
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<String> created = c.api("POST", "/api/namespaces", "{\"name\": \"search\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String searchAdmin = TestCollector.json(created).at("/key/key").asText();
        assertThat(json(c.get("/api/traces", searchAdmin)).get("total").asLong()).isZero();
        assertThat(c.api("POST", "/api/namespaces", "{\"name\": \"search\"}").statusCode()).isEqualTo(409);
        assertThat(c.api("POST", "/api/namespaces", "{\"name\": \"Bad/Name\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void aBrowserSessionSignedInWithTwoKeysSwitchesBetweenTheirNamespaces() {
        HttpResponse<String> first = c.raw("POST", "/api/session", "{\"apiKey\": \"" + paymentsRead + "\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(first.statusCode()).isEqualTo(204);
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Map<String, String> session = Map.of("Cookie", cookie);
        JsonNode one = json(c.raw("GET", "/api/namespaces", null, session));
        assertThat(one.get("namespaces")).extracting(JsonNode::asText).containsExactly("payments");
        assertThat(ids(json(c.raw("GET", "/api/traces", null, session)))).containsExactly(SHARED);

        HttpResponse<String> second = c.raw("POST", "/api/session", "{\"apiKey\": \"" + TestCollector.KEY + "\"}",
                Map.of("Content-Type", "application/json", "Cookie", cookie));
        assertThat(second.statusCode()).isEqualTo(204);
        JsonNode both = json(c.raw("GET", "/api/namespaces", null, session));
        assertThat(both.get("namespaces")).extracting(JsonNode::asText).containsExactly("default", "payments");
        assertThat(both.get("current").asText()).isEqualTo("default");
        assertThat(ids(json(c.raw("GET", "/api/traces", null, session)))).hasSize(2);
        assertThat(ids(json(c.raw("GET", "/api/traces?namespace=payments", null, session)))).containsExactly(SHARED);
        // Signing in with an ingest key is refused, and adds nothing.
        assertThat(c.raw("POST", "/api/session", "{\"apiKey\": \"" + paymentsIngest + "\"}",
                Map.of("Content-Type", "application/json", "Cookie", cookie)).statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------ helpers

    private JsonNode createKey(String adminKey, String kind) {
        HttpResponse<String> r = c.raw("POST", "/api/keys", "{\"kind\": \"" + kind + "\", \"label\": \"test\"}",
                Map.of("Authorization", "Bearer " + adminKey, "Content-Type", "application/json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestCollector.json(r);
    }

    private HttpResponse<String> register(String key, String agentId, String service) {
        return c.agentPost("/agent/v1/register", "{\"agentId\": \"" + agentId + "\", \"service\": \"" + service
                + "\", \"host\": \"box\", \"pid\": 1, \"sdk\": \"0.1.0\", \"authorities\": []}", key);
    }

    private static ObjectNode failed(String agentId, String traceId, String endpoint, String logMessage) {
        ObjectNode b = batch(agentId);
        trigger(b, traceId, "error", "HTTP 500 from " + endpoint, AT_MS);
        ObjectNode e = entry(b, traceId, false);
        span(e, spanId(agentId.hashCode() & 0xfff), null, endpoint, "failed", T0_US, T0_US + 9_000);
        log(e, 1, null, T0_US + 100, "ERROR", logMessage);
        return b;
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("traces").forEach(t -> out.add(t.get("traceId").asText()));
        return out;
    }

    private static JsonNode json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestCollector.json(r);
    }
}
