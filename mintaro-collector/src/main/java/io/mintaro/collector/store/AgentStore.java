package io.mintaro.collector.store;

import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Registration;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Registered agents. */
public interface AgentStore {
    /**
     * What a collector learnt of an agent since its last flush.
     *
     * @param lastSeenAtMs the agent's latest request to this collector
     * @param stats the recorder's latest figures, or null when none arrived since the last flush
     */
    record Seen(long lastSeenAtMs, AgentStats stats) {
    }

    /**
     * Records (or refreshes) an agent's registration; its stored stats stay.
     *
     * @return false, changing nothing, when the agent id is registered in another namespace
     */
    boolean upsert(Registration registration, long nowMs) throws SQLException;

    /** A registration stored by any collector on the database, or empty. */
    Optional<Registration> find(String agentId) throws SQLException;

    /**
     * Stores agents' last-seen times and recorder stats, flushed periodically rather than on every
     * poll. A time never goes back, and stats never give way to older ones (another collector may
     * flush the same agent's).
     */
    void touch(Map<String, Seen> seenByAgent) throws SQLException;

    /**
     * The agents last seen at {@code sinceMs} or later (their stored last-seen time), by service,
     * then agent id.
     *
     * @param service only this service's, or null for every service of the namespace
     */
    List<AgentRow> seenSince(String namespace, String service, long sinceMs) throws SQLException;
}
