package io.mintaro.collector.store;

/**
 * A person's verdict on an error group.
 *
 * @param mark {@code none}, {@code crash} or {@code silenced}
 * @param level {@code none}, {@code ok}, {@code warn} or {@code alert}
 * @param note free text, or null
 * @param updatedAtMs when it last changed (collector clock), or null when never triaged
 * @param silencedUntilMs the end of a silence with a time limit, or null (none, or for ever); a
 *     silence past its end counts as none
 */
public record Triage(String mark, String level, String note, Long updatedAtMs, Long silencedUntilMs) {
    /** The triage of a group nobody has looked at. */
    public static final Triage NONE = new Triage("none", "none", null, null, null);

    /** A triage without a time limit. */
    public Triage(String mark, String level, String note, Long updatedAtMs) {
        this(mark, level, note, updatedAtMs, null);
    }

    /** Silenced at {@code nowMs}: marked so, with no time limit or one not yet past. */
    public boolean silenced(long nowMs) {
        return "silenced".equals(mark) && (silencedUntilMs == null || silencedUntilMs > nowMs);
    }
}
