package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mintaro.testkit.servers.PostgresCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Export with several replicas: the export queue is in the shared database, and every replica runs
 * the export threads. A completed trace must reach the target once, as with one collector, not once
 * per replica that happened to read the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Replicas.PrintLogsOnFailure.class)
class ExportAcrossReplicasTest {
    /** A remote backend's answer time: Zipkin or a SaaS endpoint across a network. */
    static final Duration TARGET_LATENCY = Duration.ofMillis(300);

    PostgresCluster cluster;
    Replicas replicas;
    Sql sql;
    FakeZipkin zipkin;

    @BeforeAll
    void start() throws IOException {
        zipkin = new FakeZipkin(TARGET_LATENCY);
        cluster = SharedCluster.get();
        String db = SharedCluster.database(getClass());
        sql = new Sql(cluster, db);
        replicas = Replicas.builder(cluster, db)
                .count(3)
                .logs(Replicas.logDir(getClass()))
                .setting("MINTARO_EXPORT_ZIPKIN", zipkin.url())
                .start();
    }

    @AfterAll
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
        if (zipkin != null) {
            zipkin.close();
        }
    }

    @Test
    void everyCompletedTraceIsExportedOnceWhicheverReplicaCompletesIt() {
        List<FakeAgent> agents = new ArrayList<>();
        for (int i = 1; i <= replicas.count(); i++) {
            FakeAgent agent = new FakeAgent("service-" + i);
            agent.register(replicas.url(i));
            agents.add(agent);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String t = FakeAgent.newTraceId();
            ids.add(t);
            // A trigger with no breadcrumb: complete, and queued for export, in the batch's transaction.
            agents.get(i % 3).postBatch(replicas.url(i % 3 + 1), agents.get(i % 3).trigger(t));
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(zipkin.exports.keySet().containsAll(ids) && queueEmpty() && zipkin.idleFor(Duration.ofSeconds(1)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("export did not settle in 60 s: received " + zipkin.exports.keySet().size()
                        + " of " + ids.size() + " traces, queue " + sql.column("SELECT count(*) FROM export_queue"));
            }
            Replicas.pause(100);
        }
        Map<String, Integer> exportsPerTrace = new TreeMap<>();
        ids.forEach(id -> exportsPerTrace.put(id, zipkin.exports.get(id).get()));
        Map<String, Integer> twice = new TreeMap<>(exportsPerTrace);
        twice.values().removeIf(n -> n == 1);
        assertThat(twice).as("traces exported more than once (of %d; exported per replica, from /api/health: %s)",
                ids.size(), exportedPerReplica()).isEmpty();
    }

    boolean queueEmpty() {
        return sql.number("SELECT count(*) FROM export_queue WHERE next_attempt_at_ms IS NOT NULL") == 0;
    }

    Map<Integer, Long> exportedPerReplica() {
        Map<Integer, Long> out = new TreeMap<>();
        replicas.numbers().forEach(i -> out.put(i, Api.json(Api.get(replicas.url(i), "/api/health").body())
                .path("export").path("zipkin").path("exported").asLong()));
        return out;
    }

    /** A Zipkin {@code POST /api/v2/spans} that answers after a latency and counts the POSTs naming each trace. */
    static final class FakeZipkin implements AutoCloseable {
        final Map<String, AtomicInteger> exports = new ConcurrentHashMap<>();
        private final HttpServer server;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());

        FakeZipkin(Duration latency) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/api/v2/spans", exchange -> {
                inFlight.incrementAndGet();
                lastRequestNanos.set(System.nanoTime());
                try {
                    JsonNode spans = FakeAgent.JSON.readTree(exchange.getRequestBody().readAllBytes());
                    Set<String> traces = new HashSet<>();
                    spans.forEach(s -> traces.add(s.path("traceId").asText()));
                    Thread.sleep(latency.toMillis());
                    traces.forEach(t -> exports.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet());
                    exchange.sendResponseHeaders(202, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                } finally {
                    exchange.close();
                    lastRequestNanos.set(System.nanoTime());
                    inFlight.decrementAndGet();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** No request in flight, and none for {@code quiet}. */
        boolean idleFor(Duration quiet) {
            return inFlight.get() == 0 && System.nanoTime() - lastRequestNanos.get() > quiet.toNanos();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
