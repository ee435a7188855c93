package io.mintaro.collector.export.internal;

import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.store.ExportQueue;
import io.mintaro.collector.store.Storage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the persisted export queue: one thread per exporter, so a slow or dead target delays only
 * itself. Storage never waits for it: traces are queued in the transaction that completes them,
 * and this reads them back afterwards.
 */
public final class ExportService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportService.class);

    /** Settings of the retry policy; {@code leaseMs} is how long a batch taken from the queue is this collector's. */
    public record Policy(int maxAttempts, long firstBackoffMs, long maxBackoffMs, long idlePollMs, long leaseMs) {
    }

    private final Storage store;
    private final LongSupplier clock;
    private final Policy policy;
    private final List<Worker> workers = new ArrayList<>();
    /** Reads the queues' state for health: a worker stuck in an export must not freeze its own figures. */
    private final java.util.concurrent.ScheduledExecutorService stats;

    public ExportService(Storage store, Map<TraceExporter, ExportFilter> exporters, Policy policy, LongSupplier clock,
                         String threadPrefix) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        for (Map.Entry<TraceExporter, ExportFilter> e : exporters.entrySet()) {
            workers.add(new Worker(e.getKey(), e.getValue(), threadPrefix + "-export-" + e.getKey().name()));
        }
        this.stats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadPrefix + "-export-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Names of the exporters, in order. */
    public List<String> names() {
        return workers.stream().map(w -> w.exporter.name()).toList();
    }

    /** Names of the exporters that get a trace again when late records of it arrive. */
    public List<String> reexportingLate() {
        return workers.stream().filter(w -> w.exporter.reexportsLateRecords()).map(w -> w.exporter.name()).toList();
    }

    public void start() {
        for (Worker w : workers) {
            w.thread.start();
        }
        if (!workers.isEmpty()) {
            stats.scheduleWithFixedDelay(this::refreshStats, 0, 250, TimeUnit.MILLISECONDS);
        }
    }

    private void refreshStats() {
        for (Worker w : workers) {
            try {
                w.lastStats = store.exports().stats(w.exporter.name());
            } catch (SQLException | RuntimeException e) {
                // The store is closing, or busy: the previous figures stay.
            }
        }
    }

    /** Something was queued: workers waiting for work look now instead of at their next poll. */
    public void wake() {
        for (Worker w : workers) {
            w.wake();
        }
    }

    /**
     * Traces waiting for {@code exporter}, as last read for {@link #health()} (at most 250 ms old);
     * {@code null} before the first reading or for an exporter that is not configured.
     */
    public Long pending(String exporter) {
        for (Worker w : workers) {
            if (w.exporter.name().equals(exporter)) {
                ExportQueue.Stats q = w.lastStats;
                return q == null ? null : q.pending();
            }
        }
        return null;
    }

    /** Per exporter: counters since start and the queue's state as last read by its worker. */
    public Map<String, Map<String, Object>> health() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        long now = clock.getAsLong();
        for (Worker w : workers) {
            Map<String, Object> h = new LinkedHashMap<>();
            ExportQueue.Stats q = w.lastStats;
            h.put("filter", w.filter.toString());
            h.put("pending", q == null ? null : q.pending());
            h.put("deadLetters", q == null ? null : q.deadLetters());
            h.put("skippedQueueFull", q == null ? null : q.skipped());
            h.put("lagMs", q == null || q.oldestPendingEnqueuedAtMs() == null ? 0
                    : Math.max(0, now - q.oldestPendingEnqueuedAtMs()));
            h.put("exported", w.exported.get());
            h.put("filteredOut", w.filteredOut.get());
            h.put("failedAttempts", w.failures.get());
            h.put("deadLettered", w.deadLettered.get());
            h.put("lastSuccessAtMs", w.lastSuccessAtMs == 0 ? null : w.lastSuccessAtMs);
            h.put("lastError", w.lastError);
            h.put("lastErrorAtMs", w.lastErrorAtMs == 0 ? null : w.lastErrorAtMs);
            out.put(w.exporter.name(), h);
        }
        return out;
    }

    /** Stops the workers (an export in flight is abandoned and retried on the next start) and closes exporters. */
    @Override
    public void close() {
        stats.shutdownNow();
        for (Worker w : workers) {
            w.stopping = true;
            w.thread.interrupt();
        }
        for (Worker w : workers) {
            try {
                w.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                w.exporter.close();
            } catch (RuntimeException e) {
                log.warn("closing exporter {} failed: {}", w.exporter.name(), e.toString());
            }
        }
    }

    long backoffMs(int attempts) {
        return backoffMs(policy.firstBackoffMs(), policy.maxBackoffMs(), attempts);
    }

    /**
     * The wait before the next attempt after {@code attempts} failed ones: {@code first × 2^attempts}
     * capped at {@code max}, half of it fixed and half drawn at random (shared with alert delivery).
     */
    public static long backoffMs(long firstBackoffMs, long maxBackoffMs, int attempts) {
        long base = firstBackoffMs << Math.min(attempts, 20);
        long capped = Math.min(maxBackoffMs, base);
        // Jitter, so that many traces failing together do not come back together.
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private final class Worker implements Runnable {
        final TraceExporter exporter;
        final ExportFilter filter;
        final Thread thread;
        final ReentrantLock lock = new ReentrantLock();
        final Condition work = lock.newCondition();
        boolean woken;
        volatile boolean stopping;
        volatile ExportQueue.Stats lastStats;
        final AtomicLong exported = new AtomicLong();
        final AtomicLong filteredOut = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        volatile long lastSuccessAtMs;
        volatile String lastError;
        volatile long lastErrorAtMs;

        Worker(TraceExporter exporter, ExportFilter filter, String threadName) {
            this.exporter = exporter;
            this.filter = filter;
            this.thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }

        void wake() {
            lock.lock();
            try {
                woken = true;
                work.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void run() {
            while (!stopping) {
                try {
                    boolean busy = step();
                    if (!busy) {
                        idle();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    if (stopping) {
                        return;
                    }
                    log.warn("export to {}: database error, retrying in 1 s: {}", exporter.name(), e.getMessage());
                    sleep(1_000);
                } catch (RuntimeException | Error e) {
                    log.error("export to {} failed unexpectedly; retrying in 1 s", exporter.name(), e);
                    sleep(1_000);
                }
            }
        }

        private void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                stopping = true;
            }
        }

        private void idle() throws InterruptedException {
            lock.lock();
            try {
                if (!woken) {
                    work.await(policy.idlePollMs(), TimeUnit.MILLISECONDS);
                }
                woken = false;
            } finally {
                lock.unlock();
            }
        }

        /** One batch; false when nothing was due. */
        private boolean step() throws SQLException, InterruptedException {
            long now = clock.getAsLong();
            List<ExportQueue.Entry> due = store.exports().claim(exporter.name(), now, Math.max(1, exporter.maxBatchSize()),
                    policy.leaseMs());
            if (due.isEmpty()) {
                return false;
            }
            List<ExportedTrace> traces = new ArrayList<>();
            List<ExportQueue.Entry> sent = new ArrayList<>();
            List<ExportQueue.Entry> skip = new ArrayList<>();
            for (ExportQueue.Entry q : due) {
                Optional<ExportedTrace> t;
                try {
                    t = TraceReader.read(store, q.traceId());
                } catch (java.io.IOException e) {
                    // A record that cannot be read now never will be: not a reason to block the queue.
                    store.exports().dead(exporter.name(), List.of(q.traceId()), e.getMessage(), clock.getAsLong());
                    deadLettered.incrementAndGet();
                    log.error("export of trace {} to {} dead-lettered: {}", q.traceId(), exporter.name(),
                            e.getMessage());
                    continue;
                }
                if (t.isEmpty()) {
                    skip.add(q);
                } else if (!filter.matches(t.get())) {
                    skip.add(q);
                    filteredOut.incrementAndGet();
                } else {
                    traces.add(t.get());
                    sent.add(q);
                }
            }
            if (!skip.isEmpty()) {
                store.exports().done(exporter.name(), skip);
            }
            if (traces.isEmpty()) {
                return true;
            }
            ExportException failure;
            try {
                exporter.export(traces);
                failure = null;
            } catch (ExportException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new ExportException(e.toString(), true, e);
            }
            if (stopping && failure != null) {
                // Interrupted by close(): not the target's fault; the rows are due again at once.
                List<String> ids = new ArrayList<>();
                sent.forEach(q -> ids.add(q.traceId()));
                store.exports().release(exporter.name(), ids, clock.getAsLong());
                return true;
            }
            long after = clock.getAsLong();
            if (failure == null) {
                store.exports().done(exporter.name(), sent);
                exported.addAndGet(sent.size());
                lastSuccessAtMs = after;
                return true;
            }
            String message = failure.getMessage();
            lastError = message;
            lastErrorAtMs = after;
            failures.incrementAndGet();
            List<String> dead = new ArrayList<>();
            List<String> retry = new ArrayList<>();
            int attempts = 0;
            for (ExportQueue.Entry q : sent) {
                if (!failure.retryable() || q.attempts() + 1 >= policy.maxAttempts()) {
                    dead.add(q.traceId());
                } else {
                    retry.add(q.traceId());
                    attempts = Math.max(attempts, q.attempts());
                }
            }
            if (!retry.isEmpty()) {
                long delay = backoffMs(attempts);
                store.exports().retry(exporter.name(), retry, after + delay, message);
                log.warn("export of {} trace(s) to {} failed (attempt {} of {}), retrying in {} ms: {}", retry.size(),
                        exporter.name(), attempts + 1, policy.maxAttempts(), delay, message);
            }
            if (!dead.isEmpty()) {
                store.exports().dead(exporter.name(), dead, message, after);
                deadLettered.addAndGet(dead.size());
                log.error("export of {} trace(s) to {} dead-lettered ({}): {}; first trace {}", dead.size(),
                        exporter.name(), failure.retryable() ? "after " + policy.maxAttempts() + " attempts"
                                : "not retryable", message, dead.get(0));
            }
            // A failing target: back off before the next batch, which would most likely fail too.
            if (!retry.isEmpty()) {
                return false;
            }
            return true;
        }
    }
}
