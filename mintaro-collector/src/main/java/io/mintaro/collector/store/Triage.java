package io.mintaro.collector.store;

/**
 * A person's verdict on an error group.
 *
 * @param mark {@code none}, {@code crash} or {@code silenced}
 * @param level {@code none}, {@code ok}, {@code warn} or {@code alert}
 * @param note free text, or null
 * @param updatedAtMs when it last changed (collector clock), or null when never triaged
 */
public record Triage(String mark, String level, String note, Long updatedAtMs) {
    /** The triage of a group nobody has looked at. */
    public static final Triage NONE = new Triage("none", "none", null, null);
}
