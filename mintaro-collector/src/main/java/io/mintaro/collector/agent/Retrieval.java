package io.mintaro.collector.agent;

import io.mintaro.collector.store.CollectionStore;
import io.mintaro.collector.store.Storage;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This collector's part in following breadcrumbs. What to ask whom, and when a trace is complete,
 * is in the database ({@link CollectionStore}), shared by every collector on it and kept across
 * restarts; batches change it as they are stored. Here: handing asks to the agents whose polls this
 * collector holds, and completing collections whose time is up (every collector sweeps; the trace
 * lock lets one of them complete each).
 *
 * <p>Polls cost the database nothing: only an agent that was notified of an ask (by any collector)
 * makes its next poll here read its asks.
 */
public final class Retrieval {
    private static final Logger log = LoggerFactory.getLogger(Retrieval.class);
    /** Agents with work whose polls are elsewhere, remembered for when they poll here; bounded. */
    static final int MAX_REMEMBERED = 100_000;
    private static final int SWEEP_LIMIT = 500;

    private final Storage store;
    private final AgentRegistry registry;
    private final ExecutorService executor;
    private final LongSupplier clock;
    private final Set<String> withWork = ConcurrentHashMap.newKeySet();

    public Retrieval(Storage store, AgentRegistry registry, ExecutorService executor, LongSupplier clock) {
        this.store = store;
        this.registry = registry;
        this.executor = executor;
        this.clock = clock;
    }

    /** Starts listening for agents with work, from any collector on the database. */
    public void start() {
        store.collections().listen(this::agentHasWork, this::resync);
    }

    /** An agent got an ask: hand it over if it is polling here, else remember it for its next poll here. */
    void agentHasWork(String agentId) {
        Agent agent = registry.get(agentId);
        if (agent != null && agent.polling()) {
            executor.execute(() -> deliver(agent));
        } else if (withWork.size() < MAX_REMEMBERED) {
            withWork.add(agentId);
        }
    }

    /** Notifications may have been missed: every agent with waiting asks is remembered. */
    void resync() {
        try {
            Set<String> agents = store.collections().agentsWithWaitingAsks(clock.getAsLong());
            for (String agentId : agents) {
                agentHasWork(agentId);
            }
        } catch (SQLException e) {
            log.warn("cannot read the agents with waiting asks: {}", e.getMessage());
        }
    }

    /** A poll opened here: an agent with work gets its asks. */
    void pollOpened(Agent agent) {
        if (withWork.remove(agent.agentId())) {
            deliver(agent);
        }
    }

    private void deliver(Agent agent) {
        try {
            List<String> traces = store.collections().waitingFor(agent.namespace(), agent.agentId(), clock.getAsLong());
            for (String traceId : traces) {
                agent.collect(traceId);
            }
        } catch (SQLException e) {
            // Remembered again: the next poll here tries once more.
            withWork.add(agent.agentId());
            log.warn("cannot read the asks of agent {}: {}", agent.agentId(), e.getMessage());
        }
    }

    /** Asks reached the agent in a poll's answer: its answer timeout runs from now. */
    void delivered(Agent agent, List<String> traceIds) {
        if (traceIds.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        executor.execute(() -> {
            try {
                store.collections().delivered(agent.namespace(), agent.agentId(), traceIds, now);
            } catch (SQLException e) {
                log.warn("cannot record asks delivered to agent {}: {}", agent.agentId(), e.getMessage());
            }
        });
    }

    /** Periodic: completes the collections whose time is up. */
    public void sweep() {
        long now = clock.getAsLong();
        try {
            while (store.collections().completeDue(now, SWEEP_LIMIT).size() == SWEEP_LIMIT) {
                // More are due: the next chunk.
            }
        } catch (SQLException e) {
            log.warn("cannot complete due collections: {}", e.getMessage());
        }
    }
}
