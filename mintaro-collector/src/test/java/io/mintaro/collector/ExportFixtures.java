package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-service trace as agents send it: {@code orders} serves {@code POST /orders} (root span
 * {@code ...01}, 100 ms) and calls {@code payments} through a client span ({@code ...02},
 * {@code server.address 127.0.0.1:8083}, 60 ms), whose server span ({@code ...03}, 50 ms) fails
 * with a 500 and logs an ERROR. Span events: the callee's {@code card check} at +30 ms
 * ({@code card.brand=visa}, {@code attempt=2}) and the root's {@code order placed} at +95 ms (no
 * attributes).
 */
final class ExportFixtures {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final String ROOT = "00000000000000a1";
    static final String CLIENT = "00000000000000a2";
    static final String CALLEE = "00000000000000a3";
    /** The span {@link #postLateSpan} adds. */
    static final String LATE = "00000000000000a4";

    private ExportFixtures() {
    }

    static void registerAgents(TestCollector c) {
        c.register(ORDERS, "orders", "127.0.0.1:8082");
        c.register(PAYMENTS, "payments", "127.0.0.1:8083");
    }

    /** The start of the trace {@link #postTrace} posts for {@code traceId}. */
    static long t0(String traceId) {
        return T0_US + 1_000_000L * (Long.parseLong(traceId.substring(24), 16) % 100_000);
    }

    /**
     * Late data of a trace {@link #postTrace} posted: orders sends an internal span {@link #LATE}
     * ({@code audit order}, child of the root, +100 ms to +120 ms) after the trace is complete, as an
     * agent does for a span that ended after it answered. Returns the records accepted.
     */
    static int postLateSpan(TestCollector c, String traceId) {
        long t0 = t0(traceId);
        ObjectNode o = batch(ORDERS);
        span(entry(o, traceId, false), LATE, ROOT, "audit order", "succeeded", t0 + 100_000, t0 + 120_000)
                .put("kind", "internal");
        return c.postBatch(o);
    }

    /** Posts the trace (payments triggers, orders answers) and waits until it is complete. */
    static void postTrace(TestCollector c, String traceId, boolean failed) throws InterruptedException {
        long t0 = t0(traceId);
        ObjectNode p = batch(PAYMENTS);
        trigger(p, traceId, failed ? "error" : "manual", failed ? "HTTP 500 POST /payments" : "asked", t0 / 1000);
        ObjectNode pe = entry(p, traceId, false);
        ObjectNode callee = span(pe, CALLEE, CLIENT, "POST /payments", failed ? "failed" : "succeeded",
                t0 + 20_000, t0 + 70_000);
        if (failed) {
            callee.putObject("error").put("type", "java.lang.IllegalStateException").put("message", "card declined")
                    .put("stack", "java.lang.IllegalStateException: card declined\n\tat Payments.charge");
        }
        Records.event(callee, t0 + 30_000, "card check", "card.brand", "visa", "attempt", "2");
        message(pe, 1, CALLEE, "inbound", "POST", "http://127.0.0.1:8083/payments", failed ? 500 : 200, t0 + 20_000,
                "{\"amount\": 12}", failed ? "{\"error\": \"card declined\"}" : "{}");
        ObjectNode err = log(pe, 2, CALLEE, t0 + 40_000, failed ? "ERROR" : "INFO", "charging failed");
        if (failed) {
            err.putObject("error").put("type", "java.lang.IllegalStateException").put("message", "card declined")
                    .put("stack", "...");
        }
        breadcrumb(pe, "caller", ORDERS, null);
        c.postBatch(p);

        ObjectNode o = batch(ORDERS);
        ObjectNode oe = entry(o, traceId, true);
        Records.event(span(oe, ROOT, null, "POST /orders", "succeeded", t0, t0 + 100_000), t0 + 95_000, "order placed");
        ObjectNode client = span(oe, CLIENT, ROOT, "POST", "succeeded", t0 + 10_000, t0 + 70_000)
                .put("kind", "client");
        client.putObject("attributes").put("server.address", "127.0.0.1:8083");
        message(oe, 1, CLIENT, "outbound", "POST", "http://127.0.0.1:8083/payments", failed ? 500 : 200,
                t0 + 10_000, "{\"amount\": 12}", "{}");
        log(oe, 2, ROOT, t0 + 5_000, "INFO", "placing order");
        c.postBatch(o);
        c.awaitComplete(traceId, Duration.ofSeconds(5));
    }

    /** An exporter that records what it gets, and fails while {@link #failWith} is set. */
    static final class RecordingExporter implements TraceExporter {
        final String name;
        final List<List<ExportedTrace>> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        volatile ExportException failWith;
        volatile Runnable beforeExport = () -> { };
        /** Read once, when the collector starts. */
        volatile boolean reexportsLate = true;

        RecordingExporter(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean reexportsLateRecords() {
            return reexportsLate;
        }

        @Override
        public void export(List<ExportedTrace> traces) throws ExportException {
            attempts.incrementAndGet();
            beforeExport.run();
            ExportException f = failWith;
            if (f != null) {
                throw f;
            }
            calls.add(traces);
        }

        List<ExportedTrace> exported() {
            List<ExportedTrace> out = new ArrayList<>();
            calls.forEach(out::addAll);
            return out;
        }

        List<String> exportedIds() {
            return exported().stream().map(ExportedTrace::traceId).toList();
        }
    }

    /** Polls {@code condition} up to {@code seconds}. */
    static void await(String what, int seconds, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
