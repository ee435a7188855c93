package io.mintaro.collector.store;

/**
 * An error group: the stored traces and counted occurrences sharing one fingerprint (among those
 * a query selected) and its triage.
 *
 * @param count stored traces in the group ("traces kept"); the same as {@link #traces()}
 * @param occurrences every occurrence: each stored trace, plus each counted trigger whose trace
 *     was not stored (once per trace, however many agents counted it), plus the occurrences agents
 *     counted without an id
 * @param newSinceTriage stored traces stored after the triage last changed (all when never triaged)
 * @param firstSeenAtUs the earliest trace start or counted occurrence in the group
 * @param lastSeenAtUs the latest trace start or counted occurrence in the group
 * @param lastTraceId the stored trace that started last (ties: the greatest id); null when the
 *     group has only counted occurrences
 */
public record GroupRow(String fingerprint, String service, String endpoint, String problem, String kind,
                       long count, long occurrences, long newSinceTriage, Long firstSeenAtUs, Long lastSeenAtUs,
                       String lastTraceId, Triage triage) {

    /** {@code "<problem> in <endpoint>"}. */
    public String name() {
        return problem + " in " + endpoint;
    }

    /** Stored traces in the group ("traces kept"), as {@link #count()}. */
    public long traces() {
        return count;
    }
}
