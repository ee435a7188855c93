package io.mintaro.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trace of {@code GET /api/traces/{traceId}} as a tree: each span under its parent, its
 * exchanges and log lines under it; records of no known span in a trailing "(no span)" section.
 * Spans whose parent is not in the trace are roots.
 */
final class TraceTree {
    /** Log levels, lowest first; unknown levels rank as INFO. */
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    private static final int STACK_LINES = 3;

    private final JsonNode trace;
    private final Style style;
    private final PrintWriter out;
    private final int minLevel;
    private final boolean bodies;
    private final int bodyLimit;

    private final Map<String, JsonNode> spans = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> children = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> messages = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> logs = new LinkedHashMap<>();
    private final List<JsonNode> roots = new ArrayList<>();
    private final java.util.Set<String> printed = new java.util.HashSet<>();

    public TraceTree(JsonNode trace, Style style, PrintWriter out, String minLevel, boolean bodies, int bodyLimit) {
        this.trace = trace;
        this.style = style;
        this.out = out;
        this.minLevel = rank(minLevel == null ? "TRACE" : minLevel);
        this.bodies = bodies;
        this.bodyLimit = bodyLimit;
    }

    static int rank(String level) {
        int i = LEVELS.indexOf(level == null ? "" : level.toUpperCase(Locale.ROOT));
        return i < 0 ? LEVELS.indexOf("INFO") : i;
    }

    public void print() {
        for (JsonNode s : each("spans")) {
            spans.put(Format.text(s, "spanId"), s);
        }
        for (JsonNode s : spans.values()) {
            String parent = Format.text(s, "parentSpanId");
            if (!parent.isEmpty() && spans.containsKey(parent) && !parent.equals(Format.text(s, "spanId"))) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
            } else {
                roots.add(s);
            }
        }
        for (JsonNode m : each("messages")) {
            messages.computeIfAbsent(owner(m), k -> new ArrayList<>()).add(m);
        }
        for (JsonNode l : each("logs")) {
            if (rank(Format.text(l, "level")) >= minLevel) {
                logs.computeIfAbsent(owner(l), k -> new ArrayList<>()).add(l);
            }
        }
        header();
        for (JsonNode root : roots) {
            span(root, 0);
        }
        for (JsonNode s : spans.values()) { // spans in a parent cycle: none of them is a root
            if (!printed.contains(Format.text(s, "spanId"))) {
                span(s, 0);
            }
        }
        List<JsonNode> looseMessages = messages.getOrDefault("", List.of());
        List<JsonNode> looseLogs = logs.getOrDefault("", List.of());
        if (!looseMessages.isEmpty() || !looseLogs.isEmpty()) {
            out.println(style.dim("(no span)"));
            records("", 1);
        }
        out.flush();
    }

    /** The span a record belongs to, or "" when it names none or one not in the trace. */
    private String owner(JsonNode record) {
        String spanId = Format.text(record, "spanId");
        return spans.containsKey(spanId) ? spanId : "";
    }

    private Iterable<JsonNode> each(String field) {
        JsonNode a = trace.get(field);
        return a != null && a.isArray() ? a : List.of();
    }

    private void header() {
        String status = Format.text(trace, "status");
        out.println(style.bold("Trace " + Format.text(trace, "traceId")) + "  " + style.status(status)
                + (trace.path("complete").asBoolean(true) ? "" : style.yellow("  (still collecting)")));
        List<String> facts = new ArrayList<>();
        if (!Format.text(trace, "name").isEmpty()) {
            facts.add(Format.text(trace, "name"));
        }
        facts.add("started " + Format.time(Format.text(trace, "startedAt")));
        if (trace.hasNonNull("durationMs")) {
            facts.add(Format.ms(trace.get("durationMs").asDouble()));
        }
        String services = Format.join(trace.get("services"));
        if (!services.isEmpty()) {
            facts.add("services " + services);
        }
        out.println(String.join("  ·  ", facts));
        if (!Format.text(trace, "triggerReason").isEmpty()) {
            out.println("trigger: " + Format.text(trace, "triggerKind") + " " + Format.text(trace, "triggerReason")
                    + (Format.text(trace, "triggerService").isEmpty() ? "" : " (" + Format.text(trace, "triggerService") + ")"));
        }
        out.println();
    }

    private void span(JsonNode s, int depth) {
        if (!printed.add(Format.text(s, "spanId"))) {
            return;
        }
        String status = Format.text(s, "status");
        String duration = s.hasNonNull("endUs") && s.hasNonNull("startUs")
                ? Format.ms((s.get("endUs").asLong() - s.get("startUs").asLong()) / 1000.0) : "unfinished";
        String name = Format.text(s, "name");
        String line = indent(depth) + ("failed".equals(status) ? style.red(name) : style.bold(name))
                + "  " + style.dim("[" + Format.text(s, "service") + "]") + "  " + duration + "  " + style.status(status);
        out.println(line);
        JsonNode error = s.get("error");
        if (error != null && error.isObject()) {
            error(error, depth + 1);
        }
        String id = Format.text(s, "spanId");
        records(id, depth + 1);
        for (JsonNode child : children.getOrDefault(id, List.of())) {
            span(child, depth + 1);
        }
    }

    private void records(String spanId, int depth) {
        for (JsonNode m : messages.getOrDefault(spanId, List.of())) {
            exchange(m, depth);
        }
        for (JsonNode l : logs.getOrDefault(spanId, List.of())) {
            log(l, depth);
        }
    }

    private void exchange(JsonNode m, int depth) {
        String direction = Format.text(m, "direction");
        int status = m.path("status").asInt(0);
        String statusText = status == 0 ? "no response" : Integer.toString(status);
        String coloured = status >= 500 || status == 0 ? style.red(statusText)
                : status >= 400 ? style.yellow(statusText) : statusText;
        String duration = m.hasNonNull("durationUs") ? Format.ms(m.get("durationUs").asLong() / 1000.0) : "";
        out.println(indent(depth) + ("inbound".equals(direction) ? "← " : "→ ") + direction + " "
                + Format.text(m, "method") + " " + Format.text(m, "url") + "  " + coloured + "  " + duration
                + (m.hasNonNull("error") && !m.get("error").isObject() ? "  " + style.red(m.get("error").asText()) : ""));
        if (m.hasNonNull("error") && m.get("error").isObject()) {
            error(m.get("error"), depth + 1);
        }
        if (bodies) {
            body(m, "request", depth + 1);
            body(m, "response", depth + 1);
        }
    }

    private void body(JsonNode m, String which, int depth) {
        String body = Format.text(m, which + "Body");
        if (body.isEmpty()) {
            return;
        }
        String encoding = Format.text(m, which + "BodyEncoding");
        long size = m.path(which + "BodySize").asLong(body.length());
        String prefix = indent(depth) + style.dim(which + " body: ");
        if ("base64".equals(encoding)) {
            out.println(prefix + "(" + size + " bytes, binary)");
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String shown = body;
        boolean cut = m.path(which + "BodyTruncated").asBoolean(false);
        if (bytes.length > bodyLimit) {
            shown = truncate(body, bodyLimit);
            cut = true;
        }
        String pad = indent(depth) + "  ";
        out.println(prefix + shown.replace("\r\n", "\n").replace("\n", "\n" + pad)
                + (cut ? style.dim(" … (truncated; " + size + " bytes)") : ""));
    }

    /** The longest prefix of {@code s} of at most {@code limit} UTF-8 bytes. */
    static String truncate(String s, int limit) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > limit) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private void log(JsonNode l, int depth) {
        String level = Format.text(l, "level");
        out.println(indent(depth) + style.status(String.format(Locale.ROOT, "%-5s", level).strip())
                + " ".repeat(Math.max(0, 5 - level.length())) + " " + style.dim(Format.text(l, "logger")) + "  "
                + Format.text(l, "message"));
        JsonNode error = l.get("error");
        if (error != null && error.isObject()) {
            error(error, depth + 1);
        }
    }

    private void error(JsonNode error, int depth) {
        String message = Format.text(error, "message");
        out.println(indent(depth) + style.red(Format.text(error, "type") + (message.isEmpty() ? "" : ": " + message)));
        String stack = Format.text(error, "stack");
        if (!stack.isEmpty()) {
            String[] lines = stack.split("\r?\n");
            int shown = 0;
            for (String line : lines) {
                if (line.isBlank() || line.strip().startsWith(Format.text(error, "type"))) {
                    continue; // the header above says it
                }
                if (shown++ == STACK_LINES) {
                    out.println(indent(depth + 1) + style.dim("…"));
                    break;
                }
                out.println(indent(depth + 1) + style.dim(line.strip()));
            }
        }
    }

    private static String indent(int depth) {
        return "  ".repeat(depth);
    }
}
