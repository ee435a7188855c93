package io.mintaro.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The collector's own metrics, served in the Prometheus text format at {@code GET /metrics}; the
 * metrics and their meaning are listed in the collector's README ("Metrics").
 *
 * <p>Each collector owns one instance with its own registry (several collectors may run in one
 * JVM, so there is no global registry). The recording methods are meant for request paths: they
 * update counters and timers created up front or once per tag value, and take no per-request tags
 * (no trace or agent ids). Gauges read their source when {@link #scrape()} runs. Thread-safe.
 */
public final class CollectorMetrics implements AutoCloseable {
    /**
     * Content type of {@link #scrape()}: the Prometheus text format 0.0.4, which
     * {@link PrometheusMeterRegistry#scrape()} writes (the Prometheus client's constant is not on the
     * compile class path).
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Buckets of the batch and database timers: from a fast SQLite commit to a stuck database. */
    static final Duration[] STORE_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    /**
     * Buckets of the time to complete a trace: answered at once, then around the answer timeout
     * (3 s by default) for traces that wait for a silent agent.
     */
    static final Duration[] COMPLETION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10, 30, 60);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private final Counter batchesStored;
    private final Counter recordsStored;
    private final Counter bytesStored;
    private final Timer batchStore;
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter registrations;
    private final AtomicInteger pollsOpen = new AtomicInteger();
    /** Per operation: the timer of successful calls, then of failed ones. */
    private final ConcurrentMap<String, Timer[]> database = new ConcurrentHashMap<>();
    private final Counter tracesCompleted;
    private final Timer traceCompletion;
    private final Counter agentsAsked;
    private final Counter agentsMissing;
    /** Per reason: traces, then bytes. */
    private final ConcurrentMap<String, Counter[]> expired = new ConcurrentHashMap<>();
    /** Per namespace: traces, then bytes (written by one retention run at a time; a scrape may see a half). */
    private final ConcurrentMap<String, long[]> usage = new ConcurrentHashMap<>();

    private final MultiGauge connectedByService;
    private volatile Supplier<Map<String, Integer>> connectedSource = Map::of;
    private volatile int connectedTotal;

    /** A registry with the collector's meters and the JVM's (memory, GC, threads, CPU, uptime). */
    public CollectorMetrics() {
        batchesStored = Counter.builder("mintaro.collector.batches.stored")
                .description("Agent batches stored and acknowledged with 200").register(registry);
        recordsStored = Counter.builder("mintaro.collector.records.stored")
                .description("Spans, messages and logs stored (inserted or updated; duplicates not counted)")
                .register(registry);
        bytesStored = Counter.builder("mintaro.collector.batches.stored.bytes").baseUnit("bytes")
                .description("Bytes of the stored batches' JSON bodies, after gzip decompression")
                .register(registry);
        batchStore = Timer.builder("mintaro.collector.batch.store")
                .description("Time to handle a batch once its body is read: validation, the store transaction "
                        + "and the retrieval's bookkeeping")
                .serviceLevelObjectives(STORE_BUCKETS).register(registry);
        registrations = Counter.builder("mintaro.collector.registrations")
                .description("Agent registrations, re-registrations included").register(registry);
        Gauge.builder("mintaro.collector.polls.open", pollsOpen::get).strongReference(true)
                .description("Long polls waiting for a command").register(registry);
        tracesCompleted = Counter.builder("mintaro.collector.traces.completed")
                .description("Traces whose collection completed").register(registry);
        traceCompletion = Timer.builder("mintaro.collector.trace.completion")
                .description("Time from a trace's first trigger reaching the collector to its completion")
                .serviceLevelObjectives(COMPLETION_BUCKETS).register(registry);
        agentsAsked = Counter.builder("mintaro.collector.trace.agents.asked")
                .description("Agents asked for the completed traces, the triggering ones included")
                .register(registry);
        agentsMissing = Counter.builder("mintaro.collector.trace.agents.missing")
                .description("Asked agents that had not answered when their trace completed")
                .register(registry);
        Gauge.builder("mintaro.collector.agents.connected", () -> connectedTotal).strongReference(true)
                .description("Agents connected now (polling, or polled recently)").register(registry);
        connectedByService = MultiGauge.builder("mintaro.collector.service.agents.connected")
                .description("Agents connected now, per service").register(registry);

        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    // ------------------------------------------------------------ ingest

    /**
     * A batch was stored and acknowledged.
     *
     * @param records spans, messages and logs the store accepted (the batch's {@code accepted})
     * @param bytes size of its body after gzip decompression
     * @param nanos time from the read body to the acknowledgment
     */
    public void batchStored(int records, long bytes, long nanos) {
        batchesStored.increment();
        recordsStored.increment(records);
        bytesStored.increment(bytes);
        batchStore.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A batch was refused.
     *
     * @param reason a value of a small, fixed set (the collector gives the HTTP status, {@code "400"},
     *     {@code "401"}, {@code "413"}...): each distinct value is a time series
     */
    public void batchRejected(String reason) {
        Counter c = rejected.get(reason);
        if (c == null) {
            c = rejected.computeIfAbsent(reason, r -> Counter.builder("mintaro.collector.batches.rejected")
                    .description("Agent batches answered with an error status, by status").tag("reason", r)
                    .register(registry));
        }
        c.increment();
    }

    // ------------------------------------------------------------ agents

    /** An agent registered (or registered again). */
    public void registered() {
        registrations.increment();
    }

    /** A long poll was opened; every call must be followed by one {@link #pollClosed()}. */
    public void pollOpened() {
        pollsOpen.incrementAndGet();
    }

    /** A long poll was answered (with commands, empty at its timeout, or replaced by a newer one). */
    public void pollClosed() {
        pollsOpen.decrementAndGet();
    }

    /**
     * Where the connected agents are read from at each scrape: agents connected now, per service
     * (as {@code AgentRegistry.connectedByService}).
     */
    public void connectedAgents(Supplier<Map<String, Integer>> byService) {
        this.connectedSource = byService;
    }

    // ------------------------------------------------------------ exports

    /**
     * Adds the gauge of traces waiting for {@code exporter}, read from {@code pending} at each scrape
     * ({@code null} while unknown, shown as {@code NaN}).
     */
    public void exportQueue(String exporter, Supplier<? extends Number> pending) {
        Gauge.builder("mintaro.collector.export.pending", () -> {
            Number n = pending.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).strongReference(true).description("Completed traces waiting to be exported, per exporter")
                .tag("exporter", exporter).register(registry);
    }

    // ------------------------------------------------------------ retention

    /**
     * A retention run deleted {@code traces} traces of {@code bytes} stored bytes.
     *
     * @param reason {@code "age"} or {@code "size"}
     */
    public void tracesExpired(String reason, int traces, long bytes) {
        if (traces == 0) {
            return;
        }
        expired.computeIfAbsent(reason, r -> new Counter[] {
            Counter.builder("mintaro.collector.traces.expired").tag("reason", r)
                    .description("Traces deleted by retention, by the limit that expired them").register(registry),
            Counter.builder("mintaro.collector.traces.expired.bytes").baseUnit("bytes").tag("reason", r)
                    .description("Stored bytes of the traces deleted by retention").register(registry)});
        Counter[] c = expired.get(reason);
        c[0].increment(traces);
        c[1].increment(bytes);
    }

    /** What a namespace stored when retention last measured it. */
    public void storedUsage(String namespace, long traces, long bytes) {
        long[] figures = usage.computeIfAbsent(namespace, ns -> {
            long[] f = new long[2];
            Gauge.builder("mintaro.collector.namespace.stored.traces", () -> usage.get(ns)[0]).strongReference(true)
                    .tag("namespace", ns).description("Stored traces per namespace, at the last retention run")
                    .register(registry);
            Gauge.builder("mintaro.collector.namespace.stored.bytes", () -> usage.get(ns)[1]).strongReference(true)
                    .baseUnit("bytes").tag("namespace", ns)
                    .description("Stored bytes per namespace, at the last retention run").register(registry);
            return f;
        });
        figures[0] = traces;
        figures[1] = bytes;
    }

    // ------------------------------------------------------------ database

    /**
     * A store call made for an HTTP request finished.
     *
     * @param operation the call, from a small, fixed set ({@code "ingest"}, {@code "get_trace"}...)
     * @param nanos how long it took
     * @param ok false when it threw
     */
    public void databaseCall(String operation, long nanos, boolean ok) {
        Timer[] timers = database.get(operation);
        if (timers == null) {
            timers = database.computeIfAbsent(operation, this::databaseTimers);
        }
        timers[ok ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer[] databaseTimers(String operation) {
        // Both outcomes at once, so that the failures' series exists (at 0) before the first failure.
        Timer[] timers = new Timer[2];
        for (int i = 0; i < 2; i++) {
            timers[i] = Timer.builder("mintaro.collector.database")
                    .description("Store calls made for HTTP requests, per operation and outcome")
                    .tag("operation", operation).tag("outcome", i == 0 ? "ok" : "error")
                    .serviceLevelObjectives(STORE_BUCKETS).register(registry);
        }
        return timers;
    }

    /** A store call, for {@link #database(String, StoreCall)}. */
    @FunctionalInterface
    public interface StoreCall<T> {
        /** Makes the call. */
        T call() throws SQLException;
    }

    /**
     * Makes a store call and records it with {@link #databaseCall}: failed when it throws (the
     * exception is passed on).
     */
    public <T> T database(String operation, StoreCall<T> call) throws SQLException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.call();
            ok = true;
            return result;
        } finally {
            databaseCall(operation, System.nanoTime() - start, ok);
        }
    }

    // ------------------------------------------------------------ retrieval

    /**
     * A trace's collection completed: every asked agent answered, or the answer timeout passed.
     * Called once per trace, by the retrieval.
     *
     * @param millisSinceFirstTrigger collector-clock time from the batch that carried the trace's first
     *     trigger to the completion; a negative value (a clock step) counts as 0
     * @param agentsAsked agents asked for the trace, counting the triggering ones (asked and answered by
     *     sending their trigger)
     * @param agentsMissing those of them that had not answered
     */
    public void traceCompleted(long millisSinceFirstTrigger, int agentsAsked, int agentsMissing) {
        tracesCompleted.increment();
        traceCompletion.record(Math.max(0, millisSinceFirstTrigger), TimeUnit.MILLISECONDS);
        this.agentsAsked.increment(agentsAsked);
        this.agentsMissing.increment(agentsMissing);
    }

    // ------------------------------------------------------------ exposition

    /** Every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        // One scrape at a time: the per-service rows are replaced as a whole.
        synchronized (this) {
            refreshConnected();
            return registry.scrape();
        }
    }

    private void refreshConnected() {
        Map<String, Integer> byService;
        try {
            byService = connectedSource.get();
        } catch (RuntimeException e) {
            return; // keep the last reading rather than fail the scrape
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>(byService.size());
        int total = 0;
        for (Map.Entry<String, Integer> e : byService.entrySet()) {
            rows.add(MultiGauge.Row.of(Tags.of("service", e.getKey()), e.getValue()));
            total += e.getValue();
        }
        // Overwrite: a service without connected agents loses its series.
        connectedByService.register(rows, true);
        connectedTotal = total;
    }

    /** Detaches the GC listener and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
