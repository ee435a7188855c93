package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A trace of {@code GET /api/traces/{traceId}} as a navigable tree, built once in linear time:
 * each span's parent, children, sibling position and depth, the spans in tree order (each under
 * its parent, as {@code mintaro trace} prints them), and each span's exchanges and logs. Spans whose
 * parent is not in the trace are roots; spans caught in a parent cycle are roots too. Records of no
 * known span belong to a last node, "(no span)".
 */
final class TraceModel {
    /**
     * The levels the TUI toggles. The SDK's levels are TRACE, DEBUG, INFO, WARN and ERROR: TRACE
     * shows as DEBUG, and an ERROR line that carries an exception is CRITICAL.
     */
    enum Level {
        DEBUG('d'), INFO('i'), WARNING('w'), ERROR('e'), CRITICAL('c');

        final char key;

        Level(char key) {
            this.key = key;
        }

        static Level of(JsonNode log) {
            String level = log.path("level").asText("").toUpperCase(Locale.ROOT);
            switch (level) {
                case "TRACE":
                case "DEBUG":
                    return DEBUG;
                case "WARN":
                case "WARNING":
                    return WARNING;
                case "ERROR":
                    JsonNode error = log.get("error");
                    return error != null && error.isObject() ? CRITICAL : ERROR;
                default:
                    return INFO;
            }
        }
    }

    final JsonNode trace;
    /** Span nodes, then the "(no span)" node when there are loose records. */
    private final List<JsonNode> spans = new ArrayList<>();
    private final int[] parent;
    private final int[] depth;
    private final int[] siblingIndex;
    private final List<List<Integer>> children = new ArrayList<>();
    private final List<List<JsonNode>> messages = new ArrayList<>();
    private final List<List<JsonNode>> logs = new ArrayList<>();
    /** Nodes in tree order, and each node's place in it. */
    private final int[] order;
    private final int[] position;
    private final List<Integer> roots = new ArrayList<>();
    private final boolean loose;

    TraceModel(JsonNode trace) {
        this.trace = trace;
        Map<String, Integer> index = new HashMap<>();
        for (JsonNode s : array(trace, "spans")) {
            String id = s.path("spanId").asText("");
            if (index.putIfAbsent(id, spans.size()) == null) {
                spans.add(s);
            }
        }
        int spanCount = spans.size();
        List<JsonNode> looseMessages = new ArrayList<>();
        List<JsonNode> looseLogs = new ArrayList<>();
        for (int i = 0; i < spanCount; i++) {
            children.add(new ArrayList<>());
            messages.add(new ArrayList<>());
            logs.add(new ArrayList<>());
        }
        for (JsonNode m : array(trace, "messages")) {
            Integer owner = index.get(m.path("spanId").asText(""));
            (owner == null ? looseMessages : messages.get(owner)).add(m);
        }
        for (JsonNode l : array(trace, "logs")) {
            Integer owner = index.get(l.path("spanId").asText(""));
            (owner == null ? looseLogs : logs.get(owner)).add(l);
        }
        loose = !looseMessages.isEmpty() || !looseLogs.isEmpty();
        int n = spanCount + (loose ? 1 : 0);
        if (loose) {
            spans.add(null);
            children.add(new ArrayList<>());
            messages.add(looseMessages);
            logs.add(looseLogs);
        }
        parent = new int[n];
        depth = new int[n];
        siblingIndex = new int[n];
        for (int i = 0; i < spanCount; i++) {
            String p = spans.get(i).path("parentSpanId").asText("");
            Integer pi = p.isEmpty() ? null : index.get(p);
            parent[i] = pi == null || pi == i ? -1 : pi;
        }
        if (loose) {
            parent[spanCount] = -1;
        }
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                children.get(parent[i]).add(i);
            }
        }
        order = new int[n];
        position = new int[n];
        java.util.Arrays.fill(position, -1);
        int placed = 0;
        for (int i = 0; i < spanCount; i++) {
            if (parent[i] < 0) {
                placed = walk(i, placed);
            }
        }
        for (int i = 0; i < spanCount; i++) { // spans in a parent cycle: none is a root
            if (position[i] < 0) {
                if (parent[i] >= 0) {
                    List<Integer> siblings = children.get(parent[i]);
                    siblings.remove(Integer.valueOf(i));
                    parent[i] = -1;
                }
                placed = walk(i, placed);
            }
        }
        if (loose) {
            placed = walk(spanCount, placed);
        }
        for (int i = 0; i < n; i++) {
            List<Integer> c = children.get(i);
            for (int k = 0; k < c.size(); k++) {
                siblingIndex[c.get(k)] = k;
            }
        }
        for (int k = 0; k < roots.size(); k++) {
            siblingIndex[roots.get(k)] = k;
        }
    }

    /** Places {@code root}'s subtree in tree order, without recursion: a chain of 5,000 spans is fine. */
    private int walk(int root, int placed) {
        roots.add(root);
        Deque<int[]> stack = new ArrayDeque<>();
        stack.push(new int[] {root, 0});
        depth[root] = 0;
        order[placed] = root;
        position[root] = placed++;
        while (!stack.isEmpty()) {
            int[] top = stack.peek();
            List<Integer> c = children.get(top[0]);
            if (top[1] >= c.size()) {
                stack.pop();
                continue;
            }
            int child = c.get(top[1]++);
            if (position[child] >= 0) {
                continue;
            }
            depth[child] = depth[top[0]] + 1;
            order[placed] = child;
            position[child] = placed++;
            stack.push(new int[] {child, 0});
        }
        return placed;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode a = node == null ? null : node.get(field);
        return a != null && a.isArray() ? a : List.of();
    }

    int size() {
        return order.length;
    }

    /** The node at place {@code i} of the tree order. */
    int at(int i) {
        return order[i];
    }

    int position(int node) {
        return position[node];
    }

    int depth(int node) {
        return depth[node];
    }

    int parent(int node) {
        return parent[node];
    }

    List<Integer> children(int node) {
        return children.get(node);
    }

    /** The node's siblings (the roots for a root), itself included. */
    List<Integer> siblings(int node) {
        return parent[node] < 0 ? roots : children.get(parent[node]);
    }

    int siblingIndex(int node) {
        return siblingIndex[node];
    }

    /** The span, or null for the "(no span)" node. */
    JsonNode span(int node) {
        return spans.get(node);
    }

    List<JsonNode> messages(int node) {
        return messages.get(node);
    }

    List<JsonNode> logs(int node) {
        return logs.get(node);
    }

    /** One line of the tree: name, service, duration, status. */
    String label(int node) {
        JsonNode s = spans.get(node);
        if (s == null) {
            return "(no span)";
        }
        return s.path("name").asText("") + "  [" + s.path("service").asText("") + "]  " + duration(s) + "  "
                + s.path("status").asText("");
    }

    boolean failed(int node) {
        JsonNode s = spans.get(node);
        return s != null && "failed".equals(s.path("status").asText());
    }

    static String duration(JsonNode s) {
        return s.hasNonNull("endUs") && s.hasNonNull("startUs")
                ? String.format(Locale.ROOT, "%.1f ms", (s.get("endUs").asLong() - s.get("startUs").asLong()) / 1000.0)
                : "unfinished";
    }

    /** A line of the details pane. */
    record Line(String text, Screen.Attr attr) {
    }

    /**
     * The node's details: the span, its error, its exchanges and its log lines of the levels
     * shown. Linear in the node's records; built when the selection or the levels change.
     */
    List<Line> details(int node, Set<Level> shown) {
        List<Line> out = new ArrayList<>();
        JsonNode s = spans.get(node);
        if (s != null) {
            out.add(new Line(s.path("name").asText("") + "  " + s.path("kind").asText("") + "  [" + s.path("service").asText("")
                    + "]  " + duration(s) + "  " + s.path("status").asText(""), failed(node) ? Screen.Attr.RED : Screen.Attr.BOLD));
            out.add(new Line("span " + s.path("spanId").asText("") + (s.path("parentSpanId").isTextual()
                    ? "  parent " + s.path("parentSpanId").asText() : ""), Screen.Attr.DIM));
            error(s.get("error"), "  ", out);
            for (JsonNode e : array(s, "events")) {
                out.add(new Line("  event " + e.path("name").asText(""), Screen.Attr.DIM));
            }
        } else {
            out.add(new Line("(no span): records of no span of this trace", Screen.Attr.DIM));
        }
        List<JsonNode> ms = messages.get(node);
        List<JsonNode> ls = logs.get(node);
        out.add(new Line("exchanges " + ms.size(), Screen.Attr.CYAN));
        for (JsonNode m : ms) {
            int status = m.path("status").asInt(0);
            String statusText = status == 0 ? "no response" : Integer.toString(status);
            Screen.Attr attr = status >= 500 || status == 0 ? Screen.Attr.RED : status >= 400 ? Screen.Attr.YELLOW
                    : Screen.Attr.NORMAL;
            String duration = m.hasNonNull("durationUs")
                    ? String.format(Locale.ROOT, "  %.1f ms", m.get("durationUs").asLong() / 1000.0) : "";
            out.add(new Line(("inbound".equals(m.path("direction").asText()) ? "← " : "→ ") + m.path("direction").asText("")
                    + " " + m.path("method").asText("") + " " + m.path("url").asText("") + "  " + statusText + duration, attr));
            JsonNode error = m.get("error");
            if (error != null && error.isTextual()) {
                out.add(new Line("    " + error.asText(), Screen.Attr.RED));
            } else {
                error(error, "    ", out);
            }
        }
        int shownLogs = 0;
        int lineOfLogs = out.size();
        out.add(null);
        for (JsonNode l : ls) {
            Level level = Level.of(l);
            if (!shown.contains(level)) {
                continue;
            }
            shownLogs++;
            Screen.Attr attr = level == Level.CRITICAL || level == Level.ERROR ? Screen.Attr.RED
                    : level == Level.WARNING ? Screen.Attr.YELLOW : level == Level.DEBUG ? Screen.Attr.DIM : Screen.Attr.NORMAL;
            String message = l.path("message").asText("");
            String[] parts = message.split("\r?\n", -1);
            StringBuilder b = new StringBuilder(96);
            clock(l.path("timeUs").asLong(0), b);
            b.append(' ').append(level.name()).append(" ".repeat(9 - level.name().length()))
                    .append(l.path("logger").asText("")).append("  ").append(parts[0]);
            out.add(new Line(b.toString(), attr));
            for (int i = 1; i < parts.length; i++) {
                out.add(new Line(CONTINUATION + parts[i], attr));
            }
            error(l.get("error"), "    ", out);
        }
        out.set(lineOfLogs, new Line("logs " + shownLogs + (shownLogs == ls.size() ? "" : " of " + ls.size()),
                Screen.Attr.CYAN));
        return out;
    }

    /** Where a log line's second and later lines start: under its message's level. */
    private static final String CONTINUATION = " ".repeat(13);

    /** {@code timeUs} (epoch microseconds) as the UTC time of day {@code HH:mm:ss.SSS}; blanks when 0. */
    static void clock(long timeUs, StringBuilder b) {
        if (timeUs <= 0) {
            b.append(" ".repeat(12));
            return;
        }
        long ms = Math.floorMod(timeUs / 1000, 86_400_000L);
        two(ms / 3_600_000, b.append(""));
        two(ms / 60_000 % 60, b.append(':'));
        two(ms / 1000 % 60, b.append(':'));
        long milli = ms % 1000;
        b.append('.').append(milli < 100 ? milli < 10 ? "00" : "0" : "").append(milli);
    }

    private static void two(long v, StringBuilder b) {
        b.append(v < 10 ? "0" : "").append(v);
    }

    private static void error(JsonNode error, String indent, List<Line> out) {
        if (error == null || !error.isObject()) {
            return;
        }
        String message = error.path("message").asText("");
        out.add(new Line(indent + error.path("type").asText("") + (message.isEmpty() ? "" : ": " + message), Screen.Attr.RED));
        String stack = error.path("stack").asText("");
        for (String line : stack.isEmpty() ? new String[0] : stack.split("\r?\n")) {
            if (!line.isBlank()) {
                out.add(new Line(indent + "  " + line.strip(), Screen.Attr.DIM));
            }
        }
    }

    /** The levels all shown. */
    static Set<Level> allLevels() {
        return EnumSet.allOf(Level.class);
    }
}
