package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.demo.DemoOptions;
import io.mintaro.demo.DemoServices;
import io.mintaro.testkit.servers.PostgresCluster;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real SDK through HAProxy: the demo's three services (frontend → orders → payments, each with
 * its own agent) know only HAProxy's URL, so each of their requests may reach any of the three
 * replicas. Each failing checkout must end as one trace, complete, with the three services and
 * exactly the records a clean run stores, whatever happens to the replicas meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Replicas.PrintLogsOnFailure.class)
class DemoThroughReplicasTest {
    static final Set<String> THREE = Set.of("frontend", "orders", "payments");
    /** How long the traces of a run may take to be whole once its checkouts are done. */
    static final Duration SETTLE = Duration.ofSeconds(60);
    static final Pattern BATCH_LOG = Pattern.compile(" app/(s\\d+) .*\"POST /agent/v1/batches ");

    final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    PostgresCluster cluster;
    Replicas replicas;
    Sql sql;
    DemoServices demo;
    /** What one failing checkout stores, from a clean run: spans, messages, logs, triggers. */
    Counts reference;

    record Counts(long spans, long messages, long logs, long triggers) {
    }

    @BeforeAll
    void start() throws Exception {
        cluster = SharedCluster.get();
        String db = SharedCluster.database(getClass());
        sql = new Sql(cluster, db);
        replicas = Replicas.builder(cluster, db)
                .count(3)
                .logs(Replicas.logDir(getClass()))
                .pollTimeout(Duration.ofSeconds(5))
                .answerTimeout(Duration.ofSeconds(3))
                .reconnectWait(Duration.ofSeconds(8))
                .lateWindow(Duration.ofSeconds(10))
                .start();
        demo = DemoServices.start(DemoOptions.create()
                .collector(replicas.lbUrl(), Replicas.KEY)
                .reconnectMaxDelay(Duration.ofMillis(500))
                // Every failing checkout is collected (none only counted), and none is slow.
                .triggerGroupLimit(100_000)
                .slowThreshold(Duration.ofSeconds(20))
                .bufferSize(8 * 1024 * 1024));
        awaitAgentsConnected();
        reference = settledCounts(checkoutFailing("reference"));
        System.out.println("[measure] one failing checkout stores " + reference);
        // The five exchanges of frontend → orders → payments, each seen from both ends but the user's.
        assertThat(reference.messages()).as("exchanges of a clean run").isEqualTo(5);
    }

    /**
     * What a trace holds once it is whole, every span finished and its late records in: the counts
     * once they have not changed for a second.
     */
    Counts settledCounts(String traceId) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Counts last = null;
        long sinceNanos = 0;
        while (true) {
            JsonNode t = Api.trace(replicas.lbUrl(), traceId);
            if (t != null && whole(t) && finished(t)) {
                Counts now = counts(traceId);
                if (!now.equals(last)) {
                    last = now;
                    sinceNanos = System.nanoTime();
                } else if (System.nanoTime() - sinceNanos > Duration.ofSeconds(1).toNanos()) {
                    return now;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace " + traceId + " did not settle in " + SETTLE.toSeconds() + " s: "
                        + (t == null ? "not stored" : Api.summary(t)));
            }
            Replicas.pause(100);
        }
    }

    static boolean finished(JsonNode t) {
        for (JsonNode span : t.path("spans")) {
            if (span.path("status").asText().equals("started")) {
                return false;
            }
        }
        return true;
    }

    @AfterEach
    void bringBackStoppedReplicas() {
        replicas.startStopped();
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
        if (replicas != null) {
            replicas.close();
        }
    }

    /**
     * 30 failing checkouts: 30 traces, each complete with frontend, orders and payments and the
     * records of a clean run; HAProxy sent requests, batches among them, to all three replicas.
     */
    @Test
    void everyFailingCheckoutThroughHaproxyIsStoredOnceCompleteWithItsThreeServices() throws Exception {
        Set<String> before = storedTraceIds();
        Map<String, Long> requestsBefore = requestsPerServer();
        long logOffset = Files.size(replicas.haproxy().logFile());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(checkoutFailing("plain-" + i));
        }

        assertEveryTraceWholeAndStoredOnce(ids, before);
        Map<String, Long> requestsAfter = requestsPerServer();
        for (int i = 1; i <= replicas.count(); i++) {
            String server = replicas.serverName(i);
            assertThat(requestsAfter.get(server) - requestsBefore.get(server))
                    .as("requests HAProxy sent to %s (stats: %s → %s)", server, requestsBefore, requestsAfter)
                    .isPositive();
        }
        Map<String, Integer> batches = batchesPerServer(logOffset);
        assertThat(batches.keySet()).as("servers that received batches: %s", batches)
                .containsExactlyInAnyOrder("s1", "s2", "s3");
    }

    /**
     * Replica 2 stops (SIGTERM: it answers its open polls and closes) and starts again on the same
     * port while checkouts go on, before, during and after; the agents move to the other replicas and
     * back. Every checkout's trace is stored, whole, once.
     */
    @Test
    void failingCheckoutsDuringTheRestartOfAReplicaAreAllStoredComplete() throws Exception {
        Set<String> before = storedTraceIds();
        List<String> ids = streamOfFailingCheckouts("restart", 15, () -> replicas.restart(2), 15);
        assertEveryTraceWholeAndStoredOnce(ids, before);
    }

    /**
     * Replica 3 is killed (SIGKILL: polls and batches in flight there break) in the middle of a stream
     * of failing checkouts, and started again while the stream goes on. The stored traces are exactly
     * the checkouts' (none lost, none extra), each with exactly the records and triggers of a clean
     * run (a batch sent again after the kill adds nothing).
     */
    @Test
    void noFailingCheckoutIsLostOrStoredTwiceWhenAReplicaIsKilledMidStream() throws Exception {
        Set<String> before = storedTraceIds();
        List<String> ids = streamOfFailingCheckouts("kill", 15, () -> {
            replicas.kill9(3);
            replicas.start(3);
        }, 15);
        assertEveryTraceWholeAndStoredOnce(ids, before);
    }

    // ------------------------------------------------------------ checks

    /**
     * The traces stored since {@code before} are exactly {@code ids}; each is complete, with the three
     * services and the records of a clean run (no record lost, none stored twice), and triggered once
     * per service as in the clean run.
     */
    void assertEveryTraceWholeAndStoredOnce(List<String> ids, Set<String> before) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, String> notWhole = new TreeMap<>();
        for (String id : ids) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            try {
                Api.awaitTrace(replicas.lbUrl(), id, t -> whole(t) && counts(id).equals(reference), left);
            } catch (AssertionError e) {
                JsonNode t = Api.trace(replicas.lbUrl(), id);
                notWhole.put(id, (t == null ? "not stored" : Api.summary(t) + " records " + counts(id)));
            }
        }
        assertThat(notWhole).as("traces not whole after %s s (a clean run stores %s)", SETTLE.toSeconds(),
                reference).isEmpty();
        Set<String> stored = storedTraceIds();
        stored.removeAll(before);
        assertThat(stored).as("the traces stored during the run").containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            assertThat(Api.services(Api.trace(replicas.lbUrl(), id))).as(id).containsExactlyInAnyOrderElementsOf(THREE);
        }
    }

    /** Complete, with spans and logs of all three services. */
    static boolean whole(JsonNode t) {
        return t.path("complete").asBoolean() && Api.services(t).equals(THREE)
                && Api.servicesOf(t, "spans").equals(THREE) && Api.servicesOf(t, "logs").equals(THREE);
    }

    Counts counts(String traceId) {
        List<String> row = sql.rows("""
                SELECT (SELECT count(*) FROM spans WHERE trace_id = ?), (SELECT count(*) FROM messages WHERE trace_id = ?),
                       (SELECT count(*) FROM logs WHERE trace_id = ?), (SELECT count(*) FROM triggers WHERE trace_id = ?)""",
                traceId, traceId, traceId, traceId).get(0);
        return new Counts(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)), Long.parseLong(row.get(2)),
                Long.parseLong(row.get(3)));
    }

    Set<String> storedTraceIds() {
        return new HashSet<>(sql.column("SELECT trace_id FROM traces"));
    }

    // ------------------------------------------------------------ the user

    /** A failing checkout (frontend answers 502) with a trace id set by hand; returns that id. */
    String checkoutFailing(String item) throws IOException, InterruptedException {
        String traceId = FakeAgent.newTraceId();
        HttpResponse<String> r = user.send(HttpRequest.newBuilder(demo.checkoutUri("item=" + item + "&mode=fail"))
                .header("X-Mintaro-Trace", traceId)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("checkout %s: %s", item, r.body()).isEqualTo(502);
        return traceId;
    }

    /**
     * Failing checkouts in the background, one every 100 ms: {@code before} of them, then
     * {@code meanwhile} runs in this thread while they go on, then {@code after} more. Returns the
     * trace ids of all of them.
     */
    List<String> streamOfFailingCheckouts(String name, int before, Runnable meanwhile, int after) throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    ids.add(checkoutFailing(name + "-" + i));
                    Thread.sleep(100);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        awaitCheckouts(ids, before, stream);
        meanwhile.run();
        int done = ids.size();
        System.out.printf("[measure] %s: %d failing checkouts during it%n", name, done - before);
        awaitCheckouts(ids, done + after, stream);
        stop.set(true);
        stream.get(60, TimeUnit.SECONDS);
        return new ArrayList<>(ids);
    }

    private static void awaitCheckouts(List<String> ids, int n, CompletableFuture<Void> stream) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ids.size() < n) {
            if (stream.isDone()) {
                stream.join(); // the failed checkout's assertion
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(ids.size() + " of " + n + " checkouts done after 60 s");
            }
            Replicas.pause(20);
        }
    }

    void awaitAgentsConnected() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(demo.frontend().sdk().stats().connected() && demo.orders().sdk().stats().connected()
                && demo.payments().sdk().stats().connected())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo's agents did not connect through HAProxy within 30 s");
            }
            Replicas.pause(50);
        }
    }

    // ------------------------------------------------------------ HAProxy

    /** Requests HAProxy sent to each backend server so far (the {@code stot} column of its stats). */
    Map<String, Long> requestsPerServer() {
        String[] lines = replicas.haproxy().stats().split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^#\\s*", "").split(",", -1));
        int pxname = header.indexOf("pxname");
        int svname = header.indexOf("svname");
        int stot = header.indexOf("stot");
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length > stot && f[pxname].equals("app") && f[svname].matches("s\\d+")) {
                out.put(f[svname], Long.parseLong(f[stot]));
            }
        }
        return out;
    }

    /** Batches per server in HAProxy's log from {@code offset} on (one line per request). */
    Map<String, Integer> batchesPerServer(long offset) throws IOException {
        byte[] all = Files.readAllBytes(replicas.haproxy().logFile());
        String log = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
        Map<String, Integer> out = new TreeMap<>();
        for (String line : log.split("\n")) {
            Matcher m = BATCH_LOG.matcher(line);
            if (m.find()) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }
}
