package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Optional;

/** Error groups, over stored traces and counted occurrences, and their triage. */
public interface GroupStore {
    /** Searches error groups, newest last occurrence first, one page at a time. */
    GroupPage find(GroupQuery query) throws SQLException;

    /** One error group over all its traces and counts, or empty when nothing has that fingerprint. */
    Optional<GroupRow> get(String fingerprint) throws SQLException;

    /**
     * Changes the triage of a group; the change time is {@code nowMs} even when no value changed
     * (a triage is also an acknowledgement of the traces so far).
     *
     * @return false, changing nothing, when no stored trace and no counted occurrence has that
     *     fingerprint
     */
    boolean triage(String fingerprint, TriageUpdate update, long nowMs) throws SQLException;
}
