package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.store.TagFilter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace's tags in {@code trace_tags} (schema 12, decision 38): the scalar attributes of its
 * spans and its agents' {@code service} and {@code version}, added with every batch, within the
 * caps of {@link TagFilter}. A tag whose key or value is too long is not stored.
 */
final class TraceTags {
    private TraceTags() {
    }

    /** The tags of one agent's records of a trace, in the order found. */
    static Set<TagFilter.Tag> of(Batch.TraceEntry entry, String service, String version) {
        Set<TagFilter.Tag> tags = new LinkedHashSet<>();
        add(tags, "service", service);
        add(tags, "version", version);
        for (Batch.Span s : entry.spans()) {
            JsonNode attributes = s.json().path("attributes");
            for (Map.Entry<String, JsonNode> a : attributes.properties()) {
                if (a.getValue().isValueNode() && !a.getValue().isNull()) {
                    add(tags, a.getKey(), a.getValue().asText());
                }
            }
        }
        return tags;
    }

    private static void add(Set<TagFilter.Tag> tags, String key, String value) {
        if (value != null && !key.isEmpty() && key.length() <= TagFilter.MAX_KEY
                && value.length() <= TagFilter.MAX_VALUE) {
            tags.add(new TagFilter.Tag(key, value));
        }
    }

    /** Adds {@code tags} to the trace's, up to {@link TagFilter#MAX_PER_TRACE}; keeps their start current. */
    static void store(Tx w, String traceId, String namespace, Set<TagFilter.Tag> tags) throws SQLException {
        PreparedStatement started = w.get("SELECT coalesce(started_at_us, 0) FROM traces WHERE trace_id = ?");
        started.setString(1, traceId);
        long startedUs;
        try (ResultSet rs = started.executeQuery()) {
            startedUs = rs.next() ? rs.getLong(1) : 0;
        }
        PreparedStatement restart = w.get(
                "UPDATE trace_tags SET started_at_us = ? WHERE trace_id = ? AND started_at_us <> ?");
        restart.setLong(1, startedUs);
        restart.setString(2, traceId);
        restart.setLong(3, startedUs);
        restart.executeUpdate();
        if (tags.isEmpty()) {
            return;
        }
        PreparedStatement count = w.get("SELECT count(*) FROM trace_tags WHERE trace_id = ?");
        count.setString(1, traceId);
        int stored;
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            stored = rs.getInt(1);
        }
        PreparedStatement insert = w.get("""
                INSERT INTO trace_tags(trace_id, key, value, namespace, started_at_us) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""");
        for (TagFilter.Tag tag : tags) {
            if (stored >= TagFilter.MAX_PER_TRACE) {
                return;
            }
            insert.setString(1, traceId);
            insert.setString(2, tag.key());
            insert.setString(3, tag.value());
            insert.setString(4, namespace);
            insert.setLong(5, startedUs);
            stored += insert.executeUpdate();
        }
    }

    /** The trace's tags, by key then value. */
    static List<TagFilter.Tag> read(java.sql.Connection c, String traceId) throws SQLException {
        List<TagFilter.Tag> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key, value FROM trace_tags WHERE trace_id = ? ORDER BY key, value")) {
            ps.setString(1, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TagFilter.Tag(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }
}
