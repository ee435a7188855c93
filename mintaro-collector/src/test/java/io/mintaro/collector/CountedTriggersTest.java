package io.mintaro.collector;

import static io.mintaro.collector.GroupsTest.AT_MS;
import static io.mintaro.collector.GroupsTest.FRONTEND;
import static io.mintaro.collector.GroupsTest.MINUTE_US;
import static io.mintaro.collector.GroupsTest.ORDERS;
import static io.mintaro.collector.GroupsTest.PAYMENTS;
import static io.mintaro.collector.GroupsTest.enc;
import static io.mintaro.collector.GroupsTest.fingerprint;
import static io.mintaro.collector.GroupsTest.fingerprints;
import static io.mintaro.collector.GroupsTest.loggedError;
import static io.mintaro.collector.GroupsTest.minute;
import static io.mintaro.collector.GroupsTest.served;
import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.counted;
import static io.mintaro.collector.Records.more;
import static io.mintaro.collector.Records.occurrence;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Storage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Counted triggers (docs/protocol.md, "Counted triggers"; docs/api.md, "Error groups"): every
 * trigger reaches the collector, collected or counted, so a group shows every occurrence next to
 * the traces kept, and a trace counted by several services counts once, in its origin's group.
 *
 * <p>The collector here never ends a count window by itself (its window is an hour): each test
 * ends it when it means to, and most check that the figures are the same before and after.
 */
class CountedTriggersTest {
    static final long WINDOW_MS = CollectorConfig.DEFAULT_COUNT_WINDOW_MS;
    static final long MINUTE_MS = MINUTE_US / 1000;

    static final String PAYMENTS_500 = fingerprint("payments", "POST /payments", "HTTP 500");
    static final String PAYMENTS_503 = fingerprint("payments", "POST /payments", "HTTP 503");
    static final String ORDERS_SLOW = fingerprint("orders", "POST /orders", "slow");
    static final String CHECKOUT_OK = fingerprint("frontend", "GET /checkout", "ok");
    static final String CARD = GroupsTest.CARD;

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir, b -> b.countWindowMs(3_600_000));
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

    // ------------------------------------------------------------ occurrences and traces kept

    @Test
    void aGroupOfCountsAloneShowsItsOccurrencesAndNoTrace() throws Exception {
        ObjectNode b = batch(PAYMENTS);
        ObjectNode e = counted(b, "error", "POST /payments", "HTTP 500");
        occurrence(e, traceId(0xc01), AT_MS);
        occurrence(e, traceId(0xc02), AT_MS + 2 * MINUTE_MS);
        occurrence(e, traceId(0xc03), AT_MS + MINUTE_MS);
        more(e, 2, AT_MS + 3 * MINUTE_MS);
        c.postBatch(b);

        beforeAndAfterTheWindow(() -> {
            JsonNode group = c.getJson("/api/groups/" + PAYMENTS_500);
            assertThat(group.get("name").asText()).isEqualTo("HTTP 500 in POST /payments");
            assertThat(group.get("service").asText()).isEqualTo("payments");
            assertThat(group.get("kind").asText()).isEqualTo("error");
            assertThat(group.get("occurrences").asLong()).isEqualTo(5);
            assertThat(group.get("traces").asLong()).isZero();
            assertThat(group.get("count").asLong()).isZero();
            assertThat(group.get("newSinceTriage").asLong()).isZero();
            assertThat(group.get("firstSeenAt").asText()).isEqualTo(iso(AT_MS));
            assertThat(group.get("lastSeenAt").asText()).isEqualTo(iso(AT_MS + 3 * MINUTE_MS));
            assertThat(group.get("lastTraceId").isNull()).isTrue();
            assertThat(fingerprints(c.getJson("/api/groups"))).containsExactly(PAYMENTS_500);

            // The group exists without traces: its list of traces is empty, not unknown.
            JsonNode traces = c.getJson("/api/groups/" + PAYMENTS_500 + "/traces");
            assertThat(traces.get("traces")).isEmpty();
            assertThat(traces.get("total").asLong()).isZero();
        });
        assertThat(c.get("/api/traces/" + traceId(0xc01)).statusCode()).isEqualTo(404);
    }

    @Test
    void storedTracesAndCountedOccurrencesAddUpInTheirGroup() throws Exception {
        unavailable(0xc10, T0_US);
        unavailable(0xc11, T0_US + MINUTE_US);
        ObjectNode b = batch(PAYMENTS);
        ObjectNode e = counted(b, "error", "POST /payments", "HTTP 503");
        occurrence(e, traceId(0xc12), AT_MS + 2 * MINUTE_MS + 5);
        occurrence(e, traceId(0xc13), AT_MS + 2 * MINUTE_MS + 9);
        more(e, 10, AT_MS + 3 * MINUTE_MS);
        c.postBatch(b);

        beforeAndAfterTheWindow(() -> {
            JsonNode group = c.getJson("/api/groups/" + PAYMENTS_503);
            assertThat(group.get("occurrences").asLong()).isEqualTo(14);
            assertThat(group.get("traces").asLong()).isEqualTo(2);
            assertThat(group.get("count").asLong()).isEqualTo(2);
            assertThat(group.get("newSinceTriage").asLong()).isEqualTo(2);
            assertThat(group.get("firstSeenAt").asText()).isEqualTo(minute(0));
            assertThat(group.get("lastSeenAt").asText()).isEqualTo(iso(AT_MS + 3 * MINUTE_MS));
            assertThat(group.get("lastTraceId").asText()).isEqualTo(traceId(0xc11));
            assertThat(GroupsTest.traceIds(c.getJson("/api/groups/" + PAYMENTS_503 + "/traces")))
                    .containsExactly(traceId(0xc11), traceId(0xc10));
        });
    }

    /**
     * Issue 12: the collector's count equals the errors the service returned, whatever share of
     * the requests fails. The agent here collects one error in 20 (its rate limit), counts the
     * others with their ids, 50 ids a batch at most, and the rest without ids.
     */
    @ParameterizedTest(name = "{0}% of 2,000 requests fail")
    @ValueSource(ints = {100, 20, 1})
    void errorCountsEqualTheErrorsTheServiceReturned(int percent) throws Exception {
        int errors = 0;
        int kept = 0;
        ObjectNode counts = batch(PAYMENTS);
        ObjectNode entry = counted(counts, "error", "POST /payments", "HTTP 500");
        int ids = 0;
        for (int request = 0; request < 2_000; request++) {
            if (request % (100 / percent) == 0) {
                errors++;
                String t = traceId(0xd0000 + request);
                long startUs = T0_US + request * 10_000L;
                if (errors % 20 == 1) {
                    kept++;
                    ObjectNode collected = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 3_000, 500);
                    c.postBatch(trigger(collected, t, "error", "HTTP 500 from POST /payments", startUs / 1000 + 3));
                } else if (ids < 50) {
                    occurrence(entry, t, startUs / 1000 + 3);
                    ids++;
                } else {
                    more(entry, 1, startUs / 1000 + 3);
                }
            }
            if (request % 100 == 99 && (ids > 0 || entry.get("more").asLong() > 0)) {
                c.postBatch(counts);
                counts = batch(PAYMENTS);
                entry = counted(counts, "error", "POST /payments", "HTTP 500");
                ids = 0;
            }
        }
        int returned = errors;
        int collected = kept;
        beforeAndAfterTheWindow(() -> {
            JsonNode group = c.getJson("/api/groups/" + PAYMENTS_500);
            assertThat(group.get("occurrences").asLong()).isEqualTo(returned);
            assertThat(group.get("traces").asLong()).isEqualTo(collected);
            assertThat(c.getJson("/api/groups").get("total").asLong()).isEqualTo(1);
        });
        assertThat(errors).isEqualTo(20 * percent);
    }

    // ------------------------------------------------------------ one occurrence per trace

    @Test
    void aCountedTriggerOfAStoredTraceBecomesOneOfItsTriggersAndCanMakeItsServiceTheOrigin() throws Exception {
        // Orders collected the trace; payments, where the problem started, only counted it (its
        // rate limit was reached), and said so after orders' batch.
        String t = traceId(0xc20);
        ObjectNode orders = served(ORDERS, t, 2, 1, "POST /orders", T0_US + 1_000, 30_000, 502);
        c.postBatch(trigger(orders, t, "error", "HTTP 502 from POST /orders", AT_MS + 31));
        assertThat(onlyGroup().get("name").asText()).isEqualTo("HTTP 502 in POST /orders");

        ObjectNode counts = batch(PAYMENTS);
        occurrence(counted(counts, "error", "POST /payments", "java.lang.IllegalStateException"), t, AT_MS + 7);
        c.postBatch(counts);

        JsonNode trigger = c.trace(t).get("triggers").get(0);
        assertThat(trigger.get("service").asText()).isEqualTo("payments");
        assertThat(trigger.get("agentId").asText()).isEqualTo(PAYMENTS);
        assertThat(trigger.get("kind").asText()).isEqualTo("error");
        assertThat(trigger.get("atMs").asLong()).isEqualTo(AT_MS + 7);
        assertThat(trigger.get("reason").asText())
                .isEqualTo("java.lang.IllegalStateException in POST /payments (counted, not collected by this agent)");
        assertThat(c.trace(t).get("triggers")).hasSize(2);
        // Payments' error came first: it is the origin. Without its records the group has the
        // trace's name and no exception; the trace is still the one occurrence.
        JsonNode group = onlyGroup();
        assertThat(group.get("service").asText()).isEqualTo("payments");
        assertThat(group.get("name").asText()).isEqualTo("error in POST /orders");
        assertThat(group.get("occurrences").asLong()).isEqualTo(1);
        assertThat(group.get("traces").asLong()).isEqualTo(1);

        // Once payments' records of the trace arrive (an answer to the collector), the group is
        // the exception where it was thrown.
        ObjectNode answer = served(PAYMENTS, t, 3, 2, "POST /payments", T0_US + 2_000, 20_000, 500);
        loggedError(answer, "java.lang.IllegalStateException", T0_US + 5_000);
        c.postBatch(answer);
        group = onlyGroup();
        assertThat(group.get("fingerprint").asText()).isEqualTo(CARD);
        assertThat(group.get("occurrences").asLong()).isEqualTo(1);
    }

    @Test
    void aCountedTriggerWaitsForItsTraceAndJoinsItWithoutAnotherOccurrence() throws Exception {
        String t = traceId(0xc30);
        ObjectNode counts = batch(PAYMENTS);
        occurrence(counted(counts, "error", "POST /payments", "HTTP 503"), t, AT_MS + 3);
        c.postBatch(counts);
        assertThat(onlyGroup().get("fingerprint").asText()).isEqualTo(PAYMENTS_503);

        // The frontend collects the same request within the count window.
        ObjectNode front = served(FRONTEND, t, 1, null, "GET /checkout", T0_US, 40_000, 502);
        c.postBatch(trigger(front, t, "error", "HTTP 502 from GET /checkout", AT_MS + 40));

        JsonNode triggers = c.trace(t).get("triggers");
        assertThat(triggers).extracting(g -> g.get("service").asText() + ": " + g.get("reason").asText())
                .containsExactly("payments: HTTP 503 in POST /payments (counted, not collected by this agent)",
                        "frontend: HTTP 502 from GET /checkout");
        assertThat(waiting()).isZero();
        beforeAndAfterTheWindow(() -> {
            JsonNode group = onlyGroup();
            assertThat(group.get("fingerprint").asText()).isEqualTo(fingerprint("payments", "GET /checkout", "error"));
            assertThat(group.get("occurrences").asLong()).isEqualTo(1);
            assertThat(group.get("traces").asLong()).isEqualTo(1);
            assertThat(group.get("lastTraceId").asText()).isEqualTo(t);
        });
    }

    @Test
    void aTraceCountedByThreeServicesIsOneOccurrenceInItsOriginsGroup() throws Exception {
        // The frontend's slow trigger fired first, but an error comes before a slow request, and
        // payments' error came before orders'.
        String t = traceId(0xc40);
        ObjectNode front = batch(FRONTEND);
        occurrence(counted(front, "slow", "GET /checkout", "slow"), t, AT_MS + 1);
        ObjectNode orders = batch(ORDERS);
        occurrence(counted(orders, "error", "POST /orders", "HTTP 502"), t, AT_MS + 31);
        ObjectNode payments = batch(PAYMENTS);
        occurrence(counted(payments, "error", "POST /payments", "HTTP 500"), t, AT_MS + 7);
        c.postBatch(front);
        c.postBatch(orders);
        c.postBatch(payments);

        beforeAndAfterTheWindow(() -> {
            JsonNode groups = c.getJson("/api/groups?silenced=show").get("groups");
            assertThat(groups).extracting(g -> g.get("fingerprint").asText()).containsExactly(PAYMENTS_500);
            assertThat(groups.get(0).get("occurrences").asLong()).isEqualTo(1);
            assertThat(groups.get(0).get("lastSeenAt").asText()).isEqualTo(iso(AT_MS + 7));
        });
        assertThat(c.query("SELECT fingerprint || ' ' || minute_ms || ' ' || occurrences "
                + "FROM group_counts")).containsExactly(PAYMENTS_500 + " " + AT_MS + " 1");
    }

    @Test
    void aCountedTriggerWaitsForItsTraceForTheCountWindowOnly() throws Exception {
        Storage store = c.collector.store();
        String late = traceId(0xc50);
        long before = System.currentTimeMillis();
        ObjectNode counts = batch(PAYMENTS);
        occurrence(counted(counts, "error", "POST /payments", "HTTP 500"), late, AT_MS);
        c.postBatch(counts);

        assertThat(store.ingest().forgetCounted(before + WINDOW_MS - 1, WINDOW_MS)).isZero();
        assertThat(waiting()).isEqualTo(1);
        // Payments' own trace of it arrives: still one occurrence.
        ObjectNode collected = served(PAYMENTS, late, 1, null, "POST /payments", T0_US, 3_000, 500);
        c.postBatch(trigger(collected, late, "error", "HTTP 500 from POST /payments", AT_MS));
        assertThat(onlyGroup().get("occurrences").asLong()).isEqualTo(1);

        String never = traceId(0xc51);
        counts = batch(PAYMENTS);
        occurrence(counted(counts, "error", "POST /payments", "HTTP 500"), never, AT_MS + 1);
        c.postBatch(counts);
        assertThat(onlyGroup().get("occurrences").asLong()).isEqualTo(2);
        assertThat(store.ingest().forgetCounted(System.currentTimeMillis() + WINDOW_MS, WINDOW_MS)).isEqualTo(1);
        assertThat(waiting()).isZero();
        assertThat(onlyGroup().get("occurrences").asLong()).isEqualTo(2);

        // Past the window the id is forgotten: should the trace still be stored, it is one
        // occurrence more. That is the price of forgetting counted ids.
        ObjectNode tooLate = served(PAYMENTS, never, 1, null, "POST /payments", T0_US, 3_000, 500);
        c.postBatch(trigger(tooLate, never, "error", "HTTP 500 from POST /payments", AT_MS + 1));
        assertThat(onlyGroup().get("occurrences").asLong()).isEqualTo(3);
    }

    @Test
    void countedTracesAreCountedOnceWhenABatchIsSentAgainAndOccurrencesWithoutIdsAsTheyCome() throws Exception {
        ObjectNode b = batch(PAYMENTS);
        ObjectNode e = counted(b, "error", "POST /payments", "HTTP 500");
        occurrence(e, traceId(0xc60), AT_MS);
        occurrence(e, traceId(0xc61), AT_MS + 1);
        c.postBatch(b);
        c.postBatch(b); // the agent did not get the first answer and sends the batch again

        ObjectNode later = batch(PAYMENTS);
        more(counted(later, "error", "POST /payments", "HTTP 500"), 5, AT_MS + 2 * MINUTE_MS);
        c.postBatch(later);
        ObjectNode latest = batch(PAYMENTS);
        more(counted(latest, "error", "POST /payments", "HTTP 500"), 7, AT_MS + 4 * MINUTE_MS);
        c.postBatch(latest);

        beforeAndAfterTheWindow(() -> {
            JsonNode group = onlyGroup();
            assertThat(group.get("occurrences").asLong()).isEqualTo(14);
            assertThat(group.get("lastSeenAt").asText()).isEqualTo(iso(AT_MS + 4 * MINUTE_MS));
            // Occurrences without ids are in the minute of their entry's last one.
            assertThat(c.getJson("/api/groups?from=" + enc(minute(3))).at("/groups/0/occurrences").asLong())
                    .isEqualTo(7);
        });
    }

    // ------------------------------------------------------------ filters and triage

    @Test
    void groupsOfCountsAreFilteredByServiceTimeTextStatusAndSpeed() throws Exception {
        ObjectNode payments = batch(PAYMENTS);
        ObjectNode failed = counted(payments, "error", "POST /payments", "HTTP 500");
        occurrence(failed, traceId(0xc70), AT_MS + 10);
        occurrence(failed, traceId(0xc71), AT_MS + 5 * MINUTE_MS + 10);
        more(failed, 3, AT_MS + 5 * MINUTE_MS + 20);
        c.postBatch(payments);
        ObjectNode orders = batch(ORDERS);
        occurrence(counted(orders, "slow", "POST /orders", "slow"), traceId(0xc72), AT_MS + 2 * MINUTE_MS);
        c.postBatch(orders);
        ObjectNode front = batch(FRONTEND);
        occurrence(counted(front, "manual", "GET /checkout", "ok"), traceId(0xc73), AT_MS + 4 * MINUTE_MS);
        c.postBatch(front);
        // And a stored trace of another group, at minute 1.
        String card = traceId(0xc74);
        ObjectNode stored = served(PAYMENTS, card, 1, null, "POST /payments", T0_US + MINUTE_US, 12_000, 500);
        loggedError(stored, "java.lang.IllegalStateException", T0_US + MINUTE_US + 1_000);
        c.postBatch(trigger(stored, card, "error", "ERROR bank declined the card", AT_MS + MINUTE_MS + 1));

        beforeAndAfterTheWindow(() -> {
            assertThat(fingerprints(c.getJson("/api/groups"))).containsExactly(PAYMENTS_500, CHECKOUT_OK, ORDERS_SLOW,
                    CARD);
            assertThat(c.getJson("/api/groups").get("total").asLong()).isEqualTo(4);
            assertThat(c.getJson("/api/groups?pageSize=3&page=2").get("total").asLong()).isEqualTo(4);

            // Of a counted occurrence only its group is known: its service is the group's.
            assertThat(fingerprints(c.getJson("/api/groups?service=payments"))).containsExactly(PAYMENTS_500, CARD);
            assertThat(fingerprints(c.getJson("/api/groups?service=orders"))).containsExactly(ORDERS_SLOW);
            assertThat(fingerprints(c.getJson("/api/groups?service=frontend"))).containsExactly(CHECKOUT_OK);

            JsonNode late = c.getJson("/api/groups?from=" + enc(minute(3)));
            assertThat(fingerprints(late)).containsExactly(PAYMENTS_500, CHECKOUT_OK);
            assertThat(late.at("/groups/0/occurrences").asLong()).isEqualTo(4);
            assertThat(late.at("/groups/0/firstSeenAt").asText()).isEqualTo(iso(AT_MS + 5 * MINUTE_MS + 10));
            JsonNode early = c.getJson("/api/groups?to=" + enc(minute(1)));
            assertThat(fingerprints(early)).containsExactly(PAYMENTS_500);
            assertThat(early.at("/groups/0/occurrences").asLong()).isEqualTo(1);
            assertThat(early.at("/groups/0/lastSeenAt").asText()).isEqualTo(iso(AT_MS + 10));

            // Text matches a count's endpoint or problem; a stored trace's contents as before.
            assertThat(fingerprints(c.getJson("/api/groups?q=" + enc("HTTP 500")))).containsExactly(PAYMENTS_500);
            assertThat(fingerprints(c.getJson("/api/groups?q=" + enc("POST /payments"))))
                    .containsExactly(PAYMENTS_500, CARD);
            assertThat(fingerprints(c.getJson("/api/groups?q=declined"))).containsExactly(CARD);

            assertThat(fingerprints(c.getJson("/api/groups?status=error"))).containsExactly(PAYMENTS_500, CARD);
            assertThat(fingerprints(c.getJson("/api/groups?status=ok"))).containsExactly(CHECKOUT_OK, ORDERS_SLOW);
            assertThat(fingerprints(c.getJson("/api/groups?speed=slow"))).containsExactly(ORDERS_SLOW);
            assertThat(c.getJson("/api/groups/" + CHECKOUT_OK).get("kind").asText()).isEqualTo("ok");
            assertThat(c.getJson("/api/groups/" + ORDERS_SLOW).get("name").asText()).isEqualTo("slow in POST /orders");
        });
    }

    @Test
    void aGroupOfCountsAloneCanBeTriaged() throws Exception {
        ObjectNode b = batch(PAYMENTS);
        more(counted(b, "error", "POST /payments", "HTTP 500"), 1_240, AT_MS);
        c.postBatch(b);

        HttpResponse<String> r = c.api("PUT", "/api/groups/" + PAYMENTS_500 + "/triage",
                "{\"mark\": \"silenced\", \"note\": \"the price service's sandbox\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode group = TestCollector.json(r);
        assertThat(group.get("occurrences").asLong()).isEqualTo(1_240);
        assertThat(group.get("triage").get("mark").asText()).isEqualTo("silenced");
        beforeAndAfterTheWindow(() -> {
            assertThat(fingerprints(c.getJson("/api/groups"))).isEmpty();
            assertThat(fingerprints(c.getJson("/api/groups?silenced=only"))).containsExactly(PAYMENTS_500);
        });

        // A group whose occurrence is still in its count window can be triaged too.
        ObjectNode counts = batch(ORDERS);
        occurrence(counted(counts, "slow", "POST /orders", "slow"), traceId(0xc80), AT_MS);
        c.postBatch(counts);
        assertThat(c.api("PUT", "/api/groups/" + ORDERS_SLOW + "/triage", "{\"level\": \"warn\"}").statusCode())
                .isEqualTo(200);
        assertThat(c.api("PUT", "/api/groups/0123456789abcdef/triage", "{\"level\": \"warn\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theCollectorEndsCountWindowsByItself() throws Exception {
        c.close();
        c = TestCollector.start(dir.resolve("own"), b -> b.countWindowMs(0));
        registerAgents();
        ObjectNode counts = batch(PAYMENTS);
        occurrence(counted(counts, "error", "POST /payments", "HTTP 500"), traceId(0xc90), AT_MS);
        c.postBatch(counts);

        long deadline = System.nanoTime() + 15_000_000_000L;
        while (waiting() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(waiting()).isZero();
        assertThat(c.query("SELECT sum(occurrences) FROM group_counts")).containsExactly("1");
        assertThat(onlyGroup().get("occurrences").asLong()).isEqualTo(1);
    }

    // ------------------------------------------------------------ helpers

    interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check}, ends the count window of every counted trigger, and runs it again. */
    void beforeAndAfterTheWindow(Check check) throws Exception {
        check.run();
        c.collector.store().ingest().forgetCounted(System.currentTimeMillis(), 0);
        assertThat(waiting()).isZero();
        check.run();
    }

    /** Counted triggers waiting for their trace (within their count window). */
    long waiting() throws SQLException {
        return Long.parseLong(c.query("SELECT count(*) FROM counted_triggers").get(0));
    }

    /** Payments answers 503 without an exception, and its agent collects the trace. */
    void unavailable(int n, long startUs) {
        String t = traceId(n);
        ObjectNode b = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 3_000, 503);
        c.postBatch(trigger(b, t, "error", "HTTP 503 from POST /payments", startUs / 1000 + 3));
    }

    JsonNode onlyGroup() {
        JsonNode groups = c.getJson("/api/groups?silenced=show").get("groups");
        assertThat(groups).hasSize(1);
        return groups.get(0);
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
