package io.mintaro.collector.store;

import io.mintaro.collector.protocol.Registration;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Registered agents and the collector's keys. */
public interface AgentStore {
    /** Records (or refreshes) an agent's registration. */
    void upsert(Registration registration, long nowMs) throws SQLException;

    /** A registration stored by any collector on the database, or empty. */
    Optional<Registration> find(String agentId) throws SQLException;

    /** Stores agents' last-seen times (flushed periodically rather than on every poll). */
    void touch(Map<String, Long> lastSeenByAgent) throws SQLException;

    /** Returns the key generated on an earlier start, or stores a new one from {@code generator}. */
    String generatedApiKey(Supplier<String> generator) throws SQLException;
}
