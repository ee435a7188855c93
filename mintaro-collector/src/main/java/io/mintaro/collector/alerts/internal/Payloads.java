package io.mintaro.collector.alerts.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.alerts.AlertRule;
import io.mintaro.collector.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The bodies posted to webhooks: the generic JSON event, or a Slack incoming-webhook message. */
final class Payloads {
    private Payloads() {
    }

    /** What happened, before it is put in a rule's format. */
    record Event(String kind, String namespace, String fingerprint, String group, String traceId, long occurrences,
            String text, List<String> fingerprints, long atMs) {
    }

    static String render(AlertRule rule, Event e) {
        return "slack".equals(rule.format()) ? slack(rule, e) : json(rule, e);
    }

    static String json(AlertRule rule, Event e) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("event", e.kind());
        out.put("rule", rule.id());
        out.put("namespace", e.namespace());
        out.put("at", Json.isoFromMillis(e.atMs()));
        out.put("text", e.text());
        if (e.fingerprint() != null) {
            ObjectNode group = out.putObject("group");
            group.put("fingerprint", e.fingerprint());
            group.put("name", e.group());
            group.put("occurrences", e.occurrences());
        }
        if (e.traceId() != null) {
            out.put("traceId", e.traceId());
        }
        if (e.fingerprints() != null) {
            ArrayNode groups = out.putArray("groups");
            e.fingerprints().forEach(groups::add);
        }
        return new String(Json.bytes(out), StandardCharsets.UTF_8);
    }

    static String slack(AlertRule rule, Event e) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("text", e.text());
        ArrayNode blocks = out.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", "*" + e.text() + "*");
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "rule `" + rule.id() + "` · namespace `" + e.namespace() + "` · " + e.kind()
                        + (e.traceId() == null ? "" : " · trace `" + e.traceId() + "`"));
        return new String(Json.bytes(out), StandardCharsets.UTF_8);
    }
}
