package io.mintaro.collector.store;

/**
 * Filters of an error-group search and the page wanted; null fields do not filter. The trace
 * filters ({@code service}, {@code text}, {@code fromUs}, {@code toUs}) select the traces and
 * counted occurrences that are grouped, so a group's counts and times cover only matching ones.
 * Of a counted occurrence only its group is known: {@code service} matches the group's service,
 * {@code text} its endpoint or problem, and the time range its time (counted occurrences are kept
 * per minute: a minute is selected whole when any of its occurrences is in the range).
 *
 * @param status {@code error} (error groups not marked crash), {@code crash} (marked crash),
 *     {@code ok} (groups that are not errors), or null for all
 * @param speed {@code slow} (groups of slow traces), {@code fast} (the others), or null for all
 * @param service a service that took part in the trace (counted occurrences: the group's service)
 * @param text as in {@link TraceQuery#text()}
 * @param fromUs inclusive lower bound on the trace start (or the counted occurrence)
 * @param toUs exclusive upper bound on the trace start (or the counted occurrence)
 * @param silenced {@code hide}, {@code show} or {@code only}: groups marked silenced
 * @param fingerprint only this group
 * @param limit maximum number of groups, newest last occurrence first
 * @param offset groups skipped before the first returned one
 * @param namespace the namespace searched (required)
 * @param tags tags the trace must all have (decision 38); counted occurrences have no tags, so a
 *     tag filter leaves them out
 */
public record GroupQuery(String status, String speed, String service, String text, Long fromUs, Long toUs,
                         String silenced, String fingerprint, int limit, long offset, String namespace,
                         TagFilter tags) {

    public GroupQuery {
        Namespaces.require(namespace);
        tags = tags == null ? TagFilter.NONE : tags;
    }

    /** A search without tag filters. */
    public GroupQuery(String status, String speed, String service, String text, Long fromUs, Long toUs,
                      String silenced, String fingerprint, int limit, long offset, String namespace) {
        this(status, speed, service, text, fromUs, toUs, silenced, fingerprint, limit, offset, namespace,
                TagFilter.NONE);
    }

    /** This search, requiring {@code tags}. */
    public GroupQuery withTags(TagFilter tags) {
        return new GroupQuery(status, speed, service, text, fromUs, toUs, silenced, fingerprint, limit, offset,
                namespace, tags);
    }

    /** A search of the default namespace. */
    public GroupQuery(String status, String speed, String service, String text, Long fromUs, Long toUs,
                      String silenced, String fingerprint, int limit, long offset) {
        this(status, speed, service, text, fromUs, toUs, silenced, fingerprint, limit, offset, Namespaces.DEFAULT);
    }

    /** This search, of {@code namespace}. */
    public GroupQuery in(String namespace) {
        return new GroupQuery(status, speed, service, text, fromUs, toUs, silenced, fingerprint, limit, offset,
                namespace, tags);
    }

    /** One group by fingerprint, whatever its triage. */
    public static GroupQuery of(String namespace, String fingerprint) {
        return new GroupQuery(null, null, null, null, null, null, "show", fingerprint, 1, 0, namespace);
    }
}
