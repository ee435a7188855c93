package io.mintaro.collector.retention;

import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.store.NamespaceRow;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.RetentionStore;
import io.mintaro.collector.store.RetentionStore.Expired;
import io.mintaro.collector.store.StoredUsage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires each namespace's traces by age, then by stored size, with the namespace's own limits or
 * the collector's (docs/retention.md). Every replica runs it on its timer; their deletes do not
 * overlap, because each chunk deletes only the traces still there once it holds their locks.
 *
 * <p>After each chunk it pauses as long as the chunk took, so that it holds at most half of the
 * writer's time (SQLite has one): ingest waits for one chunk at most, never for a run.
 */
public final class Retention implements AutoCloseable {
    /**
     * Chunks of one limit of one namespace in one run at most (50,000 traces): a run ends even
     * when traces arrive faster than they expire; the next run goes on.
     */
    static final int MAX_CHUNKS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /**
     * Limits of one namespace; 0 is none.
     *
     * @param maxAgeMs traces stored longer ago than this expire
     * @param maxBytes beyond this stored size, the oldest traces expire
     */
    public record Limits(long maxAgeMs, long maxBytes) {
        /** The namespace's own limits where it sets them, else these. */
        Limits of(NamespaceRow ns) {
            return new Limits(ns.retentionMaxAgeMs() != null ? ns.retentionMaxAgeMs() : maxAgeMs,
                    ns.retentionMaxBytes() != null ? ns.retentionMaxBytes() : maxBytes);
        }
    }

    /**
     * What one run did to one namespace.
     *
     * @param usage what it stores after the run
     */
    public record Outcome(String namespace, Limits limits, Expired byAge, Expired bySize, StoredUsage usage) {
    }

    private final NamespaceStore namespaces;
    private final RetentionStore store;
    private final Limits defaults;
    private final CollectorMetrics metrics;
    private final LongSupplier clock;
    // Guarded by this.
    private ScheduledExecutorService timer;

    public Retention(NamespaceStore namespaces, RetentionStore store, Limits defaults, CollectorMetrics metrics,
                     LongSupplier clock) {
        this.namespaces = namespaces;
        this.store = store;
        this.defaults = defaults;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Runs every {@code intervalMs}, the first time one interval from now, on a thread of its own:
     * a run may take minutes, and must not hold up the collector's other timers.
     */
    public synchronized void start(long intervalMs) {
        if (timer != null) {
            throw new IllegalStateException("retention already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mintaro-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                log.error("retention run failed", e); // an exception would cancel the timer
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Stops the timer; a run in progress stops after its current chunk. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
        }
        if (t == null) {
            return;
        }
        t.shutdownNow();
        try {
            t.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The limits that apply to a namespace. */
    public Limits limitsOf(NamespaceRow ns) {
        return defaults.of(ns);
    }

    /** Runs once over every namespace; a namespace that fails does not stop the others. */
    public List<Outcome> run() {
        List<Outcome> out = new ArrayList<>();
        List<NamespaceRow> all;
        try {
            all = namespaces.list();
        } catch (SQLException e) {
            log.warn("retention: cannot list namespaces: {}", e.getMessage());
            return out;
        }
        for (NamespaceRow ns : all) {
            try {
                out.add(run(ns.name(), defaults.of(ns)));
            } catch (SQLException e) {
                log.warn("retention of namespace {} stopped: {}", ns.name(), e.getMessage());
            }
        }
        return out;
    }

    private Outcome run(String namespace, Limits limits) throws SQLException {
        Expired byAge = Expired.NONE;
        if (limits.maxAgeMs() > 0) {
            long cutoff = clock.getAsLong() - limits.maxAgeMs();
            for (int i = 0; i < MAX_CHUNKS; i++) {
                long started = System.nanoTime();
                Expired e = store.expireBefore(namespace, cutoff);
                byAge = plus(byAge, e);
                if (e.traces() < RetentionStore.CHUNK) {
                    break;
                }
                yieldWriter(started);
            }
        }
        StoredUsage usage = store.measure(namespace, clock.getAsLong());
        Expired bySize = Expired.NONE;
        if (limits.maxBytes() > 0 && usage.storedBytes() > limits.maxBytes()) {
            long excess = usage.storedBytes() - limits.maxBytes();
            for (int i = 0; i < MAX_CHUNKS && excess > 0; i++) {
                long started = System.nanoTime();
                Expired e = store.expireOldest(namespace, excess);
                if (e.traces() == 0) {
                    break;
                }
                bySize = plus(bySize, e);
                excess -= e.storedBytes();
                yieldWriter(started);
            }
            usage = store.measure(namespace, clock.getAsLong());
        }
        store.record(namespace, usage);
        metrics.tracesExpired("age", byAge.traces(), byAge.storedBytes());
        metrics.tracesExpired("size", bySize.traces(), bySize.storedBytes());
        metrics.storedUsage(namespace, usage.traces(), usage.storedBytes());
        if (byAge.traces() + bySize.traces() > 0) {
            log.info("retention of namespace {}: {} traces expired by age, {} by size ({} bytes); {} traces, {} bytes"
                    + " stored", namespace, byAge.traces(), bySize.traces(),
                    byAge.storedBytes() + bySize.storedBytes(), usage.traces(), usage.storedBytes());
        }
        return new Outcome(namespace, limits, byAge, bySize, usage);
    }

    /** Pauses as long as the chunk that started at {@code startedNanos} took (at most a second). */
    private static void yieldWriter(long startedNanos) throws SQLException {
        long took = System.nanoTime() - startedNanos;
        try {
            Thread.sleep(Math.min(1_000, took / 1_000_000), (int) Math.min(999_999, took % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("retention interrupted", e);
        }
    }

    private static Expired plus(Expired a, Expired b) {
        return new Expired(a.traces() + b.traces(), a.storedBytes() + b.storedBytes());
    }
}
