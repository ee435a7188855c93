package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the TUI needs of the collector's REST API (docs/api.md). Failures are
 * {@link io.mintaro.cli.internal.CliException}s with a one-line message.
 */
public interface CollectorApi {
    /** The collector's base URL, for the status bar. */
    String base();

    /** GET with query parameters as name, value pairs; pairs with a null value are left out. */
    JsonNode get(String path, Object... params);

    JsonNode put(String path, JsonNode body);

    /** A group's status as {@code mintaro groups} shows it: kind, triage mark and level. */
    String groupStatus(JsonNode group);

    /** A group's count as {@code mintaro groups} shows it: occurrences, traces kept, new. */
    String groupCount(JsonNode group);
}
