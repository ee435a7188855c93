package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.testkit.servers.PostgresCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retrieval across replicas, at the protocol level: fake agents send each request to a replica
 * the test chooses, so each case is exactly the one it names. Three collector processes share one
 * PostgreSQL database; HAProxy is in front of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Replicas.PrintLogsOnFailure.class)
class RetrievalAcrossReplicasTest {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(5);
    /** How long an ask may take to reach a poll at another replica (it takes milliseconds). */
    static final Duration ASK_ARRIVES = Duration.ofSeconds(10);

    PostgresCluster cluster;
    Replicas replicas;
    Sql sql;

    @BeforeAll
    void start() {
        cluster = SharedCluster.get();
        String db = SharedCluster.database(getClass());
        sql = new Sql(cluster, db);
        replicas = Replicas.builder(cluster, db)
                .count(3)
                .logs(Replicas.logDir(getClass()))
                .pollTimeout(Duration.ofSeconds(5))
                .answerTimeout(ANSWER_TIMEOUT)
                .reconnectWait(RECONNECT_WAIT)
                .start();
    }

    @AfterEach
    void bringBackKilledReplicas() {
        replicas.startStopped();
    }

    @AfterAll
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
    }

    String r(int i) {
        return replicas.url(i);
    }

    /**
     * orders triggers at replica 1 and names payments, whose poll replica 2 holds; payments answers
     * at replica 3 and names ledger, which polls at replica 3 and answers at replica 1. Every ask
     * crosses replicas, and the trace ends complete with all three services, the same through every
     * replica and through HAProxy.
     */
    @Test
    void anErrorTraceIsCompleteWhateverReplicaEachAgentPolls() {
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        FakeAgent ledger = new FakeAgent("ledger");
        orders.register(r(1));
        payments.register(r(2));
        ledger.register(r(3));
        CompletableFuture<HttpResponse<String>> paymentsPoll = payments.pollAsync(r(2));
        CompletableFuture<HttpResponse<String>> ledgerPoll = ledger.pollAsync(r(3));
        String t = FakeAgent.newTraceId();

        orders.postBatch(r(1), orders.trigger(t, payments));
        payments.awaitCollect(paymentsPoll, r(2), t, ASK_ARRIVES);
        payments.postBatch(r(3), payments.answer(t, orders, ledger));
        ledger.awaitCollect(ledgerPoll, r(3), t, ASK_ARRIVES);
        assertThat(Api.trace(r(2), t).path("complete").asBoolean())
                .as("complete while ledger has not answered").isFalse();
        ledger.postBatch(r(1), ledger.answer(t, payments));

        JsonNode trace = Api.awaitComplete(r(2), t, ANSWER_TIMEOUT.plus(RECONNECT_WAIT));
        assertThat(Api.services(trace)).containsExactly("ledger", "orders", "payments");
        assertThat(Api.servicesOf(trace, "logs")).containsExactly("ledger", "orders", "payments");
        assertThat(Api.servicesOf(trace, "spans")).containsExactly("ledger", "orders", "payments");
        // Complete because every agent answered, not because time ran out.
        assertThat(sql.column("SELECT agent_id FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL", t))
                .isEmpty();
        assertThat(sql.column("SELECT agent_id FROM collection_asks WHERE trace_id = ?", t))
                .containsExactlyInAnyOrder(orders.agentId, payments.agentId, ledger.agentId);
        replicas.numbers().forEach(i -> assertThat(Api.trace(r(i), t)).as("through replica " + i).isEqualTo(trace));
        assertThat(Api.trace(replicas.lbUrl(), t)).as("through HAProxy").isEqualTo(trace);
    }

    /**
     * Agents that send everything through HAProxy, as SDKs do: each poll and each batch may land at
     * any replica, so a poll moves between replicas from one request to the next. orders triggers 30
     * traces naming payments, whose answers name ledger; every trace ends complete with the three
     * services, each ask answered, long before an ask would have been given up.
     */
    @Test
    void asksReachAgentsWhosePollsMoveBetweenReplicasBehindHaproxy() throws Exception {
        String lb = replicas.lbUrl();
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        FakeAgent ledger = new FakeAgent("ledger");
        orders.register(lb);
        payments.register(lb);
        ledger.register(lb);
        List<String> ids = new ArrayList<>();
        Map<String, Long> triggeredAt = new HashMap<>();
        try (AutoCloseable p = payments.answerEveryCollect(lb, orders, ledger);
             AutoCloseable l = ledger.answerEveryCollect(lb, payments)) {
            for (int i = 0; i < 30; i++) {
                String t = FakeAgent.newTraceId();
                ids.add(t);
                triggeredAt.put(t, System.currentTimeMillis());
                orders.postBatch(lb, orders.trigger(t, payments));
                Replicas.pause(50);
            }
            List<Long> latencies = new ArrayList<>();
            for (String t : ids) {
                JsonNode trace = Api.awaitComplete(lb, t, ANSWER_TIMEOUT.plus(RECONNECT_WAIT).plusSeconds(10));
                latencies.add(trace.path("completedAtMs").asLong() - triggeredAt.get(t));
                assertThat(Api.services(trace)).as(t).containsExactly("ledger", "orders", "payments");
                assertThat(sql.column(
                        "SELECT agent_id FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL", t))
                        .as("agents that did not answer for %s", t).isEmpty();
                assertThat(trace.path("completedAtMs").asLong() - triggeredAt.get(t))
                        .as("ms from trigger to completion of %s", t).isLessThan(RECONNECT_WAIT.toMillis());
            }
            System.out.println("[measure] ms from trigger to completion behind HAProxy: " + latencies);
        }
    }

    /**
     * Replica 1 takes orders' trigger, which names payments; payments gets the ask at replica 2, and
     * replica 1 is killed (SIGKILL) before payments answers. The answer, sent through HAProxy, lands
     * at a surviving replica and completes the trace with both services.
     */
    @Test
    void aTraceCompletesWhenTheReplicaThatReceivedItsTriggerIsKilledMidRetrieval() {
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        orders.register(r(1));
        payments.register(r(2));
        CompletableFuture<HttpResponse<String>> poll = payments.pollAsync(r(2));
        String t = FakeAgent.newTraceId();
        orders.postBatch(r(1), orders.trigger(t, payments));
        payments.awaitCollect(poll, r(2), t, ASK_ARRIVES);

        replicas.kill9(1);
        long killed = System.nanoTime();
        payments.postBatch(replicas.lbUrl(), payments.answer(t, orders));

        JsonNode trace = Api.awaitComplete(r(3), t, Duration.ofSeconds(15));
        System.out.printf("[measure] complete %d ms after replica 1 was killed%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertThat(Api.services(trace)).containsExactly("orders", "payments");
        assertThat(Api.servicesOf(trace, "logs")).containsExactly("orders", "payments");
        assertThat(sql.column("SELECT agent_id FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL", t))
                .isEmpty();
        assertThat(Api.trace(r(2), t)).isEqualTo(trace);
        assertThat(Api.trace(replicas.lbUrl(), t)).isEqualTo(trace);
    }

    /**
     * The same, but payments never answers: the collection replica 1 opened is not lost with it. A
     * surviving replica's sweep completes the trace once payments' answer timeout has passed.
     */
    @Test
    void aTraceWhoseAskedAgentNeverAnswersIsCompletedByAnotherReplicaAfterTheAnswerTimeout() {
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        orders.register(r(1));
        payments.register(r(2));
        CompletableFuture<HttpResponse<String>> poll = payments.pollAsync(r(2));
        String t = FakeAgent.newTraceId();
        orders.postBatch(r(1), orders.trigger(t, payments));
        payments.awaitCollect(poll, r(2), t, ASK_ARRIVES);
        long deliveredAtMs = System.currentTimeMillis();

        replicas.kill9(1);
        assertThat(Api.trace(r(2), t).path("complete").asBoolean()).as("complete right after the kill").isFalse();

        JsonNode trace = Api.awaitComplete(r(3), t, ANSWER_TIMEOUT.plus(RECONNECT_WAIT).plusSeconds(15));
        assertThat(Api.services(trace)).containsExactly("orders");
        // The collector recorded the delivery just before the test saw it; a second covers that.
        assertThat(trace.path("completedAtMs").asLong())
                .isGreaterThanOrEqualTo(deliveredAtMs + ANSWER_TIMEOUT.toMillis() - 1_000);
        assertThat(sql.column("SELECT agent_id FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL", t))
                .containsExactly(payments.agentId);
        String completion = "trace " + t + " complete: 1 agent(s) answered, no answer from [" + payments.agentId + "]";
        assertThat(replicas.log(2) + replicas.log(3)).as("a surviving replica logs the completion").contains(completion);
    }

    /**
     * Replica 1 takes the trigger and asks payments, which is not polling anywhere; replica 1 is
     * killed. payments' next poll, at replica 3 (it registered with replica 2), gets the ask, and its
     * answer completes the trace.
     */
    @Test
    void anAskFromAKilledReplicaReachesItsAgentAtTheReplicaItPollsNext() {
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        orders.register(r(1));
        payments.register(r(2));
        String t = FakeAgent.newTraceId();
        orders.postBatch(r(1), orders.trigger(t, payments));
        replicas.kill9(1);

        payments.awaitCollect(payments.pollAsync(r(3)), r(3), t, RECONNECT_WAIT);
        payments.postBatch(r(3), payments.answer(t, orders));

        JsonNode trace = Api.awaitComplete(r(2), t, Duration.ofSeconds(15));
        assertThat(Api.services(trace)).containsExactly("orders", "payments");
        assertThat(sql.column("SELECT agent_id FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL", t))
                .isEmpty();
    }
}
