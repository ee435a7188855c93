package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Error groups, over stored traces and counted occurrences, and their triage. */
public interface GroupStore {
    /** Searches error groups, newest last occurrence first, one page at a time. */
    GroupPage find(GroupQuery query) throws SQLException;

    /** One error group of {@code namespace} over all its traces and counts, or empty when it has none. */
    Optional<GroupRow> get(String namespace, String fingerprint) throws SQLException;

    /**
     * How often each group happened per time bucket: its stored traces by start, and its counted
     * occurrences by the minute they were counted in (a minute's count falls in the bucket of its
     * start). Fingerprints are unique across namespaces: the caller takes them from groups of
     * its namespace.
     *
     * @return for each fingerprint asked, an array of {@code buckets.count()} counts
     */
    Map<String, long[]> occurrences(Collection<String> fingerprints, TimeBuckets buckets) throws SQLException;

    /** {@link #get(String, String)} in the default namespace. */
    default Optional<GroupRow> get(String fingerprint) throws SQLException {
        return get(Namespaces.DEFAULT, fingerprint);
    }

    /**
     * Changes the triage of a group; the change time is {@code nowMs} even when no value changed
     * (a triage is also an acknowledgement of the traces so far).
     *
     * @return false, changing nothing, when no stored trace and no counted occurrence of
     *     {@code namespace} has that fingerprint
     */
    boolean triage(String namespace, String fingerprint, TriageUpdate update, long nowMs) throws SQLException;

    /** {@link #triage(String, String, TriageUpdate, long)} in the default namespace. */
    default boolean triage(String fingerprint, TriageUpdate update, long nowMs) throws SQLException {
        return triage(Namespaces.DEFAULT, fingerprint, update, nowMs);
    }
}
