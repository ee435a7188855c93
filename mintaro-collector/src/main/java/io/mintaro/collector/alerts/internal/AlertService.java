package io.mintaro.collector.alerts.internal;

import io.mintaro.collector.alerts.AlertDelivery;
import io.mintaro.collector.alerts.AlertRule;
import io.mintaro.collector.alerts.GroupActivity;
import io.mintaro.collector.export.internal.ExportService;
import io.mintaro.collector.store.GroupRow;
import io.mintaro.collector.store.IngestListener;
import io.mintaro.collector.store.IngestResult;
import io.mintaro.collector.store.Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on every committed batch and delivers the outbox
 * ({@code alert_deliveries}) from one worker thread (docs/alerts.md).
 *
 * <p>Evaluation runs on the worker's own executor, never on the ingest thread. An event is queued
 * under a key unique to it, so collectors that share a database queue it once; delivery claims a
 * row with a lease, so it is posted once.
 */
public final class AlertService implements IngestListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    /** The rate limit's window. */
    static final long RATE_WINDOW_MS = 60_000;

    /**
     * How deliveries are attempted.
     *
     * @param timeoutMs the bound on one attempt (connect and answer)
     * @param maxAttempts attempts before a delivery is given up (state {@code failed})
     * @param firstBackoffMs the first retry's wait; doubling, capped at {@code maxBackoffMs}
     * @param maxBackoffMs the longest wait between attempts
     * @param pollMs how often the outbox is looked at when idle
     */
    public record Policy(long timeoutMs, int maxAttempts, long firstBackoffMs, long maxBackoffMs, long pollMs) {
        /** Defaults: 10 s per attempt, 8 attempts, 1 s doubling up to 5 minutes, polled every second. */
        public static final Policy DEFAULT = new Policy(10_000, 8, 1_000, 300_000, 1_000);
    }

    private final Storage store;
    private final Policy policy;
    private final LongSupplier clock;
    private final HttpClient http;
    private final ExecutorService evaluation;
    private final Thread worker;
    private final Object wake = new Object();
    private volatile boolean closed;

    public AlertService(Storage store, Policy policy, LongSupplier clock, String threadName) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(policy.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.evaluation = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName + "-evaluate");
            t.setDaemon(true);
            return t;
        });
        this.worker = new Thread(this::run, threadName + "-deliver");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void stored(String namespace, IngestResult result, long nowMs) {
        // Every trace the batch wrote to, not only new ones: a trace whose trigger came first gets
        // its group from a later batch. Deduplication keys make a second look at a trace harmless.
        List<String> fresh = new ArrayList<>(result.keptTraces());
        if (fresh.isEmpty() || closed) {
            return;
        }
        try {
            evaluation.execute(() -> evaluate(namespace, fresh, nowMs));
        } catch (RejectedExecutionException e) {
            log.debug("alerts closed; batch not evaluated");
        }
    }

    /** Applies every rule of {@code namespace} to the traces just stored (public for tests). */
    public void evaluate(String namespace, List<String> traceIds, long nowMs) {
        try {
            List<AlertRule> rules = new ArrayList<>();
            long widest = 0;
            for (AlertRule r : store.alerts().rules()) {
                if (r.namespace().equals(namespace)) {
                    rules.add(r);
                    if (r.kind() == AlertRule.Kind.RATE) {
                        widest = Math.max(widest, r.windowMs());
                    }
                }
            }
            if (rules.isEmpty()) {
                return;
            }
            for (AlertRule rule : rules) {
                long windowStart = nowMs - (rule.kind() == AlertRule.Kind.RATE ? rule.windowMs() : widest);
                List<GroupActivity> activity = store.alerts().activity(namespace, traceIds, windowStart);
                Map<String, Integer> inBatch = new HashMap<>();
                for (GroupActivity a : activity) {
                    inBatch.merge(a.fingerprint(), 1, Integer::sum);
                }
                for (GroupActivity a : activity) {
                    evaluate(rule, a, inBatch.get(a.fingerprint()), nowMs);
                }
            }
            wake();
        } catch (SQLException | RuntimeException e) {
            log.warn("evaluating alert rules for namespace {} failed: {}", namespace, e.toString());
        }
    }

    /** @param inBatch the traces of {@code a}'s group among those evaluated together */
    private void evaluate(AlertRule rule, GroupActivity a, int inBatch, long nowMs) throws SQLException {
        if (a.silenced(nowMs)) {
            return; // silenced groups never alert
        }
        String key;
        String text;
        switch (rule.kind()) {
            case NEW_GROUP -> {
                if (a.groupTraces() > inBatch) {
                    return; // the group had traces before these
                }
                key = "new_group:" + rule.id() + ":" + a.fingerprint();
                text = "New error group";
            }
            case REGRESSION -> {
                boolean expiredSilence = "silenced".equals(a.mark()) && a.silencedUntilMs() != null;
                boolean triagedOk = "ok".equals(a.level());
                if (!(expiredSilence || triagedOk) || a.triagedAtMs() == null || a.storedAtMs() <= a.triagedAtMs()) {
                    return;
                }
                // One regression per verdict: a new triage makes a later occurrence a new regression.
                key = "regression:" + rule.id() + ":" + a.fingerprint() + ":" + a.triagedAtMs();
                text = "Regression";
            }
            case RATE -> {
                if (a.tracesInWindow() <= rule.threshold()) {
                    return;
                }
                key = "rate:" + rule.id() + ":" + a.fingerprint() + ":" + (nowMs / Math.max(1, rule.windowMs()));
                text = "Error rate above " + rule.threshold() + " in " + rule.windowMs() / 1000 + " s";
            }
            case ALERT_LEVEL -> {
                if (!"alert".equals(a.level()) || a.triagedAtMs() != null && a.storedAtMs() < a.triagedAtMs()) {
                    return; // a trace stored before the group was marked is not a new one
                }
                key = "alert_level:" + rule.id() + ":" + a.traceId();
                text = "New trace of an ALERT group";
            }
            default -> {
                return; // DIGEST is periodic, see digests()
            }
        }
        GroupRow group = store.groups().get(namespaceOf(rule), a.fingerprint()).orElse(null);
        String name = group == null ? a.fingerprint() : group.name();
        long occurrences = group == null ? a.groupTraces() : group.occurrences();
        Payloads.Event event = new Payloads.Event(rule.kind().wire(), rule.namespace(), a.fingerprint(), name,
                a.traceId(), occurrences, text + ": " + name, null, nowMs);
        queue(rule, key, event, nowMs);
    }

    private static String namespaceOf(AlertRule rule) {
        return rule.namespace();
    }

    /** Queues an event, or records it as suppressed when the rule has used up its rate limit. */
    private void queue(AlertRule rule, String key, Payloads.Event event, long nowMs) throws SQLException {
        boolean limited = store.alerts().queuedSince(rule.id(), nowMs - RATE_WINDOW_MS) >= rule.rateLimit();
        store.alerts().enqueue(key, rule.id(), rule.namespace(), event.kind(), Payloads.render(rule, event),
                limited ? "suppressed" : "pending", nowMs);
    }

    /**
     * Sends a rule's test event now, synchronously, bypassing the outbox.
     *
     * @return the receiver's HTTP status
     * @throws IOException if it could not be reached
     */
    public int test(AlertRule rule) throws IOException, InterruptedException {
        long now = clock.getAsLong();
        Payloads.Event event = new Payloads.Event("test", rule.namespace(), null, null, null, 0,
                "Test alert from Mintaro (rule " + rule.id() + ")", null, now);
        return post(rule, Payloads.render(rule, event), now).statusCode();
    }

    /** Digests and rate-limit summaries, then the due deliveries. */
    private void run() {
        while (!closed) {
            try {
                long now = clock.getAsLong();
                List<AlertRule> rules = store.alerts().rules();
                digests(rules, now);
                summaries(rules, now);
                Map<String, AlertRule> byId = new java.util.HashMap<>();
                rules.forEach(r -> byId.put(r.id(), r));
                List<AlertDelivery> due = store.alerts().claim(now, 2 * policy.timeoutMs() + 5_000, 20);
                for (AlertDelivery d : due) {
                    deliver(byId.get(d.ruleId()), d);
                }
                if (due.isEmpty()) {
                    synchronized (wake) {
                        if (!closed) {
                            wake.wait(policy.pollMs());
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("alert delivery failed: {}", e.toString());
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(policy.pollMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A summary per digest rule and period, of the WARN groups not silenced that occurred in the period before. */
    private void digests(List<AlertRule> rules, long now) throws SQLException {
        for (AlertRule rule : rules) {
            if (rule.kind() != AlertRule.Kind.DIGEST || rule.windowMs() <= 0) {
                continue;
            }
            long period = now / rule.windowMs();
            long from = (period - 1) * rule.windowMs();
            long to = period * rule.windowMs();
            List<String> groups = store.alerts().groupsWithTraces(rule.namespace(), "warn", from, to, now);
            if (groups.isEmpty()) {
                continue;
            }
            Payloads.Event event = new Payloads.Event("digest", rule.namespace(), null, null, null, groups.size(),
                    "Digest: " + groups.size() + " WARN group" + (groups.size() == 1 ? "" : "s") + " occurred", groups, now);
            store.alerts().enqueue("digest:" + rule.id() + ":" + period, rule.id(), rule.namespace(), "digest",
                    Payloads.render(rule, event), "pending", now);
        }
    }

    /** One "N more alerts suppressed" per rule and minute, whatever the storm. */
    private void summaries(List<AlertRule> rules, long now) throws SQLException {
        long minute = now / RATE_WINDOW_MS;
        for (AlertRule rule : rules) {
            String key = "summary:" + rule.id() + ":" + minute;
            if (store.alerts().queued(key)) {
                continue; // this minute's summary went; the next one counts the rest
            }
            int suppressed = store.alerts().takeSuppressed(rule.id());
            if (suppressed == 0) {
                continue;
            }
            Payloads.Event event = new Payloads.Event("summary", rule.namespace(), null, null, null, suppressed,
                    suppressed + " more alert" + (suppressed == 1 ? "" : "s") + " suppressed (rule " + rule.id()
                            + ": at most " + rule.rateLimit() + " a minute)", null, now);
            store.alerts().enqueue(key, rule.id(), rule.namespace(), "summary",
                    Payloads.render(rule, event), "pending", now);
        }
    }

    private void deliver(AlertRule rule, AlertDelivery d) throws SQLException, InterruptedException {
        if (rule == null) {
            store.alerts().attemptFailed(d.eventKey(), null, "the rule was deleted", null);
            return;
        }
        long now = clock.getAsLong();
        Integer status = null;
        String error;
        try {
            HttpResponse<Void> response = post(rule, d.payload(), now);
            status = response.statusCode();
            if (status / 100 == 2) {
                store.alerts().delivered(d.eventKey(), status, clock.getAsLong());
                return;
            }
            error = "HTTP " + status;
        } catch (IOException e) {
            error = e.toString();
        }
        int attempts = d.attempts() + 1;
        Long retryAt = attempts >= policy.maxAttempts() ? null
                : clock.getAsLong() + ExportService.backoffMs(policy.firstBackoffMs(), policy.maxBackoffMs(), attempts - 1);
        store.alerts().attemptFailed(d.eventKey(), status, error, retryAt);
        log.info("alert {} to rule {}: attempt {} failed ({}){}", d.eventKey(), rule.id(), attempts, error,
                retryAt == null ? "; giving up" : "");
    }

    private HttpResponse<Void> post(AlertRule rule, String body, long nowMs) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rule.url()))
                .timeout(Duration.ofMillis(policy.timeoutMs()))
                .header("Content-Type", "application/json")
                .header("User-Agent", "mintaro-collector")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (rule.secret() != null && !rule.secret().isEmpty()) {
            long ts = nowMs / 1000;
            request.header("X-Mintaro-Timestamp", String.valueOf(ts));
            request.header("X-Mintaro-Signature", Signature.sign(rule.secret(), ts, body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Looks at the outbox now rather than at the next poll. */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Stops evaluating and delivering; an attempt under way is interrupted (its row's lease runs out). */
    @Override
    public void close() {
        closed = true;
        evaluation.shutdownNow();
        worker.interrupt();
        wake();
        try {
            worker.join(policy.timeoutMs() + 1_000);
            evaluation.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
