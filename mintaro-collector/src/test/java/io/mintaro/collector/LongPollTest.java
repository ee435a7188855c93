package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll is the agent's heartbeat and its only inbound channel. */
class LongPollTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        // A long poll timeout, so an early answer can only come from a queued command.
        c = TestCollector.start(dir, b -> b.pollTimeoutMs(5_000));
        c.register(ORDERS, "orders");
        c.register(PAYMENTS, "payments");
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void withNothingQueuedThePollIsAnsweredEmptyAfterPollTimeout() throws Exception {
        try (TestCollector quick = TestCollector.start(dir.resolve("quick"), b -> b.pollTimeoutMs(300))) {
            quick.register(ORDERS, "orders");
            long start = System.nanoTime();
            HttpResponse<String> r = quick.pollAsync(ORDERS).get(5, TimeUnit.SECONDS);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TestCollector.json(r).get("commands")).isEmpty();
            assertThat(elapsedMs).isBetween(250L, 3_000L);
        }
    }

    @Test
    void aQueuedCollectAnswersTheOpenPollPromptly() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = c.pollAsync(PAYMENTS);
        Thread.sleep(200); // let the poll reach the collector and wait there

        String t = traceId(0x201);
        ObjectNode b = batch(ORDERS);
        trigger(b, t, "error", "HTTP 500", 1_763_700_000_000L);
        breadcrumb(entry(b, t, false), "callee", PAYMENTS, "127.0.0.1:8083");
        long start = System.nanoTime();
        c.postBatch(b);

        HttpResponse<String> r = poll.get(3, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        JsonNode commands = TestCollector.json(r).get("commands");
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).get("type").asText()).isEqualTo("collect");
        assertThat(commands.get(0).get("traceId").asText()).isEqualTo(t);
    }

    @Test
    void aCommandQueuedBetweenPollsIsDeliveredByTheNextPoll() throws Exception {
        String agent = "b000000000000002";
        c.register(agent, "payments");
        String t = traceId(0x202);
        ObjectNode b = batch(ORDERS);
        trigger(b, t, "error", "HTTP 500", 1_763_700_000_000L);
        breadcrumb(entry(b, t, false), "callee", agent, null);
        c.postBatch(b);

        long start = System.nanoTime();
        HttpResponse<String> r = c.pollAsync(agent).get(3, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(TestCollector.json(r).get("commands").get(0).get("traceId").asText()).isEqualTo(t);
    }

    @Test
    void aNewerPollAnswersTheOlderOneWithNoCommands() throws Exception {
        String agent = "b000000000000003";
        c.register(agent, "payments");
        CompletableFuture<HttpResponse<String>> older = c.pollAsync(agent);
        Thread.sleep(200);
        CompletableFuture<HttpResponse<String>> newer = c.pollAsync(agent);

        HttpResponse<String> r = older.get(2, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestCollector.json(r).get("commands")).isEmpty();
        assertThat(newer).isNotDone();
        newer.cancel(true);
    }

    @Test
    void pollReplacesTheAuthoritiesWhenItCarriesThem() throws Exception {
        String agent = "b000000000000004";
        c.register(agent, "payments", "127.0.0.1:9999");
        CompletableFuture<HttpResponse<String>> poll = c.sendAsync(c.agentRequest("/agent/v1/poll",
                ("{\"agentId\":\"" + agent + "\",\"authorities\":[\"Payments.Internal:9000\"]}").getBytes(),
                Map.of()));
        Thread.sleep(200);

        // A callee breadcrumb naming only the new authority (in any case) reaches this agent.
        String t = traceId(0x203);
        ObjectNode b = batch(ORDERS);
        trigger(b, t, "error", "timeout", 1_763_700_000_000L);
        breadcrumb(entry(b, t, false), "callee", null, "payments.internal:9000");
        c.postBatch(b);
        assertThat(TestCollector.json(poll.get(3, TimeUnit.SECONDS)).get("commands").get(0).get("traceId").asText())
                .isEqualTo(t);
    }

    @Test
    void waitingPollsHoldNoServerThreadsAndClosingTheCollectorAnswersThem() throws Exception {
        try (TestCollector fleet = TestCollector.start(dir.resolve("fleet"), b -> b.pollTimeoutMs(60_000))) {
            // More parked polls than Jetty's pool has threads (250); the API must still answer at once.
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String agent = String.format("c%015x", i);
                fleet.register(agent, "fleet");
                polls.add(fleet.pollAsync(agent));
            }
            Thread.sleep(500);
            long start = System.nanoTime();
            assertThat(fleet.get("/api/health").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(polls).noneMatch(CompletableFuture::isDone);

            fleet.close();
            for (CompletableFuture<HttpResponse<String>> p : polls) {
                HttpResponse<String> r = p.get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(TestCollector.json(r).get("commands")).isEmpty();
            }
        }
    }
}
