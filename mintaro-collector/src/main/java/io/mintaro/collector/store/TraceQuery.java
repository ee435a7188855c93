package io.mintaro.collector.store;

/**
 * Filters of a trace search and the page wanted; null fields do not filter.
 *
 * @param status {@code error}, {@code slow}, {@code ok}, or null for all
 * @param service a service that took part
 * @param text case-insensitive (ASCII) substring of trace name, trigger reasons, span names, log
 *     messages, message URLs and text bodies
 * @param fromUs inclusive lower bound on the trace start
 * @param toUs exclusive upper bound on the trace start
 * @param fingerprint only the traces of this error group
 * @param limit maximum number of traces, newest first
 * @param offset traces skipped before the first returned one
 * @param namespace the namespace searched (required)
 * @param tags tags the trace must all have (decision 38)
 */
public record TraceQuery(String status, String service, String text, Long fromUs, Long toUs, String fingerprint,
                         int limit, long offset, String namespace, TagFilter tags) {

    public TraceQuery {
        Namespaces.require(namespace);
        tags = tags == null ? TagFilter.NONE : tags;
    }

    /** A search without tag filters. */
    public TraceQuery(String status, String service, String text, Long fromUs, Long toUs, String fingerprint,
                      int limit, long offset, String namespace) {
        this(status, service, text, fromUs, toUs, fingerprint, limit, offset, namespace, TagFilter.NONE);
    }

    /** This search, requiring {@code tags}. */
    public TraceQuery withTags(TagFilter tags) {
        return new TraceQuery(status, service, text, fromUs, toUs, fingerprint, limit, offset, namespace, tags);
    }

    /** A search of the default namespace. */
    public TraceQuery(String status, String service, String text, Long fromUs, Long toUs, String fingerprint,
                      int limit, long offset) {
        this(status, service, text, fromUs, toUs, fingerprint, limit, offset, Namespaces.DEFAULT);
    }

    /** This search, of {@code namespace}. */
    public TraceQuery in(String namespace) {
        return new TraceQuery(status, service, text, fromUs, toUs, fingerprint, limit, offset, namespace, tags);
    }

    /** All traces matching the filters, first page. */
    public TraceQuery(String status, String service, String text, Long fromUs, Long toUs, int limit) {
        this(status, service, text, fromUs, toUs, null, limit, 0);
    }
}
