package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Reads stored traces. */
public interface TraceStore {
    /** Searches trace summaries, newest start first, one page at a time. */
    TracePage find(TraceQuery query) throws SQLException;

    /** A whole trace, or empty when unknown. */
    Optional<TraceDetail> get(String traceId) throws SQLException;

    /** The trace's error group, or empty when unknown. */
    Optional<String> fingerprint(String traceId) throws SQLException;

    /** Agents that contributed anything (records, triggers, breadcrumbs) to a trace. */
    Set<String> contributors(String traceId) throws SQLException;
}
