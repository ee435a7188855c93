package io.mintaro.collector.store;

/**
 * A change of triage; a null field is left as it is.
 *
 * @param mark new mark, or null
 * @param level new level, or null
 * @param noteGiven whether {@code note} replaces the note (a null note then clears it)
 * @param note the new note
 */
public record TriageUpdate(String mark, String level, boolean noteGiven, String note) {
}
