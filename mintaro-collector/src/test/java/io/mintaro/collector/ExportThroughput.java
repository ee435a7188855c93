package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.zipkin.ZipkinExporter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Measures export throughput to a Zipkin server (a tool, not a test):
 * {@code ExportThroughput <zipkin base URL> [traces, default 10000]}.
 *
 * <p>Phase 1 stores the traces (3 spans, 2 exchanges, 2 logs each, 100 per batch) while the
 * exporter is held, and times the batches; phase 2 releases it and times until every trace is in
 * Zipkin's hands, while phase 3 stores the same number of batches again during the export and
 * times them, to compare storage latency with and without an export running.
 */
public final class ExportThroughput {
    private ExportThroughput() {
    }

    public static void main(String[] args) throws Exception {
        URI zipkin = URI.create(args[0]);
        int traces = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int perBatch = 100;
        Path dir = Files.createTempDirectory("mintaro-export-throughput");
        CountDownLatch go = new CountDownLatch(1);
        ZipkinExporter real = new ZipkinExporter(zipkin, 10_000);
        TraceExporter held = new TraceExporter() {
            @Override
            public String name() {
                return "zipkin";
            }

            @Override
            public void export(List<ExportedTrace> batch) throws ExportException {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExportException("interrupted", true);
                }
                real.export(batch);
            }

            @Override
            public void close() {
                real.close();
            }
        };
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(held, ExportFilter.ALL)
                .maxBodyBytes(64L * 1024 * 1024).exportQueueMax(10_000_000))) {
            c.register("a000000000000001", "orders", "127.0.0.1:8082");
            long[] stored = store(c, 0, traces, perBatch);
            ExportFixtures.await("all queued", 600,
                    () -> c.getJson("/api/health").at("/export/zipkin/pending").asLong() == traces);
            long start = System.nanoTime();
            go.countDown();
            long[] backlogDone = new long[1];
            Thread watch = new Thread(() -> {
                try {
                    ExportFixtures.await("backlog exported", 600,
                            () -> c.getJson("/api/health").at("/export/zipkin/exported").asLong() >= traces);
                    backlogDone[0] = System.nanoTime();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            watch.start();
            long[] during = store(c, traces, traces, perBatch);
            watch.join();
            double backlog = (backlogDone[0] - start) / 1e9;
            System.out.printf("backlog of %d traces exported in %.2f s: %.0f traces/s (while storing more)%n", traces,
                    backlog, traces / backlog);
            ExportFixtures.await("all exported", 600,
                    () -> c.getJson("/api/health").at("/export/zipkin/exported").asLong() == 2L * traces);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("all %d traces (%d spans) exported to %s in %.2f s: %.0f traces/s%n", 2 * traces,
                    6 * traces, zipkin, seconds, 2 * traces / seconds);
            System.out.printf("storage latency per %d-trace batch: idle exporter p50 %.1f ms p95 %.1f ms; "
                    + "while exporting p50 %.1f ms p95 %.1f ms%n", perBatch, pct(stored, 50), pct(stored, 95),
                    pct(during, 50), pct(during, 95));
            System.out.println("health: " + c.getJson("/api/health"));
        }
    }

    private static long[] store(TestCollector c, int from, int count, int perBatch) {
        long[] nanos = new long[count / perBatch];
        for (int b = 0; b < nanos.length; b++) {
            ObjectNode batch = batch("a000000000000001");
            for (int i = 0; i < perBatch; i++) {
                int n = from + b * perBatch + i;
                String traceId = String.format("%016x%016x", 0x4bf92f3577b34da6L, n + 1);
                long t0 = T0_US + n * 1_000L;
                trigger(batch, traceId, "error", "HTTP 500 POST /orders", t0 / 1000);
                ObjectNode e = entry(batch, traceId, false);
                span(e, spanId(1), null, "POST /orders", "failed", t0, t0 + 100_000);
                ObjectNode client = span(e, spanId(2), spanId(1), "POST", "succeeded", t0 + 10_000, t0 + 70_000)
                        .put("kind", "client");
                client.putObject("attributes").put("server.address", "127.0.0.1:8083");
                span(e, spanId(3), spanId(1), "SELECT orders", "succeeded", t0 + 75_000, t0 + 80_000)
                        .put("kind", "internal");
                message(e, 2L * n, spanId(1), "inbound", "POST", "http://127.0.0.1:8082/orders", 500, t0,
                        "{\"item\": 1}", "{\"error\": \"payment failed\"}");
                message(e, 2L * n + 1, spanId(2), "outbound", "POST", "http://127.0.0.1:8083/payments", 500,
                        t0 + 10_000, "{\"amount\": 12}", "{}");
                log(e, 2L * n, spanId(1), t0 + 5_000, "INFO", "placing order");
                log(e, 2L * n + 1, spanId(1), t0 + 90_000, "ERROR", "payment failed");
            }
            long s = System.nanoTime();
            c.postBatch(batch);
            nanos[b] = System.nanoTime() - s;
        }
        return nanos;
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
