package io.mintaro.collector.store;

import io.mintaro.collector.protocol.Registration;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The retrieval's state, shared by every collector on the database: which agents were asked for
 * which trace, what reached them, who answered, and when each collection ends (docs/replicas.md).
 *
 * <p>Batches update it in their own transaction ({@link IngestStore#store}): a trigger opens a
 * collection, an answer is recorded, and every breadcrumb asks the agent it names, even after the
 * collection completed (a late breadcrumb reopens it). Whenever an agent gets something to do, every
 * collector on the database hears of it through {@link #listen}.
 */
public interface CollectionStore {

    /**
     * How long collections wait.
     *
     * @param answerTimeoutMs how long an agent that got its ask has to answer
     * @param reconnectWaitMs how long an ask waits for its agent to poll (or a callee authority for
     *     an agent to register with it), as after a collector restart
     */
    record Policy(long answerTimeoutMs, long reconnectWaitMs) {
        public Policy {
            if (answerTimeoutMs <= 0 || reconnectWaitMs <= 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /** A completed collection, for logs and metrics. */
    record Completed(String traceId, long firstTriggerAtMs, List<String> answered, List<String> missing) {
    }

    /** Called after the commit of every collection this collector completes (by a batch or a sweep). */
    void onCompleted(Consumer<Completed> listener);

    /** Sets the policy (before the first batch). */
    void configure(Policy policy);

    /**
     * The traces of {@code namespace} that an agent (of that namespace) was asked for and that have
     * not reached it yet, oldest first.
     */
    List<String> waitingFor(String namespace, String agentId, long nowMs) throws SQLException;

    /** Records that asks reached the agent (in a poll's answer): its answer timeout starts. */
    void delivered(String namespace, String agentId, Collection<String> traceIds, long nowMs) throws SQLException;

    /** Every agent with an ask that has not reached it. */
    Set<String> agentsWithWaitingAsks(long nowMs) throws SQLException;

    /**
     * Records the authorities an agent serves and asks it for every collection waiting for one of
     * them. An authority that an agent of another service of its namespace, seen within
     * {@code liveWithinMs}, already serves is refused: a key holder cannot take over another service's address.
     *
     * @return the authorities refused
     */
    Set<String> serves(Registration agent, long nowMs, long liveWithinMs) throws SQLException;

    /** Completes the collections whose time is up, at most {@code limit}. */
    List<Completed> completeDue(long nowMs, int limit) throws SQLException;

    /**
     * Calls {@code agentWithWork} with the id of every agent that gets an ask, from any collector on
     * the database; {@code resync} after the notifications may have been missed (at start and after
     * a lost database connection), when the caller should read {@link #agentsWithWaitingAsks}.
     */
    void listen(Consumer<String> agentWithWork, Runnable resync);
}
