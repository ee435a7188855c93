package io.mintaro.collector.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Tags a trace must all have (decision 38): {@code key:value} pairs matched exactly against the
 * scalar span attributes of the trace and its agents' {@code service} and {@code version}.
 *
 * @param tags the required tags, at most {@link #MAX_FILTERS}
 */
public record TagFilter(List<Tag> tags) {
    /** The most tags one search may require. */
    public static final int MAX_FILTERS = 10;
    /** The most tags stored per trace. */
    public static final int MAX_PER_TRACE = 256;
    /** The longest key stored. */
    public static final int MAX_KEY = 128;
    /** The longest value stored; longer values are not indexed. */
    public static final int MAX_VALUE = 200;
    /** No tag required. */
    public static final TagFilter NONE = new TagFilter(List.of());

    /** One tag. */
    public record Tag(String key, String value) {
    }

    public TagFilter {
        tags = List.copyOf(tags);
        if (tags.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " tag filters, got " + tags.size());
        }
    }

    /**
     * Parses {@code key:value} filters (split at the first colon).
     *
     * @throws IllegalArgumentException naming the malformed filter, or if there are too many
     */
    public static TagFilter parse(List<String> filters) {
        if (filters.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " tag filters, got " + filters.size());
        }
        List<Tag> tags = new ArrayList<>();
        for (String f : filters) {
            int colon = f.indexOf(':');
            if (colon <= 0 || colon == f.length() - 1) {
                throw new IllegalArgumentException("tag must be key:value, got '" + f + "'");
            }
            String key = f.substring(0, colon);
            String value = f.substring(colon + 1);
            if (key.length() > MAX_KEY || value.length() > MAX_VALUE) {
                throw new IllegalArgumentException("tag keys are at most " + MAX_KEY + " characters and values at most "
                        + MAX_VALUE + " (longer ones are not indexed), got '" + f + "'");
            }
            tags.add(new Tag(key, value));
        }
        return new TagFilter(tags);
    }

    public boolean isEmpty() {
        return tags.isEmpty();
    }
}
