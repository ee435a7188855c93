package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts (docs/alerts.md): each rule kind, delivered to a real webhook on loopback. */
class AlertsTest {
    static final String PAYMENTS = "b000000000000001";
    static final long AT_MS = T0_US / 1000;

    @TempDir
    Path dir;
    TestCollector c;
    WebhookReceiver hook;
    int nextTrace = 0x900;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir);
        c.register(PAYMENTS, "payments");
        hook = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        c.close();
        hook.close();
    }

    // ------------------------------------------------------------ rule kinds

    @Test
    void aNewGroupIsPostedOnceSignedWithTheRulesSecret() throws Exception {
        rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\",\"secret\":\"s3cret\"}");
        String first = failure("POST /payments");
        WebhookReceiver.Received r = hook.await(l -> l.size() == 1, 10).get(0);

        JsonNode body = TestCollector.JSON.readTree(r.body());
        assertThat(body.get("event").asText()).isEqualTo("new_group");
        assertThat(body.get("namespace").asText()).isEqualTo("default");
        assertThat(body.at("/group/fingerprint").asText()).isEqualTo(onlyGroup());
        assertThat(body.at("/group/name").asText()).isEqualTo("HTTP 500 in POST /payments");
        assertThat(body.get("traceId").asText()).isEqualTo(first);
        String ts = r.headers().get("X-Mintaro-Timestamp");
        assertThat(Long.parseLong(ts)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
        assertThat(r.headers().get("X-Mintaro-Signature")).isEqualTo("sha256=" + hmac("s3cret", ts + "." + r.body()));

        failure("POST /payments"); // the same group again: not new
        awaitDeliveries(1);
        Thread.sleep(1_500);
        assertThat(hook.received()).hasSize(1);
    }

    @Test
    void aNewGroupOfAnotherNamespaceAlertsTheRuleOfThatNamespace() throws Exception {
        // Outside the default namespace traces are stored under their keys; the rule still sees them.
        var created = c.api("POST", "/api/namespaces", "{\"name\": \"search\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = TestCollector.json(created).at("/key/key").asText();
        Map<String, String> asSearch = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
        var ruleCreated = c.raw("POST", "/api/alerts/rules", "{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\"}",
                asSearch);
        assertThat(ruleCreated.statusCode()).as(ruleCreated.body()).isEqualTo(201);
        String agent = "b0000000000000f1";
        assertThat(c.agentPost("/agent/v1/register", "{\"agentId\":\"" + agent + "\",\"service\":\"payments\","
                + "\"host\":\"box-1\",\"pid\":4242,\"sdk\":\"0.1.0\",\"authorities\":[]}", key).statusCode())
                .isEqualTo(200);
        ObjectNode b = batch(agent);
        String trace = addFailure(b, "POST /search");
        assertThat(c.agentPost("/agent/v1/batches", b.toString(), key).statusCode()).isEqualTo(200);

        JsonNode body = TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 10).get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("new_group");
        assertThat(body.get("namespace").asText()).isEqualTo("search");
        assertThat(body.get("traceId").asText()).isEqualTo(trace);
        assertThat(body.at("/group/name").asText()).isEqualTo("HTTP 500 in POST /search");
    }

    @Test
    void twoTracesOfANewGroupInOneBatchAlertOnce() throws Exception {
        rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\"}");
        ObjectNode b = batch(PAYMENTS);
        addFailure(b, "POST /payments");
        addFailure(b, "POST /payments");
        c.postBatch(b);

        hook.await(l -> l.size() == 1, 10);
        Thread.sleep(1_000);
        assertThat(hook.received()).hasSize(1);
    }

    @Test
    void aTraceWhoseTriggerCameBeforeItsRecordsAlertsWhenItsGroupIsKnown() throws Exception {
        rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\"}");
        String t = traceId(nextTrace++);
        ObjectNode first = batch(PAYMENTS);
        trigger(first, t, "error", "HTTP 500 from POST /payments", AT_MS);
        c.postBatch(first);
        ObjectNode records = batch(PAYMENTS);
        GroupsTest.served(PAYMENTS, t, 1, null, "POST /payments", T0_US, 20_000, 500).get("traces")
                .forEach(e -> ((com.fasterxml.jackson.databind.node.ArrayNode) records.get("traces")).add(e));
        c.postBatch(records);

        JsonNode body = TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 10).get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("new_group");
        assertThat(body.get("traceId").asText()).isEqualTo(t);
    }

    @Test
    void anUnsignedRuleSendsNoSignatureAndSlackGetsTextAndBlocks() throws Exception {
        rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\",\"format\":\"slack\"}");
        failure("POST /payments");
        WebhookReceiver.Received r = hook.await(l -> l.size() == 1, 10).get(0);
        assertThat(r.headers()).doesNotContainKey("X-Mintaro-Signature");
        JsonNode body = TestCollector.JSON.readTree(r.body());
        assertThat(body.get("text").asText()).isEqualTo("New error group: HTTP 500 in POST /payments");
        assertThat(body.at("/blocks/0/type").asText()).isEqualTo("section");
        assertThat(body.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(body.at("/blocks/1/elements/0/text").asText()).contains("new_group");
    }

    @Test
    void aGroupTriagedOkThatOccursAgainIsARegression() throws Exception {
        failure("POST /payments");
        String fp = onlyGroup();
        triage(fp, "{\"level\":\"ok\"}");
        rule("{\"kind\":\"regression\",\"url\":\"" + hook.url() + "\"}");
        Thread.sleep(5); // the next trace is stored after the triage
        String again = failure("POST /payments");
        JsonNode body = TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 10).get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("regression");
        assertThat(body.at("/group/fingerprint").asText()).isEqualTo(fp);
        assertThat(body.get("traceId").asText()).isEqualTo(again);
        failure("POST /payments"); // the same regression: one alert per verdict
        Thread.sleep(1_500);
        assertThat(hook.received()).hasSize(1);
    }

    @Test
    void aSilencedGroupNeverAlertsButAnExpiredSilenceIsARegression() throws Exception {
        failure("POST /payments");
        String fp = onlyGroup();
        triage(fp, "{\"mark\":\"silenced\"}");
        rule("{\"kind\":\"regression\",\"url\":\"" + hook.url() + "\"}");
        rule("{\"kind\":\"rate\",\"threshold\":1,\"windowMs\":60000,\"url\":\"" + hook.url() + "\"}");
        rule("{\"kind\":\"alert_level\",\"url\":\"" + hook.url() + "\"}");
        triage(fp, "{\"mark\":\"silenced\",\"level\":\"alert\"}");
        for (int i = 0; i < 3; i++) {
            failure("POST /payments");
        }
        Thread.sleep(2_000);
        assertThat(hook.received()).isEmpty();
        assertThat(c.getJson("/api/alerts/deliveries").get("deliveries")).isEmpty();

        String until = Instant.ofEpochMilli(System.currentTimeMillis() + 800).toString();
        JsonNode group = triage(fp, "{\"mark\":\"silenced\",\"level\":\"none\",\"silencedUntil\":\"" + until + "\"}");
        assertThat(group.at("/triage/silencedUntil").asText()).isEqualTo(Instant.parse(until).toString());
        assertThat(c.getJson("/api/groups").get("groups")).isEmpty();
        assertThat(c.getJson("/api/groups?silenced=only").get("groups")).hasSize(1);
        Thread.sleep(1_000); // the silence is over: the group is listed as not silenced
        assertThat(c.getJson("/api/groups").get("groups")).hasSize(1);
        assertThat(c.getJson("/api/groups?silenced=only").get("groups")).isEmpty();
        failure("POST /payments");
        List<WebhookReceiver.Received> got = hook.await(l -> l.stream().anyMatch(r -> r.body().contains("\"regression\"")), 10);
        assertThat(got.stream().filter(r -> r.body().contains("\"regression\""))).hasSize(1);
    }

    @Test
    void aGroupAboveItsRateAlertsOncePerWindow() throws Exception {
        rule("{\"kind\":\"rate\",\"threshold\":3,\"windowMs\":600000,\"url\":\"" + hook.url() + "\"}");
        for (int i = 0; i < 3; i++) {
            failure("POST /payments");
        }
        Thread.sleep(1_500);
        assertThat(hook.received()).isEmpty(); // 3 is not above 3
        failure("POST /payments");
        failure("POST /payments");
        JsonNode body = TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 10).get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("rate");
        assertThat(body.get("text").asText()).startsWith("Error rate above 3 in 600 s");
        Thread.sleep(1_500);
        assertThat(hook.received()).hasSize(1);
    }

    @Test
    void everyNewTraceOfAnAlertGroupAlerts() throws Exception {
        failure("POST /payments");
        triage(onlyGroup(), "{\"level\":\"alert\"}");
        rule("{\"kind\":\"alert_level\",\"url\":\"" + hook.url() + "\"}");
        String a = failure("POST /payments");
        String b = failure("POST /payments");
        List<WebhookReceiver.Received> got = hook.await(l -> l.size() == 2, 10);
        assertThat(got).extracting(r -> TestCollector.JSON.readTree(r.body()).get("traceId").asText())
                .containsExactlyInAnyOrder(a, b);
    }

    @Test
    void warnGroupsGoIntoThePeriodicDigest() throws Exception {
        failure("POST /refunds");
        String silenced = onlyGroup();
        triage(silenced, "{\"mark\":\"silenced\",\"level\":\"warn\"}");
        failure("POST /payments");
        JsonNode shown = c.getJson("/api/groups").get("groups");
        assertThat(shown).hasSize(1);
        String fp = shown.get(0).get("fingerprint").asText();
        triage(fp, "{\"level\":\"warn\"}");
        // The first traces are then two periods old: only the later ones' period is digested.
        Thread.sleep(2_100);
        rule("{\"kind\":\"digest\",\"windowMs\":1000,\"url\":\"" + hook.url() + "\"}");
        rule("{\"kind\":\"alert_level\",\"url\":\"" + hook.url() + "\"}");
        failure("POST /refunds"); // silenced: never in a digest
        failure("POST /payments");
        JsonNode body = TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 10).get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("digest");
        assertThat(body.get("groups")).extracting(JsonNode::asText).containsExactly(fp);
        assertThat(body.get("text").asText()).isEqualTo("Digest: 1 WARN group occurred");
        Thread.sleep(2_500); // no new WARN traces: no further digest, and WARN is never an alert
        assertThat(hook.received()).hasSize(1);
    }

    // ------------------------------------------------------------ delivery policy

    @Test
    void aDeliveryAnswered500IsRetriedWithBackOffUntilItSucceeds() throws Exception {
        hook.answer(500, 500);
        rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\"}");
        failure("POST /payments");
        List<WebhookReceiver.Received> got = hook.await(l -> l.size() == 3, 20);
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
        assertThat(got.get(2).body()).isEqualTo(got.get(0).body());
        long firstWaitMs = (got.get(1).atNanos() - got.get(0).atNanos()) / 1_000_000;
        long secondWaitMs = (got.get(2).atNanos() - got.get(1).atNanos()) / 1_000_000;
        assertThat(firstWaitMs).isGreaterThanOrEqualTo(450);
        assertThat(secondWaitMs).isGreaterThanOrEqualTo(950);
        JsonNode d = awaitDeliveries(1).get(0);
        for (int i = 0; i < 50 && !d.get("state").asText().equals("delivered"); i++) {
            Thread.sleep(100);
            d = c.getJson("/api/alerts/deliveries").at("/deliveries/0");
        }
        assertThat(d.get("state").asText()).isEqualTo("delivered");
        assertThat(d.get("attempts").asInt()).isEqualTo(3);
        assertThat(d.get("lastStatus").asInt()).isEqualTo(200);
        assertThat(d.at("/payload/event").asText()).isEqualTo("new_group");
    }

    @Test
    void aStormOfNewGroupsSendsTheRateLimitThenOneSummary() throws Exception {
        rule("{\"kind\":\"new_group\",\"rateLimit\":5,\"url\":\"" + hook.url() + "\"}");
        ObjectNode b = batch(PAYMENTS);
        for (int i = 0; i < 50; i++) {
            addFailure(b, "POST /storm/" + i);
        }
        c.postBatch(b);
        List<WebhookReceiver.Received> got = hook.await(l -> l.stream().anyMatch(r -> r.body().contains("\"summary\"")), 15);
        Thread.sleep(1_500);
        got = hook.received();
        assertThat(got.stream().filter(r -> r.body().contains("\"new_group\""))).hasSize(5);
        List<WebhookReceiver.Received> summaries = got.stream().filter(r -> r.body().contains("\"summary\"")).toList();
        assertThat(summaries).hasSize(1);
        assertThat(TestCollector.JSON.readTree(summaries.get(0).body()).get("text").asText())
                .startsWith("45 more alerts suppressed");
        assertThat(got).hasSize(6);
    }

    @Test
    void aRuleCanBeTestedListedChangedAndDeleted() throws Exception {
        JsonNode rule = rule("{\"kind\":\"new_group\",\"url\":\"" + hook.url() + "\",\"secret\":\"k\"}");
        String id = rule.get("id").asText();
        assertThat(rule.get("signed").asBoolean()).isTrue();
        assertThat(rule.toString()).doesNotContain("\"k\"");
        JsonNode tested = TestCollector.json(c.api("POST", "/api/alerts/rules/" + id + "/test", null));
        assertThat(tested.get("delivered").asBoolean()).isTrue();
        assertThat(tested.get("status").asInt()).isEqualTo(200);
        assertThat(TestCollector.JSON.readTree(hook.await(l -> l.size() == 1, 5).get(0).body()).get("event").asText())
                .isEqualTo("test");

        var put = c.api("PUT", "/api/alerts/rules/" + id, "{\"kind\":\"rate\",\"threshold\":5,\"windowMs\":60000,\"url\":\"" + hook.url() + "\"}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(c.getJson("/api/alerts/rules").at("/rules/0/kind").asText()).isEqualTo("rate");
        assertThat(c.api("DELETE", "/api/alerts/rules/" + id, null).statusCode()).isEqualTo(204);
        assertThat(c.getJson("/api/alerts/rules").get("rules")).isEmpty();
        assertThat(c.api("DELETE", "/api/alerts/rules/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidRulesAndSilencesAreRefusedWith400NamingTheField() throws Exception {
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"url\":\"" + hook.url() + "\"}"))).isEqualTo("kind is required");
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"kind\":\"loud\",\"url\":\"" + hook.url() + "\"}")))
                .startsWith("kind: one of");
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"kind\":\"new_group\",\"url\":\"ftp://x/y\"}")))
                .isEqualTo("url: an http or https URL");
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"kind\":\"new_group\",\"format\":\"xml\",\"url\":\"" + hook.url() + "\"}")))
                .isEqualTo("format: json or slack");
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"kind\":\"rate\",\"url\":\"" + hook.url() + "\"}")))
                .startsWith("a rate rule needs threshold");
        assertThat(error(c.api("POST", "/api/alerts/rules", "{\"kind\":\"new_group\",\"rateLimit\":0,\"url\":\"" + hook.url() + "\"}")))
                .startsWith("rateLimit:");
        assertThat(error(c.api("GET", "/api/alerts/deliveries?limit=0", null))).startsWith("limit:");
        assertThat(c.getJson("/api/alerts/rules").get("rules")).isEmpty();

        failure("POST /payments");
        String fp = onlyGroup();
        assertThat(error(c.api("PUT", "/api/groups/" + fp + "/triage", "{\"mark\":\"silenced\",\"silencedUntil\":\"tomorrow\"}")))
                .startsWith("silencedUntil must be an ISO-8601 time");
        assertThat(error(c.api("PUT", "/api/groups/" + fp + "/triage", "{\"silencedUntil\":\"2030-01-01T00:00:00Z\"}")))
                .startsWith("silencedUntil needs");
    }

    // ------------------------------------------------------------ helpers

    private String error(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return TestCollector.json(response).get("error").asText();
    }

    private JsonNode rule(String json) {
        var response = c.api("POST", "/api/alerts/rules", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestCollector.json(response);
    }

    private JsonNode triage(String fp, String json) {
        var response = c.api("PUT", "/api/groups/" + fp + "/triage", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestCollector.json(response);
    }

    private JsonNode awaitDeliveries(int n) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode d = c.getJson("/api/alerts/deliveries").get("deliveries");
            if (d.size() >= n) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no deliveries");
    }

    private String onlyGroup() {
        JsonNode groups = c.getJson("/api/groups?silenced=show").get("groups");
        assertThat(groups).hasSize(1);
        return groups.get(0).get("fingerprint").asText();
    }

    /** Stores one failed trace of {@code endpoint} (an error trigger, HTTP 500). */
    private String failure(String endpoint) {
        ObjectNode b = batch(PAYMENTS);
        String t = addFailure(b, endpoint);
        c.postBatch(b);
        return t;
    }

    static String addFailure(ObjectNode b, String endpoint, String t) {
        ObjectNode one = GroupsTest.served(PAYMENTS, t, 1, null, endpoint, T0_US, 20_000, 500);
        trigger(b, t, "error", "HTTP 500 from " + endpoint, AT_MS);
        one.get("traces").forEach(e -> ((com.fasterxml.jackson.databind.node.ArrayNode) b.get("traces")).add(e));
        return t;
    }

    private String addFailure(ObjectNode b, String endpoint) {
        return addFailure(b, endpoint, traceId(nextTrace++));
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
