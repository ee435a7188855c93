package io.mintaro.collector.store;

/**
 * A change of triage; a null field is left as it is.
 *
 * @param mark new mark, or null
 * @param level new level, or null
 * @param noteGiven whether {@code note} replaces the note (a null note then clears it)
 * @param note the new note
 * @param untilGiven whether {@code silencedUntilMs} replaces the silence's time limit; when not
 *     given, a new mark clears it
 * @param silencedUntilMs the end of the silence, or null (for ever)
 */
public record TriageUpdate(String mark, String level, boolean noteGiven, String note, boolean untilGiven,
        Long silencedUntilMs) {

    /** A change that leaves the silence's time limit as the mark implies. */
    public TriageUpdate(String mark, String level, boolean noteGiven, String note) {
        this(mark, level, noteGiven, note, false, null);
    }
}
