package io.mintaro.collector.store;

import java.util.List;

/**
 * A stored trace: its summary and every record as stored JSON text (the protocol object plus
 * {@code service} and {@code agentId}), already in display order, its tags by key and value, and
 * the agents its retrieval asked that have not answered: once the trace is complete, the
 * participants whose part is missing (a process that restarted or went away).
 */
public record TraceDetail(TraceSummary summary, List<String> spans, List<String> messages, List<String> logs,
                          List<TriggerRow> triggers, List<BreadcrumbRow> breadcrumbs, List<TagFilter.Tag> tags,
                          List<UnansweredRow> unanswered) {

    public record TriggerRow(String agentId, String service, String kind, String reason, long atMs,
                             long receivedAtMs) {
    }

    public record BreadcrumbRow(String agentId, String service, String role, String peerAgentId, String authority,
                                String spanId) {
    }

    /** An agent asked for its part of the trace at {@code askedAtMs}; {@code service} is null if it never registered. */
    public record UnansweredRow(String agentId, String service, long askedAtMs) {
    }
}
