package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures ingest (a tool, not a test): traces stored per second and CPU per stored trace, for
 * the trace the load benchmark produces (edge → backend).
 *
 * <p>{@code IngestBench [http|store|replicas] [seconds, default 10] [concurrent posters, default 16]}
 *
 * <p>Per trace: a trigger batch from the edge agent (server and client span, two exchanges, the
 * inbound one with a 1 KiB response body, 5 DEBUG logs, a callee breadcrumb), then the backend's
 * answer (server span, one exchange, {@code reply=true}); every 20th trace the edge sends a late
 * batch (one more log) after the answer. {@code http} posts through {@code POST /agent/v1/batches}
 * of an embedded collector (the backend's answer is posted by the poster itself, so that the
 * collection completes at once); {@code store} calls {@code IngestStore.store} directly
 * from the posting threads; {@code replicas} posts to three embedded collectors
 * ({@code -Dbench.replicas}) sharing a throwaway PostgreSQL (durable commits), each trace's
 * trigger, answer and late batch to different ones.
 *
 * <p>Printed: traces/s, process CPU per trace (includes the HTTP client in the same JVM) and
 * CPU per trace of the collector's threads (every thread but the posters and the HTTP client's),
 * over the measured window after a 2 s warm-up.
 */
public final class IngestBench {
    static final String EDGE = "e000000000000001";
    static final String BACKEND = "b000000000000002";
    static final String BODY_1K = "{\"items\":\"" + "x".repeat(1024 - 12) + "\"}";

    private static final Map<Long, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "http";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int posters = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dir = Files.createTempDirectory("mintaro-ingest-bench");
        Poster poster;
        AutoCloseable resource;
        if (mode.equals("store")) {
            Storage store = Storage.open(Database.sqlite(dir.resolve("mintaro.db")));
            resource = store;
            poster = (n, kind, body) -> {
                long now = System.currentTimeMillis();
                String service = body.get("agentId").asText().equals(EDGE) ? "edge" : "backend";
                // The backend's answer completes the collection in its own transaction.
                store.ingest().store(ProtocolParser.batch(body), service, now);
            };
        } else if (mode.equals("replicas")) {
            // Three collectors on one PostgreSQL database; each trace's batches go to three of them.
            int n = Integer.getInteger("bench.replicas", 3);
            // Durable commits, as in production, unless -Dbench.durable=false (to tell disk waits from the rest).
            String durable = Boolean.parseBoolean(System.getProperty("bench.durable", "true")) ? "on" : "off";
            io.mintaro.testkit.servers.PostgresCluster pg = io.mintaro.testkit.servers.PostgresCluster.builder()
                    .setting("fsync", durable).setting("synchronous_commit", durable)
                    .setting("full_page_writes", durable).start();
            Database db = Database.postgresql(pg.createDatabase("bench"), pg.user(), pg.password());
            List<TestCollector> replicas = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                replicas.add(TestCollector.start(Files.createDirectories(dir.resolve("r" + i)), b -> b.database(db)
                        .answerTimeoutMs(3_000).pollTimeoutMs(20_000).lateWindowMs(30_000)
                        .maxBodyBytes(16L * 1024 * 1024)));
            }
            replicas.get(0).register(EDGE, "edge", "127.0.0.1:8080");
            replicas.get(0).register(BACKEND, "backend", "127.0.0.1:8081");
            resource = () -> {
                replicas.forEach(TestCollector::close);
                pg.close();
            };
            poster = (t, kind, body) -> {
                TestCollector c = replicas.get((t + kind) % n);
                HttpResponse<String> r = c.send(c.agentRequest("/agent/v1/batches",
                        body.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
            };
        } else {
            TestCollector c = TestCollector.start(dir, b -> b.answerTimeoutMs(3_000).pollTimeoutMs(20_000)
                    .lateWindowMs(30_000).maxBodyBytes(16L * 1024 * 1024));
            resource = c;
            c.register(EDGE, "edge", "127.0.0.1:8080");
            c.register(BACKEND, "backend", "127.0.0.1:8081");
            poster = (n, kind, body) -> {
                HttpResponse<String> r = c.send(c.agentRequest("/agent/v1/batches",
                        body.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
            };
        }
        try (resource) {
            run(poster, posters, seconds);
        }
    }

    /** One post: {@code kind} 0 the trigger batch, 1 the backend's answer, 2 late data. */
    interface Poster {
        void post(int n, int kind, ObjectNode body) throws Exception;
    }

    static void run(Poster poster, int posters, int seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicInteger next = new AtomicInteger();
        AtomicLong stored = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        java.util.concurrent.ConcurrentLinkedQueue<Long> latencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long warmupNs = 2_000_000_000L;
        long start = System.nanoTime();
        long end = start + warmupNs + seconds * 1_000_000_000L;
        ThreadFactory tf = r -> new Thread(r, "bench-poster-" + next.hashCode() + "-" + System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(posters, tf);
        for (int p = 0; p < posters; p++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = next.getAndIncrement();
                    try {
                        long triggeredAt = System.nanoTime();
                        poster.post(n, 0, edgeBatch(n));
                        poster.post(n, 1, backendBatch(n));
                        if (triggeredAt > start + warmupNs) {
                            latencies.add(System.nanoTime() - triggeredAt);
                        }
                        if (n % 20 == 19) {
                            poster.post(n, 2, lateBatch(n - 10));
                        }
                        stored.incrementAndGet();
                    } catch (Exception e) {
                        if (failures.incrementAndGet() < 5) {
                            e.printStackTrace();
                        }
                    }
                }
                return null;
            });
        }
        Thread.sleep(warmupNs / 1_000_000);
        long s0 = stored.get();
        long cpu0 = os.getProcessCpuTime();
        Map<Long, Long> excluded0 = excludedCpu(threads);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        long s1 = stored.get();
        long cpu1 = os.getProcessCpuTime();
        Map<Long, Long> excluded1 = excludedCpu(threads);
        long t1 = System.nanoTime();
        pool.shutdown();
        pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
        long excluded = 0;
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : excluded1.entrySet()) {
            long delta = e.getValue() - excluded0.getOrDefault(e.getKey(), 0L);
            long id = e.getKey() < 0 ? -e.getKey() - 1 : e.getKey();
            byName.merge(NAMES.get(id).replaceAll("[0-9]+", "#"), delta, Long::sum);
            if (e.getKey() >= 0) {
                excluded += delta;
            }
        }
        if (Boolean.getBoolean("bench.threads")) {
            byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                    .forEach(e -> System.out.printf("  %8.0f ms  %s%n", e.getValue() / 1e6, e.getKey()));
        }
        long traces = s1 - s0;
        double secs = (t1 - t0) / 1e9;
        double cpuMs = (cpu1 - cpu0) / 1e6;
        System.out.printf("%d posters, %.1f s: %d traces, %.0f traces/s; process CPU %.3f ms/trace "
                        + "(%.2f cores); collector threads %.3f ms/trace; failures %d%n", posters, secs, traces,
                traces / secs, cpuMs / traces, cpuMs / 1000 / secs, (cpuMs - excluded / 1e6) / traces,
                failures.get());
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (l.length > 0) {
            System.out.printf("trigger to stored (the answer that completes the trace acknowledged): p50 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms%n", l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                    l[l.length - 1] / 1e6);
        }
    }

    /** CPU time of the threads that are not the collector's: posters and the HTTP client. */
    private static Map<Long, Long> excludedCpu(ThreadMXBean threads) {
        Map<Long, Long> out = new HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            boolean client = name.startsWith("bench-poster") || name.startsWith("HttpClient");
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0 && (client || Boolean.getBoolean("bench.threads"))) {
                out.put(client ? info.getThreadId() : -info.getThreadId() - 1, cpu);
                NAMES.put(info.getThreadId(), name);
            }
        }
        return out;
    }

    static String traceId(int n) {
        return String.format("%016x%016x", 0x5ca1ab1e00000000L, n + 1L);
    }

    static ObjectNode edgeBatch(int n) {
        String traceId = traceId(n);
        long t0 = T0_US + n * 1_000L;
        ObjectNode b = batch(EDGE);
        trigger(b, traceId, "error", "HTTP 500 GET /checkout", t0 / 1000);
        ObjectNode e = entry(b, traceId, false);
        span(e, spanId(1), null, "GET /checkout", "failed", t0, t0 + 50_000).putObject("error")
                .put("type", "HTTP 500").put("message", "upstream failed");
        span(e, spanId(2), spanId(1), "GET", "failed", t0 + 1_000, t0 + 40_000).put("kind", "client")
                .putObject("attributes").put("server.address", "127.0.0.1:8081");
        message(e, 1, spanId(1), "inbound", "GET", "http://127.0.0.1:8080/checkout", 500, t0, null, BODY_1K);
        message(e, 2, spanId(2), "outbound", "GET", "http://127.0.0.1:8081/stock", 500, t0 + 1_000, null,
                "{\"error\":\"boom\"}");
        for (int i = 0; i < 5; i++) {
            log(e, 10 + i, spanId(1), t0 + 2_000 + i * 1_000, "DEBUG", "step " + i + " of checkout for cart " + n);
        }
        breadcrumb(e, "callee", BACKEND, "127.0.0.1:8081");
        return b;
    }

    static ObjectNode backendBatch(int n) {
        String traceId = traceId(n);
        long t0 = T0_US + n * 1_000L + 2_000;
        ObjectNode b = batch(BACKEND);
        ObjectNode e = entry(b, traceId, true);
        span(e, spanId(3), spanId(2), "GET /stock", "failed", t0, t0 + 30_000);
        message(e, 1, spanId(3), "inbound", "GET", "http://127.0.0.1:8081/stock", 500, t0, null,
                "{\"error\":\"boom\"}");
        breadcrumb(e, "caller", EDGE, null);
        return b;
    }

    static ObjectNode lateBatch(int n) {
        ObjectNode b = batch(EDGE);
        ObjectNode e = entry(b, traceId(Math.max(0, n)), false);
        log(e, 100, spanId(1), T0_US + n * 1_000L + 60_000, "DEBUG", "late: response flushed");
        return b;
    }
}
