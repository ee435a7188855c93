package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
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
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval: a trigger in one service brings in the records of every service the request touched,
 * by following breadcrumbs.
 */
class RetrievalTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final String LEDGER = "c000000000000001";
    static final long AT_MS = 1_763_700_000_123L;

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir, b -> b.pollTimeoutMs(10_000).answerTimeoutMs(800));
        c.register(ORDERS, "orders", "127.0.0.1:8082");
        c.register(PAYMENTS, "payments", "127.0.0.1:8083");
        c.register(LEDGER, "ledger", "127.0.0.1:8084");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    /** orders (root, failed by a 500 from payments) triggers; payments is named by its agent id. */
    @Test
    void aTriggerBringsInTheCalleeNamedByItsBreadcrumb() throws Exception {
        String t = traceId(0x301);
        CompletableFuture<HttpResponse<String>> paymentsPoll = c.pollAsync(PAYMENTS);
        Thread.sleep(100);

        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "error", "HTTP 500 POST /orders", AT_MS);
        ObjectNode o = entry(trigger, t, false);
        span(o, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 50_000);
        span(o, spanId(2), spanId(1), "POST /payments", "failed", T0_US + 1_000, T0_US + 40_000);
        message(o, 1, spanId(2), "outbound", "POST", "http://127.0.0.1:8083/payments", 500, T0_US + 1_000,
                "{\"amount\":12}", "{\"error\":\"card declined\"}");
        breadcrumb(o, "callee", PAYMENTS, "127.0.0.1:8083");
        c.postBatch(trigger);

        // Not complete yet: payments was asked and has not answered.
        assertThat(c.trace(t).get("complete").asBoolean()).isFalse();
        JsonNode commands = TestCollector.json(paymentsPoll.get(3, TimeUnit.SECONDS)).get("commands");
        assertThat(commands.get(0).get("traceId").asText()).isEqualTo(t);

        ObjectNode reply = batch(PAYMENTS);
        ObjectNode p = entry(reply, t, true);
        span(p, spanId(3), spanId(2), "POST /payments", "failed", T0_US + 2_000, T0_US + 39_000);
        message(p, 7, spanId(3), "inbound", "POST", "http://127.0.0.1:8083/payments", 500, T0_US + 2_000,
                "{\"amount\":12}", "{\"error\":\"card declined\"}");
        log(p, 8, spanId(3), T0_US + 3_000, "DEBUG", "card 4242 declined by issuer");
        breadcrumb(p, "caller", ORDERS, null);
        assertThat(c.postBatch(reply)).isEqualTo(3);

        JsonNode trace = c.awaitComplete(t, Duration.ofSeconds(2));
        assertThat(trace.get("services")).extracting(JsonNode::asText).containsExactly("orders", "payments");
        assertThat(trace.get("name").asText()).isEqualTo("POST /orders");
        assertThat(trace.get("status").asText()).isEqualTo("error");
        assertThat(trace.get("durationMs").asDouble()).isEqualTo(50.0);
        assertThat(trace.get("spans")).extracting(s -> s.get("service").asText())
                .containsExactly("orders", "orders", "payments");
        assertThat(trace.get("messages")).hasSize(2);
        assertThat(trace.get("logs").get(0).get("service").asText()).isEqualTo("payments");
        assertThat(trace.get("triggerKind").asText()).isEqualTo("error");
        assertThat(trace.get("triggerReason").asText()).isEqualTo("HTTP 500 POST /orders");
        assertThat(trace.get("triggeredAtMs").asLong()).isEqualTo(AT_MS);
        assertThat(trace.get("completedAtMs").asLong()).isGreaterThan(AT_MS);
    }

    /** A callee that never answered the HTTP call has no agent id: it is found by the authority called. */
    @Test
    void aCalleeWithoutAgentIdIsFoundByTheAuthorityItServes() throws Exception {
        String t = traceId(0x302);
        CompletableFuture<HttpResponse<String>> paymentsPoll = c.pollAsync(PAYMENTS);
        CompletableFuture<HttpResponse<String>> ledgerPoll = c.pollAsync(LEDGER);
        Thread.sleep(100);

        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "error", "timeout calling payments", AT_MS);
        breadcrumb(entry(trigger, t, false), "callee", null, "127.0.0.1:8083");
        c.postBatch(trigger);

        assertThat(TestCollector.json(paymentsPoll.get(3, TimeUnit.SECONDS)).get("commands").get(0)
                .get("traceId").asText()).isEqualTo(t);
        // Only the agent serving that authority is asked: ledger's poll stays open.
        Thread.sleep(200);
        assertThat(ledgerPoll).isNotDone();

        ObjectNode reply = batch(PAYMENTS);
        log(entry(reply, t, true), 1, null, T0_US, "WARN", "slow database");
        c.postBatch(reply);
        JsonNode trace = c.awaitComplete(t, Duration.ofSeconds(2));
        assertThat(trace.get("services")).extracting(JsonNode::asText).containsExactly("orders", "payments");
    }

    /** The search goes on through the answers: orders → payments → ledger. */
    @Test
    void breadcrumbsInAnAnswerExtendTheSearch() throws Exception {
        String t = traceId(0x303);
        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "slow", "POST /orders took 3 s", AT_MS);
        breadcrumb(entry(trigger, t, false), "callee", PAYMENTS, "127.0.0.1:8083");
        c.postBatch(trigger);
        assertThat(TestCollector.json(c.pollAsync(PAYMENTS).get(3, TimeUnit.SECONDS)).get("commands")).hasSize(1);

        ObjectNode reply = batch(PAYMENTS);
        ObjectNode p = entry(reply, t, true);
        breadcrumb(p, "caller", ORDERS, null);
        breadcrumb(p, "callee", LEDGER, "127.0.0.1:8084");
        c.postBatch(reply);
        JsonNode ledgerCommands = TestCollector.json(c.pollAsync(LEDGER).get(3, TimeUnit.SECONDS)).get("commands");
        assertThat(ledgerCommands.get(0).get("traceId").asText()).isEqualTo(t);
        assertThat(c.trace(t).get("complete").asBoolean()).isFalse();

        ObjectNode ledgerReply = batch(LEDGER);
        entry(ledgerReply, t, true); // "I have nothing"
        c.postBatch(ledgerReply);
        JsonNode trace = c.awaitComplete(t, Duration.ofSeconds(2));
        assertThat(trace.get("status").asText()).isEqualTo("slow");
    }

    @Test
    void anAgentIsAskedOncePerTraceHoweverOftenItIsNamed() throws Exception {
        String t = traceId(0x304);
        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "error", "boom", AT_MS);
        ObjectNode o = entry(trigger, t, false);
        breadcrumb(o, "callee", PAYMENTS, "127.0.0.1:8083");
        breadcrumb(o, "callee", null, "127.0.0.1:8083");
        c.postBatch(trigger);
        ObjectNode again = batch(ORDERS);
        breadcrumb(entry(again, t, false), "callee", PAYMENTS, "127.0.0.1:8083");
        c.postBatch(again);

        assertThat(TestCollector.json(c.pollAsync(PAYMENTS).get(3, TimeUnit.SECONDS)).get("commands")).hasSize(1);
        CompletableFuture<HttpResponse<String>> next = c.pollAsync(PAYMENTS);
        Thread.sleep(300);
        assertThat(next).isNotDone();
    }

    /** An agent that is asked but never answers delays the trace by answerTimeoutMs, no more. */
    @Test
    void aSilentAgentCompletesTheTraceAfterTheAnswerTimeout() throws Exception {
        String t = traceId(0x305);
        String gone = "dead00000000beef"; // never registered: it cannot answer
        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "error", "boom", AT_MS);
        ObjectNode o = entry(trigger, t, false);
        breadcrumb(o, "callee", PAYMENTS, "127.0.0.1:8083"); // registered, but never polls
        breadcrumb(o, "callee", gone, "10.0.0.9:80");
        long start = System.nanoTime();
        c.postBatch(trigger);

        c.awaitComplete(t, Duration.ofSeconds(3));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isBetween(700L, 2_500L);
    }

    @Test
    void aTriggerWithoutBreadcrumbsCompletesAtOnce() throws Exception {
        String t = traceId(0x306);
        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "manual", "operator asked", AT_MS);
        log(entry(trigger, t, false), 1, null, T0_US, "INFO", "hello");
        c.postBatch(trigger);
        JsonNode trace = c.trace(t);
        assertThat(trace.get("complete").asBoolean()).isTrue();
        assertThat(trace.get("status").asText()).isEqualTo("ok");
    }

    /** Records written after the answer (the root span ending late) arrive as reply:false batches. */
    @Test
    void lateDataIsMergedIntoTheCompleteTraceAndItsBreadcrumbsAreFollowed() throws Exception {
        String t = traceId(0x307);
        ObjectNode trigger = batch(PAYMENTS);
        trigger(trigger, t, "error", "HTTP 500 POST /payments", AT_MS);
        ObjectNode p = entry(trigger, t, false);
        span(p, spanId(3), spanId(2), "POST /payments", "failed", T0_US + 2_000, T0_US + 39_000);
        breadcrumb(p, "caller", ORDERS, null);
        c.postBatch(trigger);
        assertThat(TestCollector.json(c.pollAsync(ORDERS).get(3, TimeUnit.SECONDS)).get("commands")).hasSize(1);

        ObjectNode reply = batch(ORDERS);
        span(entry(reply, t, true), spanId(1), null, "POST /orders", "started", T0_US, null);
        c.postBatch(reply);
        JsonNode before = c.awaitComplete(t, Duration.ofSeconds(2));
        long completedAt = before.get("completedAtMs").asLong();
        assertThat(before.get("name").asText()).isEqualTo("POST /orders");

        // The root span ends; orders also called ledger after answering.
        ObjectNode late = batch(ORDERS);
        ObjectNode l = entry(late, t, false);
        span(l, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 80_000);
        breadcrumb(l, "callee", LEDGER, "127.0.0.1:8084");
        assertThat(c.postBatch(late)).isEqualTo(1);

        assertThat(TestCollector.json(c.pollAsync(LEDGER).get(3, TimeUnit.SECONDS)).get("commands").get(0)
                .get("traceId").asText()).isEqualTo(t);
        ObjectNode ledgerReply = batch(LEDGER);
        log(entry(ledgerReply, t, true), 1, null, T0_US + 60_000, "ERROR", "ledger locked");
        c.postBatch(ledgerReply);

        JsonNode after = c.trace(t);
        assertThat(after.get("durationMs").asDouble()).isEqualTo(80.0);
        assertThat(after.get("services")).extracting(JsonNode::asText)
                .containsExactly("ledger", "orders", "payments");
        assertThat(after.get("completedAtMs").asLong()).isEqualTo(completedAt);
    }

    /** A trace is collected once; later triggers are kept as extra reasons. */
    @Test
    void laterTriggersOfTheSameTraceAreExtraReasons() throws Exception {
        String t = traceId(0x308);
        ObjectNode first = batch(PAYMENTS);
        trigger(first, t, "error", "HTTP 500 POST /payments", AT_MS);
        entry(first, t, false);
        c.postBatch(first);
        c.awaitComplete(t, Duration.ofSeconds(2));

        ObjectNode second = batch(ORDERS);
        trigger(second, t, "slow", "POST /orders took 3 s", AT_MS + 3_000);
        entry(second, t, false);
        c.postBatch(second);

        JsonNode trace = c.trace(t);
        assertThat(trace.get("triggers")).extracting(x -> x.get("kind").asText()).containsExactly("error", "slow");
        assertThat(trace.get("triggerKind").asText()).isEqualTo("error");
        assertThat(trace.get("triggeredAtMs").asLong()).isEqualTo(AT_MS);
        assertThat(trace.get("status").asText()).isEqualTo("error");
    }

    /** An agent asked before it (re)registered, e.g. right after a collector restart, still gets the command. */
    @Test
    void anAgentThatRegistersWhileATraceWaitsForItIsAsked() throws Exception {
        String t = traceId(0x309);
        String latecomer = "e000000000000001";
        ObjectNode trigger = batch(ORDERS);
        trigger(trigger, t, "error", "boom", AT_MS);
        breadcrumb(entry(trigger, t, false), "callee", latecomer, "127.0.0.1:9000");
        c.postBatch(trigger);

        c.register(latecomer, "inventory");
        List<String> traces = new ArrayList<>();
        TestCollector.json(c.pollAsync(latecomer).get(3, TimeUnit.SECONDS)).get("commands")
                .forEach(cmd -> traces.add(cmd.get("traceId").asText()));
        assertThat(traces).containsExactly(t);
    }
}
