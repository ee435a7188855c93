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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error groups (docs/api.md, "Error groups"): which group a trace falls in, how groups are
 * counted, filtered and paged, and their triage.
 */
class GroupsTest {
    static final String FRONTEND = "f000000000000001";
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final long MINUTE_US = 60_000_000L;
    static final long AT_MS = T0_US / 1000;

    // The groups seed() creates.
    static final String CARD = fingerprint("payments", "POST /payments", "java.lang.IllegalStateException");
    static final String UNAVAILABLE = fingerprint("payments", "POST /payments", "HTTP 503");
    static final String SLOW = fingerprint("payments", "POST /payments", "slow");
    static final String OK = fingerprint("frontend", "GET /checkout", "ok");

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir);
        registerAgents();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    void registerAgents() {
        c.register(FRONTEND, "frontend");
        c.register(ORDERS, "orders");
        c.register(PAYMENTS, "payments");
    }

    // ------------------------------------------------------------ what makes a group

    @Test
    void anExceptionInPaymentsNamesTheGroupEvenThoughOrdersAndFrontendFailedToo() {
        // The demo's failure: payments logs an IllegalStateException and answers 500; orders then
        // answers 502 and so does the frontend. Their agents' batches arrive first, but payments'
        // error trigger fired first (agent clocks), so payments is where the problem started.
        String t = traceId(0x601);
        ObjectNode front = served(FRONTEND, t, 1, null, "GET /checkout", T0_US, 40_000, 502);
        trigger(front, t, "error", "HTTP 502 from GET /checkout", AT_MS + 40);
        c.postBatch(front);
        assertThat(onlyGroup().get("name").asText()).isEqualTo("HTTP 502 in GET /checkout");

        ObjectNode orders = served(ORDERS, t, 2, 1, "POST /orders", T0_US + 1_000, 30_000, 502);
        trigger(orders, t, "error", "HTTP 502 from POST /orders", AT_MS + 31);
        c.postBatch(orders);
        assertThat(onlyGroup().get("name").asText()).isEqualTo("HTTP 502 in POST /orders");

        ObjectNode payments = served(PAYMENTS, t, 3, 2, "POST /payments", T0_US + 2_000, 20_000, 500);
        loggedError(payments, "java.lang.IllegalStateException", T0_US + 5_000);
        trigger(payments, t, "error", "ERROR bank declined the card", AT_MS + 7);
        c.postBatch(payments);

        JsonNode group = onlyGroup();
        assertThat(group.get("fingerprint").asText()).isEqualTo(CARD);
        assertThat(group.get("name").asText()).isEqualTo("java.lang.IllegalStateException in POST /payments");
        assertThat(group.get("service").asText()).isEqualTo("payments");
        assertThat(group.get("endpoint").asText()).isEqualTo("POST /payments");
        assertThat(group.get("problem").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(group.get("kind").asText()).isEqualTo("error");
        assertThat(group.get("count").asLong()).isEqualTo(1);
        assertThat(group.get("lastTraceId").asText()).isEqualTo(t);
    }

    @Test
    void anExceptionThatEscapedTheHandlerComesBeforeALoggedOne() {
        String t = traceId(0x602);
        ObjectNode orders = served(ORDERS, t, 1, null, "POST /orders", T0_US, 9_000, 500);
        loggedError(orders, "java.io.IOException", T0_US + 100);
        threw(orders, "java.lang.NullPointerException");
        trigger(orders, t, "error", "exception in POST /orders", AT_MS);
        c.postBatch(orders);

        JsonNode group = onlyGroup();
        assertThat(group.get("fingerprint").asText())
                .isEqualTo(fingerprint("orders", "POST /orders", "java.lang.NullPointerException"));
        assertThat(group.get("name").asText()).isEqualTo("java.lang.NullPointerException in POST /orders");
    }

    @Test
    void anErrorWithoutExceptionIsNamedByTheStatusItAnswered() {
        String t = traceId(0x603);
        ObjectNode payments = served(PAYMENTS, t, 1, null, "POST /payments", T0_US, 9_000, 503);
        trigger(payments, t, "error", "HTTP 503 from POST /payments", AT_MS);
        c.postBatch(payments);

        JsonNode group = onlyGroup();
        assertThat(group.get("fingerprint").asText()).isEqualTo(UNAVAILABLE);
        assertThat(group.get("name").asText()).isEqualTo("HTTP 503 in POST /payments");
        assertThat(group.get("problem").asText()).isEqualTo("HTTP 503");
    }

    @Test
    void slowTracesFormSlowGroupsAndManualOnesOkGroups() {
        slowPayment(0x604, T0_US);
        manualCheck(0x605, T0_US + MINUTE_US);

        JsonNode groups = c.getJson("/api/groups").get("groups");
        assertThat(groups).hasSize(2);
        JsonNode ok = groups.get(0);
        assertThat(ok.get("fingerprint").asText()).isEqualTo(OK);
        assertThat(ok.get("name").asText()).isEqualTo("ok in GET /checkout");
        assertThat(ok.get("kind").asText()).isEqualTo("ok");
        JsonNode slow = groups.get(1);
        assertThat(slow.get("fingerprint").asText()).isEqualTo(SLOW);
        assertThat(slow.get("name").asText()).isEqualTo("slow in POST /payments");
        assertThat(slow.get("service").asText()).isEqualTo("payments");
        assertThat(slow.get("problem").asText()).isEqualTo("slow");
        assertThat(slow.get("kind").asText()).isEqualTo("slow");
    }

    @Test
    void withoutAServerSpanInTheOriginTheEndpointIsTheTraceName() {
        // Payments triggered, but only orders sent a span: the trace's name stands in.
        String t = traceId(0x606);
        ObjectNode orders = served(ORDERS, t, 1, null, "POST /orders", T0_US, 9_000, 502);
        c.postBatch(trigger(batch(PAYMENTS), t, "error", "ERROR log", AT_MS));
        c.postBatch(orders);
        assertThat(onlyGroup().get("name").asText()).isEqualTo("error in POST /orders");
    }

    // ------------------------------------------------------------ counting, filtering, paging

    @Test
    void aGroupCountsItsTracesAndKnowsTheFirstAndLastOne() {
        seed();
        JsonNode card = c.getJson("/api/groups/" + CARD);
        assertThat(card.get("count").asLong()).isEqualTo(3);
        assertThat(card.get("newSinceTriage").asLong()).isEqualTo(3);
        assertThat(card.get("firstSeenAt").asText()).isEqualTo(minute(0));
        assertThat(card.get("lastSeenAt").asText()).isEqualTo(minute(4));
        assertThat(card.get("lastTraceId").asText()).isEqualTo(traceId(0x704));
        JsonNode triage = card.get("triage");
        assertThat(triage.get("mark").asText()).isEqualTo("none");
        assertThat(triage.get("level").asText()).isEqualTo("none");
        assertThat(triage.get("note").isNull()).isTrue();
        assertThat(triage.get("updatedAt").isNull()).isTrue();
    }

    @Test
    void groupsAreListedByTheirLatestTraceWithPageAndTotal() {
        seed();
        JsonNode all = c.getJson("/api/groups");
        assertThat(fingerprints(all)).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
        assertThat(all.get("page").asInt()).isEqualTo(1);
        assertThat(all.get("pageSize").asInt()).isEqualTo(50);
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("groups")).extracting(g -> g.get("count").asLong()).containsExactly(1L, 1L, 3L, 2L);

        JsonNode first = c.getJson("/api/groups?pageSize=3");
        assertThat(fingerprints(first)).containsExactly(OK, SLOW, CARD);
        assertThat(first.get("total").asLong()).isEqualTo(4);
        JsonNode second = c.getJson("/api/groups?pageSize=3&page=2");
        assertThat(fingerprints(second)).containsExactly(UNAVAILABLE);
        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("total").asLong()).isEqualTo(4);
        JsonNode beyond = c.getJson("/api/groups?pageSize=3&page=3");
        assertThat(fingerprints(beyond)).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(4);
    }

    @Test
    void groupsAreFilteredByStatusAndSpeed() {
        seed();
        assertThat(fingerprints(c.getJson("/api/groups?status=error"))).containsExactly(CARD, UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?status=ok"))).containsExactly(OK, SLOW);
        assertThat(fingerprints(c.getJson("/api/groups?status=crash"))).isEmpty();
        assertThat(fingerprints(c.getJson("/api/groups?status=all"))).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?speed=slow"))).containsExactly(SLOW);
        assertThat(fingerprints(c.getJson("/api/groups?speed=fast"))).containsExactly(OK, CARD, UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?status=ok&speed=fast"))).containsExactly(OK);
        assertThat(c.getJson("/api/groups?status=error").get("total").asLong()).isEqualTo(2);
    }

    @Test
    void groupsAreMadeOfTheTracesMatchingServiceTextAndTime() {
        seed();
        assertThat(fingerprints(c.getJson("/api/groups?service=frontend"))).containsExactly(OK);
        assertThat(fingerprints(c.getJson("/api/groups?service=payments"))).containsExactly(SLOW, CARD, UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?service=nobody"))).isEmpty();
        assertThat(fingerprints(c.getJson("/api/groups?q=DECLINED"))).containsExactly(CARD);

        // Counts and times cover only the traces in the range.
        JsonNode late = c.getJson("/api/groups?from=" + enc(minute(3)));
        assertThat(fingerprints(late)).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
        assertThat(late.get("groups")).extracting(g -> g.get("count").asLong()).containsExactly(1L, 1L, 1L, 1L);
        JsonNode early = c.getJson("/api/groups?to=" + (AT_MS + 2 * 60_000));
        assertThat(fingerprints(early)).containsExactly(UNAVAILABLE, CARD);
        JsonNode card = early.get("groups").get(1);
        assertThat(card.get("count").asLong()).isEqualTo(1);
        assertThat(card.get("lastTraceId").asText()).isEqualTo(traceId(0x700));
        assertThat(card.get("lastSeenAt").asText()).isEqualTo(minute(0));
    }

    @Test
    void aGroupsTracesArePagedNewestFirst() {
        seed();
        JsonNode first = c.getJson("/api/groups/" + CARD + "/traces?pageSize=2");
        assertThat(traceIds(first)).containsExactly(traceId(0x704), traceId(0x702));
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("pageSize").asInt()).isEqualTo(2);
        assertThat(first.get("total").asLong()).isEqualTo(3);
        JsonNode summary = first.get("traces").get(0);
        assertThat(summary.get("status").asText()).isEqualTo("error");
        assertThat(summary.get("name").asText()).isEqualTo("POST /payments");
        assertThat(summary.has("spanCount")).isTrue();

        JsonNode second = c.getJson("/api/groups/" + CARD + "/traces?pageSize=2&page=2");
        assertThat(traceIds(second)).containsExactly(traceId(0x700));
        assertThat(second.get("total").asLong()).isEqualTo(3);
        assertThat(traceIds(c.getJson("/api/groups/" + CARD + "/traces"))).hasSize(3);
    }

    @Test
    void unknownGroupsAre404AndMalformedFingerprints400() {
        seed();
        String unknown = "0123456789abcdef";
        assertThat(c.get("/api/groups/" + unknown).statusCode()).isEqualTo(404);
        assertThat(TestCollector.json(c.get("/api/groups/" + unknown)).get("error").asText()).isEqualTo("unknown group");
        assertThat(c.get("/api/groups/" + unknown + "/traces").statusCode()).isEqualTo(404);
        assertThat(c.api("PUT", "/api/groups/" + unknown + "/triage", "{\"mark\":\"crash\"}").statusCode())
                .isEqualTo(404);
        for (String bad : new String[] {"xyz", "0123456789abcde", "0123456789abcdefa", "g123456789abcdef"}) {
            assertThat(c.get("/api/groups/" + bad).statusCode()).as(bad).isEqualTo(400);
            assertThat(c.get("/api/groups/" + bad + "/traces").statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(c.get("/api/groups/" + CARD.toUpperCase()).statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        String[][] cases = {
            {"/api/groups?status=slow", "status"}, {"/api/groups?speed=medium", "speed"},
            {"/api/groups?silenced=maybe", "silenced"}, {"/api/groups?page=0", "page"},
            {"/api/groups?page=-1", "page"}, {"/api/groups?page=two", "page"}, {"/api/groups?pageSize=0", "pageSize"},
            {"/api/groups?pageSize=201", "pageSize"}, {"/api/groups?from=yesterday", "from"},
            {"/api/groups?to=2025-13-01T00:00:00Z", "to"}, {"/api/groups?service=" + enc("a b"), "service"},
            {"/api/groups?q=" + "x".repeat(201), "q"}, {"/api/groups?status=ok&status=error", "status"},
            {"/api/groups/" + CARD + "/traces?page=0", "page"}, {"/api/groups/" + CARD + "/traces?pageSize=500", "pageSize"},
        };
        for (String[] bad : cases) {
            HttpResponse<String> r = c.get(bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(bad[0]).startsWith(bad[1] + " ");
        }
    }

    // ------------------------------------------------------------ triage

    @Test
    void triageChangesOnlyTheFieldsGivenAndAnswersTheGroup() {
        seed();
        HttpResponse<String> r = c.api("PUT", "/api/groups/" + CARD + "/triage",
                "{\"mark\": \"crash\", \"level\": \"alert\", \"note\": \"bank sandbox flaky; ask Ana\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode group = TestCollector.json(r);
        assertThat(group.get("fingerprint").asText()).isEqualTo(CARD);
        assertThat(group.get("count").asLong()).isEqualTo(3);
        assertThat(group.get("triage").get("mark").asText()).isEqualTo("crash");
        assertThat(group.get("triage").get("level").asText()).isEqualTo("alert");
        assertThat(group.get("triage").get("note").asText()).isEqualTo("bank sandbox flaky; ask Ana");
        assertThat(Instant.parse(group.get("triage").get("updatedAt").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        JsonNode levelOnly = TestCollector.json(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"level\": \"warn\"}"));
        assertThat(levelOnly.get("triage").get("mark").asText()).isEqualTo("crash");
        assertThat(levelOnly.get("triage").get("level").asText()).isEqualTo("warn");
        assertThat(levelOnly.get("triage").get("note").asText()).isEqualTo("bank sandbox flaky; ask Ana");

        JsonNode cleared = TestCollector.json(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"note\": null}"));
        assertThat(cleared.get("triage").get("note").isNull()).isTrue();
        assertThat(cleared.get("triage").get("mark").asText()).isEqualTo("crash");
    }

    @Test
    void aCrashMarkMovesAGroupFromErrorsToCrashes() {
        seed();
        c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"mark\": \"crash\"}");
        assertThat(fingerprints(c.getJson("/api/groups?status=crash"))).containsExactly(CARD);
        assertThat(fingerprints(c.getJson("/api/groups?status=error"))).containsExactly(UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups"))).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
    }

    @Test
    void silencedGroupsAreHiddenUnlessAskedFor() {
        seed();
        c.api("PUT", "/api/groups/" + UNAVAILABLE + "/triage", "{\"mark\": \"silenced\"}");
        assertThat(fingerprints(c.getJson("/api/groups"))).containsExactly(OK, SLOW, CARD);
        assertThat(c.getJson("/api/groups").get("total").asLong()).isEqualTo(3);
        assertThat(fingerprints(c.getJson("/api/groups?silenced=hide"))).containsExactly(OK, SLOW, CARD);
        assertThat(fingerprints(c.getJson("/api/groups?silenced=show"))).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?silenced=only"))).containsExactly(UNAVAILABLE);
        assertThat(fingerprints(c.getJson("/api/groups?status=error"))).containsExactly(CARD);
        // The group itself stays reachable, and unmarking brings it back.
        assertThat(c.get("/api/groups/" + UNAVAILABLE).statusCode()).isEqualTo(200);
        c.api("PUT", "/api/groups/" + UNAVAILABLE + "/triage", "{\"mark\": \"none\"}");
        assertThat(fingerprints(c.getJson("/api/groups"))).containsExactly(OK, SLOW, CARD, UNAVAILABLE);
    }

    @Test
    void newSinceTriageCountsTheTracesStoredAfterTheLastTriageChange() throws Exception {
        seed();
        assertThat(c.getJson("/api/groups/" + CARD).get("newSinceTriage").asLong()).isEqualTo(3);

        JsonNode triaged = TestCollector.json(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"level\": \"warn\"}"));
        assertThat(triaged.get("newSinceTriage").asLong()).isZero();
        assertThat(triaged.get("count").asLong()).isEqualTo(3);

        Thread.sleep(5); // "after": a later millisecond of the collector's clock
        cardDeclined(0x710, T0_US + 10 * MINUTE_US);
        cardDeclined(0x711, T0_US + 11 * MINUTE_US);
        JsonNode card = c.getJson("/api/groups/" + CARD);
        assertThat(card.get("count").asLong()).isEqualTo(5);
        assertThat(card.get("newSinceTriage").asLong()).isEqualTo(2);

        // Any triage change acknowledges what came before, even one that changes no value.
        assertThat(TestCollector.json(c.api("PUT", "/api/groups/" + CARD + "/triage", "{}"))
                .get("newSinceTriage").asLong()).isZero();

        // A silenced group keeps counting while it is hidden.
        c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"mark\": \"silenced\"}");
        Thread.sleep(5);
        cardDeclined(0x712, T0_US + 12 * MINUTE_US);
        assertThat(fingerprints(c.getJson("/api/groups"))).doesNotContain(CARD);
        JsonNode silenced = c.getJson("/api/groups?silenced=only").get("groups").get(0);
        assertThat(silenced.get("count").asLong()).isEqualTo(6);
        assertThat(silenced.get("newSinceTriage").asLong()).isEqualTo(1);
    }

    @Test
    void triageIsPersistedAcrossARestart() {
        seed();
        c.api("PUT", "/api/groups/" + CARD + "/triage",
                "{\"mark\": \"silenced\", \"level\": \"ok\", \"note\": \"known: sandbox bank\"}");
        String updatedAt = c.getJson("/api/groups/" + CARD).get("triage").get("updatedAt").asText();
        c.close();

        c = TestCollector.start(dir);
        JsonNode triage = c.getJson("/api/groups/" + CARD).get("triage");
        assertThat(triage.get("mark").asText()).isEqualTo("silenced");
        assertThat(triage.get("level").asText()).isEqualTo("ok");
        assertThat(triage.get("note").asText()).isEqualTo("known: sandbox bank");
        assertThat(triage.get("updatedAt").asText()).isEqualTo(updatedAt);
        assertThat(fingerprints(c.getJson("/api/groups"))).doesNotContain(CARD);
    }

    @Test
    void badTriageIs400AndChangesNothing() {
        seed();
        String[][] cases = {
            {"{\"mark\": \"ignored\"}", "mark"}, {"{\"mark\": \"CRASH\"}", "mark"}, {"{\"mark\": null}", "mark"},
            {"{\"level\": \"critical\"}", "level"}, {"{\"level\": 3}", "level"},
            {"{\"note\": 42}", "note"}, {"{\"note\": \"" + "n".repeat(2001) + "\"}", "note"},
            {"{\"mark\": \"crash\", \"level\": \"loud\"}", "level"},
            {"[\"crash\"]", "body"}, {"{\"mark\": ", "malformed"}, {"", "empty"},
        };
        for (String[] bad : cases) {
            HttpResponse<String> r = c.api("PUT", "/api/groups/" + CARD + "/triage", bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(bad[0]).startsWith(bad[1]);
        }
        JsonNode triage = c.getJson("/api/groups/" + CARD).get("triage");
        assertThat(triage.get("mark").asText()).isEqualTo("none");
        assertThat(triage.get("updatedAt").isNull()).isTrue();
        // 2,000 characters is the most a note may have.
        assertThat(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"note\": \"" + "n".repeat(2000) + "\"}")
                .statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------ data and helpers

    /**
     * Seven traces a minute apart: card declined at minutes 0, 2 and 4; payments unavailable (503)
     * at 1 and 3; a slow payment at 5; a manual trigger in the frontend at 6.
     */
    void seed() {
        cardDeclined(0x700, T0_US);
        unavailable(0x701, T0_US + MINUTE_US);
        cardDeclined(0x702, T0_US + 2 * MINUTE_US);
        unavailable(0x703, T0_US + 3 * MINUTE_US);
        cardDeclined(0x704, T0_US + 4 * MINUTE_US);
        slowPayment(0x705, T0_US + 5 * MINUTE_US);
        manualCheck(0x706, T0_US + 6 * MINUTE_US);
    }

    /** The demo's card error: payments logs an IllegalStateException and answers 500. */
    void cardDeclined(int n, long startUs) {
        String t = traceId(n);
        ObjectNode b = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 12_000, 500);
        loggedError(b, "java.lang.IllegalStateException", startUs + 1_000);
        c.postBatch(trigger(b, t, "error", "ERROR bank declined the card", startUs / 1000 + 1));
    }

    /** Payments answers 503 without an exception. */
    void unavailable(int n, long startUs) {
        String t = traceId(n);
        ObjectNode b = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 3_000, 503);
        c.postBatch(trigger(b, t, "error", "HTTP 503 from POST /payments", startUs / 1000 + 3));
    }

    /** Payments answers after 1.5 s. */
    void slowPayment(int n, long startUs) {
        String t = traceId(n);
        ObjectNode b = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 1_500_000, 200);
        c.postBatch(trigger(b, t, "slow", "slow: POST /payments took 1500 ms", startUs / 1000 + 1500));
    }

    /** Someone triggered a healthy checkout by hand. */
    void manualCheck(int n, long startUs) {
        String t = traceId(n);
        ObjectNode b = served(FRONTEND, t, 1, null, "GET /checkout", startUs, 8_000, 200);
        c.postBatch(trigger(b, t, "manual", "look at this one", startUs / 1000 + 8));
    }

    /**
     * A batch holding what one service recorded for one request, as its SDK records it: a server
     * span and its inbound exchange. A 5xx fails the span with the SDK's error type
     * {@code HTTP <status>} (no exception).
     */
    static ObjectNode served(String agentId, String traceId, int span, Integer parent, String endpoint, long startUs,
                             long durationUs, int status) {
        ObjectNode b = batch(agentId);
        ObjectNode e = entry(b, traceId, false);
        ObjectNode s = span(e, spanId(span), parent == null ? null : spanId(parent), endpoint,
                status >= 500 ? "failed" : "succeeded", startUs, startUs + durationUs);
        if (status >= 500) {
            s.putObject("error").put("type", "HTTP " + status).put("message", endpoint).putNull("stack");
        }
        String[] methodPath = endpoint.split(" ", 2);
        message(e, span, spanId(span), "inbound", methodPath[0], "http://127.0.0.1:8083" + methodPath[1], status,
                startUs, "{\"amount\": 12.5}", "{}");
        log(e, 1000 + span, spanId(span), startUs + 10, "DEBUG", "handling " + endpoint);
        return b;
    }

    /** The handler let {@code type} escape: the server span failed with it. */
    static ObjectNode threw(ObjectNode batch, String type) {
        ObjectNode s = (ObjectNode) batch.get("traces").get(0).get("spans").get(0);
        s.put("status", "failed");
        s.putObject("error").put("type", type).put("message", "boom").put("stack", "at Handler.handle");
        return batch;
    }

    /** The service logged an ERROR line with an exception of {@code type}. */
    static ObjectNode loggedError(ObjectNode batch, String type, long timeUs) {
        ObjectNode e = (ObjectNode) batch.get("traces").get(0);
        String spanId = e.get("spans").get(0).get("spanId").asText();
        log(e, 2000 + e.get("logs").size(), spanId, timeUs, "ERROR", "bank declined the card")
                .putObject("error").put("type", type).put("message", "card declined").put("stack", "at Bank.charge");
        return batch;
    }

    JsonNode onlyGroup() {
        JsonNode groups = c.getJson("/api/groups?silenced=show").get("groups");
        assertThat(groups).hasSize(1);
        return groups.get(0);
    }

    /** First 16 hex digits of SHA-256 over {@code service \n endpoint \n problem}, as docs/api.md says. */
    static String fingerprint(String service, String endpoint, String problem) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((service + "\n" + endpoint + "\n" + problem).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fingerprints(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("groups").forEach(g -> out.add(g.get("fingerprint").asText()));
        return out;
    }

    static List<String> traceIds(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("traces").forEach(t -> out.add(t.get("traceId").asText()));
        return out;
    }

    static String minute(int n) {
        return Instant.ofEpochSecond(0, (T0_US + n * MINUTE_US) * 1000).toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
