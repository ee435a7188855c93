package io.mintaro.collector.store;

/**
 * An error group: the traces sharing one fingerprint (among those a query selected) and its
 * triage.
 *
 * @param count traces in the group
 * @param newSinceTriage traces stored after the triage last changed (all when never triaged)
 * @param firstStartedAtUs earliest trace start in the group
 * @param lastStartedAtUs latest trace start in the group
 * @param lastTraceId the trace that started last (ties: the greatest id)
 */
public record GroupRow(String fingerprint, String service, String endpoint, String problem, String kind,
                       long count, long newSinceTriage, Long firstStartedAtUs, Long lastStartedAtUs,
                       String lastTraceId, Triage triage) {

    /** {@code "<problem> in <endpoint>"}. */
    public String name() {
        return problem + " in " + endpoint;
    }
}
