package io.mintaro.collector.agent;

import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.AgentStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents this collector has seen, in memory: their open polls and the commands queued for
 * them. Registrations are also in the database, so an agent registered with another collector on
 * the same database is known here at its first request (see {@link AgentEndpoints}).
 */
public final class AgentRegistry {
    /** Registrations beyond this evict the least recently seen agent. */
    static final int MAX_AGENTS = 50_000;

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final long connectedWithinMs;
    private final long forgetAfterMs;

    /**
     * @param pollTimeoutMs the poll duration: an agent that has not polled for a few of these is
     *     no longer counted as connected
     */
    public AgentRegistry(long pollTimeoutMs) {
        this.connectedWithinMs = pollTimeoutMs * 2 + 5_000;
        this.forgetAfterMs = Math.max(10 * 60_000L, pollTimeoutMs * 5);
    }

    public Agent register(Registration r, long nowMs) {
        Agent agent = agents.compute(r.agentId(), (id, existing) -> {
            if (existing == null) {
                return new Agent(r, nowMs);
            }
            existing.update(r, nowMs);
            return existing;
        });
        if (agents.size() > MAX_AGENTS) {
            evictOldest(agent);
        }
        return agent;
    }

    private void evictOldest(Agent keep) {
        agents.values().stream()
                .filter(a -> a != keep)
                .min(Comparator.comparingLong(Agent::lastSeenAtMs))
                .ifPresent(this::forget);
    }

    private void forget(Agent a) {
        if (agents.remove(a.agentId(), a)) {
            a.release();
        }
    }

    /** The agent, or null when it is not registered. */
    public Agent get(String agentId) {
        return agents.get(agentId);
    }

    /**
     * How recently an agent must have been seen to count as connected: two poll timeouts plus 5 s.
     * Also the window over the stored last-seen times, which tell of agents polling elsewhere.
     */
    public long connectedWithinMs() {
        return connectedWithinMs;
    }

    /** An agent is connected while it polls or has polled recently. */
    public boolean connected(Agent a, long nowMs) {
        return a.polling() || nowMs - a.lastSeenAtMs() <= connectedWithinMs;
    }

    /** Connected agents per service. */
    public Map<String, Integer> connectedByService(long nowMs) {
        Map<String, Integer> out = new HashMap<>();
        for (Agent a : agents.values()) {
            if (connected(a, nowMs)) {
                out.merge(a.service(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Latest last-seen time per service among registered agents. */
    public Map<String, Long> lastSeenByService(String namespace) {
        Map<String, Long> out = new HashMap<>();
        for (Agent a : agents.values()) {
            if (!a.namespace().equals(namespace)) {
                continue;
            }
            out.merge(a.service(), a.lastSeenAtMs(), Math::max);
        }
        return out;
    }

    /**
     * Last-seen times and recorder stats not yet written to the store; marks them written. Polls
     * only change memory, so that they cost the database nothing; this is written every 10 s.
     */
    public Map<String, AgentStore.Seen> drainUnflushed() {
        Map<String, AgentStore.Seen> out = new HashMap<>();
        for (Agent a : agents.values()) {
            long seen = a.lastSeenAtMs();
            AgentStats stats = a.takeUnflushedStats();
            if (seen > a.lastFlushedAtMs() || stats != null) {
                out.put(a.agentId(), new AgentStore.Seen(seen, stats));
                a.flushed(seen);
            }
        }
        return out;
    }

    /** Drops agents silent for a long time; their next request gets 404 and they register again. */
    public void forgetSilent(long nowMs) {
        for (Agent a : agents.values()) {
            if (!a.polling() && nowMs - a.lastSeenAtMs() > forgetAfterMs) {
                forget(a);
            }
        }
    }

    /** Answers every open poll with no commands. */
    public void releaseAll() {
        Collection<Agent> all = agents.values();
        for (Agent a : all) {
            a.release();
        }
    }
}
