package io.mintaro.collector.alerts;

/**
 * A trace just stored, with what the rules need to know of its error group.
 *
 * @param traceId the trace
 * @param fingerprint its group
 * @param groupTraces the group's stored traces, this one included (1: a new group)
 * @param tracesInWindow the group's traces stored since the start of the window asked for
 * @param mark the group's triage mark ({@code none}, {@code crash}, {@code silenced})
 * @param level the group's triage level ({@code none}, {@code ok}, {@code warn}, {@code alert})
 * @param silencedUntilMs the end of a silence with a time limit, or null (none, or for ever)
 * @param triagedAtMs when the triage last changed, or null
 * @param storedAtMs when the trace was stored
 */
public record GroupActivity(String traceId, String fingerprint, long groupTraces, long tracesInWindow, String mark,
        String level, Long silencedUntilMs, Long triagedAtMs, long storedAtMs) {

    /** Silenced now: silenced for ever, or until a time not yet past (an expired silence counts as none). */
    public boolean silenced(long nowMs) {
        return "silenced".equals(mark) && (silencedUntilMs == null || silencedUntilMs > nowMs);
    }
}
