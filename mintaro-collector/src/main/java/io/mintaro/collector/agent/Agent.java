package io.mintaro.collector.agent;

import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Registration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registered agent as the collector sees it in memory: its registration, the commands queued for
 * it, and its open long poll if any.
 */
public final class Agent {
    /** Commands beyond this are dropped: an agent that never polls must not grow memory. */
    static final int MAX_PENDING = 10_000;

    private final String agentId;
    private volatile Registration registration;
    private volatile Set<String> authorities;
    private volatile long lastSeenAtMs;
    private volatile long lastFlushedAtMs;
    private volatile AgentStats stats;
    /** The latest stats are not in the store yet (written with the next last-seen flush). */
    private volatile boolean statsUnflushed;

    // Guarded by this.
    private final LinkedHashSet<String> pendingCollects = new LinkedHashSet<>();
    private CompletableFuture<List<String>> waiting;
    private ScheduledFuture<?> waitingTimeout;

    Agent(Registration registration, long nowMs) {
        this.agentId = registration.agentId();
        update(registration, nowMs);
    }

    void update(Registration registration, long nowMs) {
        this.registration = registration;
        this.authorities = Set.copyOf(registration.authorities());
        this.lastSeenAtMs = nowMs;
    }

    public String agentId() {
        return agentId;
    }

    public String service() {
        return registration.service();
    }

    /** The namespace of the key the agent registered with. */
    public String namespace() {
        return registration.namespace();
    }

    public Set<String> authorities() {
        return authorities;
    }

    /** The registration with other authorities. */
    Registration withAuthorities(List<String> authorities) {
        return registration.withAuthorities(authorities);
    }

    /** What the agent's recorder last reported to this collector, or null when it reported nothing here. */
    public AgentStats stats() {
        return stats;
    }

    /** Keeps the recorder's latest figures; they reach the store with the next flush, not now. */
    void reported(AgentStats latest) {
        stats = latest;
        statsUnflushed = true;
    }

    /** The stats not yet written to the store, or null; marks them written. */
    AgentStats takeUnflushedStats() {
        if (!statsUnflushed) {
            return null;
        }
        statsUnflushed = false;
        return stats;
    }

    void replaceAuthorities(List<String> authorities) {
        this.authorities = Set.copyOf(authorities);
    }

    public long lastSeenAtMs() {
        return lastSeenAtMs;
    }

    void seen(long nowMs) {
        lastSeenAtMs = Math.max(lastSeenAtMs, nowMs);
    }

    long lastFlushedAtMs() {
        return lastFlushedAtMs;
    }

    void flushed(long atMs) {
        lastFlushedAtMs = atMs;
    }

    /** True while a poll is open. */
    public synchronized boolean polling() {
        return waiting != null;
    }

    /**
     * Opens a long poll. Queued commands answer it at once; otherwise it completes when a command
     * is queued or, empty, after {@code timeoutMs}. An older open poll is answered empty.
     */
    CompletableFuture<List<String>> poll(long timeoutMs, ScheduledExecutorService scheduler) {
        CompletableFuture<List<String>> older;
        CompletableFuture<List<String>> result;
        synchronized (this) {
            older = takeWaiting();
            if (!pendingCollects.isEmpty()) {
                result = CompletableFuture.completedFuture(drainPending());
            } else {
                CompletableFuture<List<String>> future = new CompletableFuture<>();
                waiting = future;
                waitingTimeout = scheduler.schedule(() -> expire(future), timeoutMs, TimeUnit.MILLISECONDS);
                result = future;
            }
        }
        // Completed outside the lock: completion runs the response callbacks inline.
        if (older != null) {
            older.complete(List.of());
        }
        return result;
    }

    private void expire(CompletableFuture<List<String>> future) {
        synchronized (this) {
            if (waiting == future) {
                waiting = null;
                waitingTimeout = null;
            }
        }
        future.complete(List.of());
    }

    /** Queues {@code collect traceId}, handing it straight to an open poll. */
    void collect(String traceId) {
        CompletableFuture<List<String>> target;
        List<String> commands = null;
        synchronized (this) {
            if (pendingCollects.size() < MAX_PENDING) {
                pendingCollects.add(traceId);
            }
            target = takeWaiting();
            if (target != null) {
                commands = drainPending();
            }
        }
        if (target != null) {
            target.complete(commands);
        }
    }

    /** Answers the open poll, if any, with no commands (used when shutting down or forgetting). */
    void release() {
        CompletableFuture<List<String>> target;
        synchronized (this) {
            target = takeWaiting();
        }
        if (target != null) {
            target.complete(List.of());
        }
    }

    private CompletableFuture<List<String>> takeWaiting() {
        CompletableFuture<List<String>> w = waiting;
        waiting = null;
        if (waitingTimeout != null) {
            waitingTimeout.cancel(false);
            waitingTimeout = null;
        }
        return w;
    }

    private List<String> drainPending() {
        List<String> commands = new ArrayList<>(pendingCollects);
        pendingCollects.clear();
        return commands;
    }
}
