package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.testkit.servers.PostgresCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL goes away under running replicas (a fast shutdown, then a start on the same port and
 * data): meanwhile what needs the database answers {@code 503}, so that agents back off and retry;
 * afterwards the same processes serve again by themselves, with no restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Replicas.PrintLogsOnFailure.class)
class DatabaseOutageTest {
    /** How long a replica may take to serve again once the database is back. */
    static final Duration RECOVERY = Duration.ofSeconds(30);

    PostgresCluster cluster;
    Replicas replicas;

    @BeforeAll
    void start() {
        cluster = PostgresCluster.start();
        String db = cluster.createDatabase("mintaro");
        replicas = Replicas.builder(cluster, db)
                .count(2)
                .logs(Replicas.logDir(getClass()))
                .start();
    }

    @AfterAll
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    String r(int i) {
        return replicas.url(i);
    }

    /**
     * While PostgreSQL is down, batches and API calls at replica 1 answer 503 "database unavailable";
     * when it is back, the same process (no restart) stores batches and serves the API again.
     */
    @Test
    void aReplicaThatLosesItsDatabaseAnswers503AndServesAgainWhenItComesBack() {
        FakeAgent orders = new FakeAgent("orders");
        orders.register(r(1));
        String before = FakeAgent.newTraceId();
        orders.postBatch(r(1), orders.trigger(before));
        long pid = replicas.pid(1);

        cluster.stop();
        Map<String, HttpResponse<String>> during = new TreeMap<>();
        try {
            // At once, as a fleet's requests come: some meet pooled connections the shutdown closed,
            // others wait for a connection until the pool gives up.
            Map<String, CompletableFuture<HttpResponse<String>>> burst = new TreeMap<>();
            for (int i = 0; i < 3; i++) {
                ObjectNode trigger = orders.trigger(FakeAgent.newTraceId());
                burst.put("batch " + i, CompletableFuture.supplyAsync(() -> orders.post(r(1), trigger)));
                burst.put("API call " + i, CompletableFuture.supplyAsync(() -> Api.get(r(1), "/api/traces/" + before)));
            }
            burst.forEach((what, response) -> during.put(what, response.join()));
        } finally {
            cluster.restart();
        }
        Map<String, String> answers = new TreeMap<>();
        during.forEach((what, response) -> answers.put(what, response.statusCode() + " "
                + Api.json(response.body()).path("error").asText()));
        assertThat(answers).as("answers during the outage").allSatisfy((what, answer) ->
                assertThat(answer).as(what).isEqualTo("503 database unavailable"));

        String after = FakeAgent.newTraceId();
        ObjectNode trigger = orders.trigger(after);
        HttpResponse<String> accepted = until(() -> orders.post(r(1), trigger), r -> r.statusCode() == 200);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        JsonNode trace = Api.awaitComplete(r(1), after, Duration.ofSeconds(10));
        assertThat(Api.services(trace)).containsExactly("orders");
        assertThat(Api.trace(r(1), before)).as("the trace stored before the outage").isNotNull();
        assertThat(replicas.pid(1)).as("the same process").isEqualTo(pid);
    }

    /**
     * Every replica's LISTEN connection broke with the database; each listens again by itself, so an
     * ask made at replica 1 reaches the poll that replica 2 holds.
     */
    @Test
    void asksReachThePollOfAnotherReplicaAgainAfterTheDatabaseComesBack() {
        FakeAgent orders = new FakeAgent("orders");
        FakeAgent payments = new FakeAgent("payments");
        orders.register(r(1));
        payments.register(r(2));

        cluster.stop();
        cluster.restart();

        String t = FakeAgent.newTraceId();
        ObjectNode trigger = orders.trigger(t, payments);
        CompletableFuture<HttpResponse<String>> poll = payments.pollAsync(r(2));
        HttpResponse<String> accepted = until(() -> orders.post(r(1), trigger), r -> r.statusCode() == 200);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        payments.awaitCollect(poll, r(2), t, Duration.ofSeconds(15));
        payments.postBatch(r(2), payments.answer(t, orders));
        JsonNode trace = Api.awaitComplete(r(1), t, Duration.ofSeconds(10));
        assertThat(Api.services(trace)).containsExactly("orders", "payments");
    }

    /** Sends again (every 250 ms) until {@code done} holds or {@link #RECOVERY} has passed; the last response. */
    static HttpResponse<String> until(Supplier<HttpResponse<String>> send,
                                      Predicate<HttpResponse<String>> done) {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (true) {
            HttpResponse<String> r = send.get();
            if (done.test(r) || System.nanoTime() > deadline) {
                return r;
            }
            Replicas.pause(250);
        }
    }
}
