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
 */
public record TraceQuery(String status, String service, String text, Long fromUs, Long toUs, String fingerprint,
                         int limit, long offset) {

    /** All traces matching the filters, first page. */
    public TraceQuery(String status, String service, String text, Long fromUs, Long toUs, int limit) {
        this(status, service, text, fromUs, toUs, null, limit, 0);
    }
}
