package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Reads stored traces. */
public interface TraceStore {
    /** Searches trace summaries, newest start first, one page at a time. */
    TracePage find(TraceQuery query) throws SQLException;

    /** A whole trace of {@code namespace}, or empty when that namespace has no such trace. */
    Optional<TraceDetail> get(String namespace, String traceId) throws SQLException;

    /** The trace's error group, or empty when {@code namespace} has no such trace. */
    Optional<String> fingerprint(String namespace, String traceId) throws SQLException;

    /** Agents that contributed anything (records, triggers, breadcrumbs) to a trace of {@code namespace}. */
    Set<String> contributors(String namespace, String traceId) throws SQLException;

    /** {@link #get(String, String)} in the default namespace. */
    default Optional<TraceDetail> get(String traceId) throws SQLException {
        return get(Namespaces.DEFAULT, traceId);
    }

    /** {@link #fingerprint(String, String)} in the default namespace. */
    default Optional<String> fingerprint(String traceId) throws SQLException {
        return fingerprint(Namespaces.DEFAULT, traceId);
    }

    /** {@link #contributors(String, String)} in the default namespace. */
    default Set<String> contributors(String traceId) throws SQLException {
        return contributors(Namespaces.DEFAULT, traceId);
    }
}
