package io.mintaro.collector.store.internal;

import io.mintaro.collector.internal.Json;
import io.mintaro.collector.store.TagFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The filters trace searches and group searches share; {@code t} is the {@code traces} table. */
final class TraceFilters {
    private final Dialect dialect;

    TraceFilters(Dialect dialect) {
        this.dialect = dialect;
    }

    void append(StringBuilder where, List<Object> args, String service, String text, Long fromUs, Long toUs) {
        if (service != null) {
            // services is a JSON array of strings written by the same mapper: the quoted name
            // occurs in it exactly when the service is an element.
            where.append(" AND ").append(dialect.contains("t.services", "?"));
            args.add(new String(Json.bytes(service), StandardCharsets.UTF_8));
        }
        if (fromUs != null) {
            where.append(" AND t.started_at_us >= ?");
            args.add(fromUs);
        }
        if (toUs != null) {
            where.append(" AND t.started_at_us < ?");
            args.add(toUs);
        }
        if (text != null) {
            String like = Rows.like(text);
            String op = " " + dialect.like() + " ? ESCAPE '\\'";
            where.append(" AND (t.name").append(op)
                    .append(" OR EXISTS (SELECT 1 FROM triggers g WHERE g.trace_id = t.trace_id AND g.reason").append(op)
                    .append(") OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.name").append(op)
                    .append(") OR EXISTS (SELECT 1 FROM logs l WHERE l.trace_id = t.trace_id AND l.message").append(op)
                    .append(") OR EXISTS (SELECT 1 FROM messages m WHERE m.trace_id = t.trace_id AND (m.url").append(op)
                    .append(" OR m.request_body").append(op).append(" OR m.response_body").append(op).append(")))");
            for (int i = 0; i < 7; i++) {
                args.add(like);
            }
        }
    }

    /**
     * The traces having every tag: one EXISTS per tag, each a lookup in trace_tags' primary key
     * (trace_id, key, value). When the tags are the most selective filter the planner may walk
     * trace_tags_by_value instead (namespace, key, value, started_at_us, trace_id).
     */
    void appendTags(StringBuilder where, List<Object> args, String namespace, TagFilter tags) {
        for (TagFilter.Tag tag : tags.tags()) {
            where.append(" AND t.trace_id IN (SELECT tt.trace_id FROM trace_tags tt"
                    + " WHERE tt.namespace = ? AND tt.key = ? AND tt.value = ?)");
            args.add(namespace);
            args.add(tag.key());
            args.add(tag.value());
        }
    }
}
