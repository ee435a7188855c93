package io.mintaro.collector.agent;

import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.store.IngestResult;
import io.mintaro.collector.store.Storage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows breadcrumbs: decides which agents to ask for which trace, and when a trace is complete.
 *
 * <p>A collection starts with the first trigger of a trace; the triggering agent counts as asked
 * and answered. Every breadcrumb in every stored entry names an agent to ask (once per trace): by
 * agent id, or, for a callee that never answered, every agent that reported the called authority.
 * The trace is complete when each asked agent has answered or {@code answerTimeoutMs} has passed
 * since it was asked. Later (late) entries are merged and their breadcrumbs followed too.
 *
 * <p>This state lives in memory only, bounded and dropped {@code 2 × lateWindowMs} after the last
 * activity on a complete trace; records live in the {@link Storage}.
 */
public final class Retrieval {
    private static final Logger log = LoggerFactory.getLogger(Retrieval.class);
    static final int MAX_COLLECTIONS = 10_000;

    private final Storage store;
    private final AgentRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final long answerTimeoutMs;
    private final long keepMs;

    // Guarded by this; insertion order = age, for eviction.
    private final LinkedHashMap<String, Collection> collections = new LinkedHashMap<>();

    public Retrieval(Storage store, AgentRegistry registry, ScheduledExecutorService scheduler, LongSupplier clock,
                     long answerTimeoutMs, long lateWindowMs) {
        this.store = store;
        this.registry = registry;
        this.scheduler = scheduler;
        this.clock = clock;
        this.answerTimeoutMs = answerTimeoutMs;
        this.keepMs = Math.max(2 * lateWindowMs, answerTimeoutMs * 2);
        registry.onRegister(this::deliverMissed);
    }

    /** One trace's retrieval state. */
    private static final class Collection {
        final String traceId;
        final long startedAtMs;
        final Map<String, Long> askedAtMs = new LinkedHashMap<>();
        final Set<String> answered = new LinkedHashSet<>();
        final Set<String> delivered = new LinkedHashSet<>();
        boolean complete;
        long lastActivityMs;

        Collection(String traceId, long nowMs) {
            this.traceId = traceId;
            this.startedAtMs = nowMs;
            this.lastActivityMs = nowMs;
        }
    }

    /**
     * Reacts to a committed batch from {@code agentId}: starts collections for new triggers, marks
     * the sender answered, follows the breadcrumbs of the stored entries.
     */
    public void onBatch(Batch batch, IngestResult result) {
        long now = clock.getAsLong();
        String sender = batch.agentId();
        Set<String> traceIds = new LinkedHashSet<>();
        for (Batch.Trigger t : batch.triggers()) {
            traceIds.add(t.traceId());
        }
        traceIds.addAll(result.keptTraces());
        if (traceIds.isEmpty()) {
            return;
        }
        // Contributors of traces whose state is gone, read before taking the lock.
        Map<String, Set<String>> previous = new HashMap<>();
        synchronized (this) {
            for (String id : traceIds) {
                if (!collections.containsKey(id) && result.before().get(id) == IngestResult.Known.COMPLETE) {
                    previous.put(id, null);
                }
            }
        }
        for (String id : previous.keySet()) {
            try {
                previous.put(id, store.traces().contributors(id));
            } catch (SQLException e) {
                log.warn("cannot read contributors of trace {}: {}", id, e.getMessage());
                previous.put(id, Set.of());
            }
        }

        List<String> completed = new ArrayList<>();
        List<Runnable> deliveries = new ArrayList<>();
        synchronized (this) {
            for (String traceId : traceIds) {
                Collection c = collections.get(traceId);
                if (c == null) {
                    c = new Collection(traceId, now);
                    Set<String> earlier = previous.get(traceId);
                    if (earlier != null) {
                        // Stored complete and no longer tracked: late data. Do not ask again
                        // whoever already contributed.
                        c.complete = true;
                        for (String a : earlier) {
                            c.askedAtMs.put(a, now);
                            c.answered.add(a);
                        }
                    } else {
                        log.info("collecting trace {} (triggered by agent {})", traceId, sender);
                    }
                    put(c, completed);
                }
                c.lastActivityMs = now;
                c.askedAtMs.putIfAbsent(sender, now);
                c.answered.add(sender);
            }
            for (Batch.TraceEntry e : batch.traces()) {
                Collection c = collections.get(e.traceId());
                if (c == null || !result.keptTraces().contains(e.traceId())) {
                    continue;
                }
                for (Batch.Breadcrumb b : e.breadcrumbs()) {
                    follow(c, b, now, deliveries);
                }
            }
            for (String traceId : traceIds) {
                Collection c = collections.get(traceId);
                if (c != null && checkComplete(c, now)) {
                    completed.add(traceId);
                }
            }
        }
        // Outside the lock: handing a command to an open poll answers it inline.
        deliveries.forEach(Runnable::run);
        persistCompleted(completed, now);
    }

    private void follow(Collection c, Batch.Breadcrumb b, long now, List<Runnable> deliveries) {
        if (b.agentId() != null) {
            ask(c, b.agentId(), now, deliveries);
        } else if ("callee".equals(b.role()) && b.authority() != null) {
            for (Agent a : registry.byAuthority(b.authority())) {
                ask(c, a.agentId(), now, deliveries);
            }
        }
    }

    private void ask(Collection c, String agentId, long now, List<Runnable> deliveries) {
        if (c.askedAtMs.containsKey(agentId)) {
            return;
        }
        c.askedAtMs.put(agentId, now);
        Agent agent = registry.get(agentId);
        if (agent != null) {
            String traceId = c.traceId;
            deliveries.add(() -> agent.collect(traceId));
            c.delivered.add(agentId);
        }
        if (!c.complete) {
            String traceId = c.traceId;
            scheduler.schedule(() -> recheck(traceId), answerTimeoutMs + 5, TimeUnit.MILLISECONDS);
        }
    }

    /** An agent that was asked before it (re)registered gets the command now. */
    private void deliverMissed(Agent agent) {
        List<String> traces = new ArrayList<>();
        synchronized (this) {
            for (Collection c : collections.values()) {
                String id = agent.agentId();
                if (!c.complete && c.askedAtMs.containsKey(id) && !c.answered.contains(id) && !c.delivered.contains(id)) {
                    c.delivered.add(id);
                    traces.add(c.traceId);
                }
            }
        }
        for (String traceId : traces) {
            agent.collect(traceId);
        }
    }

    private boolean checkComplete(Collection c, long now) {
        if (c.complete) {
            return false;
        }
        for (Map.Entry<String, Long> e : c.askedAtMs.entrySet()) {
            if (!c.answered.contains(e.getKey()) && now - e.getValue() < answerTimeoutMs) {
                return false;
            }
        }
        c.complete = true;
        c.lastActivityMs = now;
        List<String> missing = new ArrayList<>();
        for (String a : c.askedAtMs.keySet()) {
            if (!c.answered.contains(a)) {
                missing.add(a);
            }
        }
        if (missing.isEmpty()) {
            log.info("trace {} complete: {} agent(s) answered in {} ms", c.traceId, c.answered.size(),
                    now - c.startedAtMs);
        } else {
            log.info("trace {} complete: {} agent(s) answered, no answer from {} after {} ms", c.traceId,
                    c.answered.size(), missing, now - c.startedAtMs);
        }
        return true;
    }

    private void recheck(String traceId) {
        long now = clock.getAsLong();
        boolean done;
        synchronized (this) {
            Collection c = collections.get(traceId);
            done = c != null && checkComplete(c, now);
        }
        if (done) {
            persistCompleted(List.of(traceId), now);
        }
    }

    /** Adds a collection, making room first; an incomplete one pushed out is completed. */
    private void put(Collection c, List<String> completed) {
        if (collections.size() >= MAX_COLLECTIONS) {
            Iterator<Collection> it = collections.values().iterator();
            Collection victim = null;
            while (it.hasNext()) {
                Collection candidate = it.next();
                if (candidate.complete) {
                    victim = candidate;
                    break;
                }
            }
            if (victim == null) {
                victim = collections.values().iterator().next();
                victim.complete = true;
                completed.add(victim.traceId);
                log.warn("too many traces being collected; completing {} early", victim.traceId);
            }
            collections.remove(victim.traceId);
        }
        collections.put(c.traceId, c);
    }

    private void persistCompleted(List<String> traceIds, long now) {
        for (String traceId : traceIds) {
            try {
                store.ingest().markComplete(traceId, now);
            } catch (SQLException e) {
                log.error("cannot mark trace {} complete: {}", traceId, e.getMessage());
            }
        }
    }

    /** Periodic: completes overdue collections (backup to the per-ask timers) and forgets old ones. */
    public void sweep() {
        long now = clock.getAsLong();
        List<String> completed = new ArrayList<>();
        synchronized (this) {
            Iterator<Collection> it = collections.values().iterator();
            while (it.hasNext()) {
                Collection c = it.next();
                if (checkComplete(c, now)) {
                    completed.add(c.traceId);
                } else if (c.complete && now - c.lastActivityMs > keepMs) {
                    it.remove();
                }
            }
        }
        persistCompleted(completed, now);
    }
}
