package io.mintaro.collector.store;

import java.util.List;

/**
 * A stored trace: its summary and every record as stored JSON text (the protocol object plus
 * {@code service} and {@code agentId}), already in display order, and its tags by key and value.
 */
public record TraceDetail(TraceSummary summary, List<String> spans, List<String> messages, List<String> logs,
                          List<TriggerRow> triggers, List<BreadcrumbRow> breadcrumbs, List<TagFilter.Tag> tags) {

    /** A trace without tags. */
    public TraceDetail(TraceSummary summary, List<String> spans, List<String> messages, List<String> logs,
                       List<TriggerRow> triggers, List<BreadcrumbRow> breadcrumbs) {
        this(summary, spans, messages, logs, triggers, breadcrumbs, List.of());
    }

    public record TriggerRow(String agentId, String service, String kind, String reason, long atMs,
                             long receivedAtMs) {
    }

    public record BreadcrumbRow(String agentId, String service, String role, String peerAgentId, String authority,
                                String spanId) {
    }
}
