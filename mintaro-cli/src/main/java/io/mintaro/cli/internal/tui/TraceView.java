package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.cli.internal.Format;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One trace: the span tree above, the selected span's exchanges and logs below. ← parent,
 * → first child, ↑ ↓ siblings; PgUp/PgDn scroll the details; d i w e c toggle the log levels.
 */
final class TraceView extends View {
    private final Session session;
    private final String traceId;
    private final String fingerprint;
    private TraceModel model;
    /** The selected node, and the first place of the tree order shown. */
    private int node;
    private int treeTop;
    private final Set<TraceModel.Level> levels = EnumSet.allOf(TraceModel.Level.class);
    private List<TraceModel.Line> details = List.of();
    private int detailsTop;
    private int treeHeight = 5;
    private int detailsHeight = 5;

    TraceView(Session session, String traceId, String fingerprint) {
        this.session = session;
        this.traceId = traceId;
        this.fingerprint = fingerprint;
    }

    /** A view of a trace already read (tests, and large traces built in memory). */
    TraceView(Session session, JsonNode trace, String fingerprint) {
        this(session, trace.path("traceId").asText(), fingerprint);
        show(trace);
    }

    @Override
    String title() {
        StringBuilder b = new StringBuilder("Trace ").append(traceId);
        if (model != null) {
            JsonNode t = model.trace;
            b.append("  ").append(t.path("status").asText("")).append("  ").append(t.path("name").asText(""));
            if (t.hasNonNull("durationMs")) {
                b.append("  ").append(Format.ms(t.get("durationMs").asDouble()));
            }
            b.append("  ").append(Format.join(t.get("services")));
            b.append("  levels ");
            for (TraceModel.Level l : TraceModel.Level.values()) {
                b.append(levels.contains(l) ? Character.toUpperCase(l.key) : '-');
            }
        }
        return b.toString();
    }

    @Override
    String keys() {
        return "←→↑↓ parent/child/sibling  PgUp PgDn details  d i w e c levels" + (fingerprint == null ? "" : "  t triage")
                + "  ? help  q back";
    }

    @Override
    String[][] help() {
        return new String[][] {{"←", "parent span"}, {"→", "first child span"}, {"↑ ↓", "previous / next sibling"},
                {"j k  Home End", "next / previous span in tree order, first / last"},
                {"PgUp PgDn Space", "scroll the span's exchanges and logs"}, {"g G", "top / bottom of the details"},
                {"d i w e c", "show/hide Debug (and Trace), Info, Warning, Error, Critical (ERROR with an exception)"},
                {"t", "triage the trace's group"}, {"r", "reload"}, {"?", "this help"}, {"q Esc", "back"}};
    }

    @Override
    void load() {
        JsonNode t = session.get("/api/traces/" + traceId);
        if (t != null) {
            show(t);
        }
    }

    private void show(JsonNode trace) {
        model = new TraceModel(trace);
        node = model.size() == 0 ? 0 : model.at(0);
        treeTop = 0;
        refreshDetails();
    }

    private void refreshDetails() {
        details = model == null || model.size() == 0 ? List.of() : model.details(node, levels);
        detailsTop = 0;
    }

    int selectedNode() {
        return node;
    }

    TraceModel model() {
        return model;
    }

    @Override
    void render(Screen screen, int top, int height) {
        if (model == null) {
            screen.put(top, 1, "Trace " + traceId + " could not be read (see the status bar); r reads it again.",
                    Screen.Attr.DIM);
            return;
        }
        if (model.size() == 0) {
            screen.put(top, 1, "No spans, exchanges or logs in this trace yet.", Screen.Attr.DIM);
            return;
        }
        boolean split = height >= 4;
        treeHeight = split ? Math.max(1, Math.min(model.size(), (height - 1) * 2 / 5)) : height;
        detailsHeight = split ? height - treeHeight - 1 : 0;
        renderTree(screen, top, treeHeight);
        if (split) {
            int rule = top + treeHeight;
            String counts = details.isEmpty() ? "" : " " + (detailsTop + 1) + "-" + Math.min(details.size(),
                    detailsTop + detailsHeight) + " of " + details.size() + " ";
            screen.put(rule, 0, "─".repeat(Math.max(0, screen.width())), Screen.Attr.DIM);
            screen.put(rule, 2, counts, Screen.Attr.DIM);
            renderDetails(screen, rule + 1, detailsHeight);
        }
    }

    private void renderTree(Screen screen, int top, int height) {
        int pos = model.position(node);
        if (pos < treeTop) {
            treeTop = pos;
        } else if (pos >= treeTop + height) {
            treeTop = pos - height + 1;
        }
        int maxIndent = Math.max(0, screen.width() / 2);
        for (int r = 0; r < height && treeTop + r < model.size(); r++) {
            int n = model.at(treeTop + r);
            boolean selected = n == node;
            Screen.Attr attr = selected ? Screen.Attr.SELECTED : model.failed(n) ? Screen.Attr.RED : Screen.Attr.NORMAL;
            if (selected) {
                screen.fill(top + r, attr);
            }
            int indent = 2 * model.depth(n);
            int col = 1;
            if (indent > maxIndent) { // a deep chain: say how deep instead of indenting off screen
                col = screen.put(top + r, col, "…" + model.depth(n) + " ", attr);
                indent = maxIndent - (col - 1);
            }
            col += Math.max(0, indent);
            col = screen.put(top + r, col, model.children(n).isEmpty() ? "· " : "▾ ", attr);
            screen.put(top + r, col, model.label(n), attr);
        }
    }

    private void renderDetails(Screen screen, int top, int height) {
        detailsTop = Math.max(0, Math.min(detailsTop, details.size() - height));
        for (int r = 0; r < height && detailsTop + r < details.size(); r++) {
            TraceModel.Line line = details.get(detailsTop + r);
            screen.put(top + r, 1, line.text(), line.attr());
        }
    }

    @Override
    boolean handle(Key key, Tui tui) {
        if (model == null || model.size() == 0) {
            if (key.is('r')) {
                load();
                return true;
            }
            return false;
        }
        int before = node;
        switch (key.kind()) {
            case LEFT:
                if (model.parent(node) >= 0) {
                    node = model.parent(node);
                }
                break;
            case RIGHT:
                if (!model.children(node).isEmpty()) {
                    node = model.children(node).get(0);
                }
                break;
            case UP:
            case DOWN: {
                List<Integer> siblings = model.siblings(node);
                int i = model.siblingIndex(node) + (key.is(Key.Kind.UP) ? -1 : 1);
                if (i >= 0 && i < siblings.size()) {
                    node = siblings.get(i);
                }
                break;
            }
            case HOME:
                node = model.at(0);
                break;
            case END:
                node = model.at(model.size() - 1);
                break;
            case PAGE_DOWN:
                detailsTop += Math.max(1, detailsHeight - 1);
                return true;
            case PAGE_UP:
                detailsTop = Math.max(0, detailsTop - Math.max(1, detailsHeight - 1));
                return true;
            default:
                return character(key);
        }
        if (node != before) {
            refreshDetails();
        }
        return true;
    }

    private boolean character(Key key) {
        if (key.kind() != Key.Kind.CHAR) {
            return false;
        }
        char c = key.ch();
        int pos = model.position(node);
        switch (c) {
            case 'j':
                node = model.at(Math.min(model.size() - 1, pos + 1));
                refreshDetails();
                return true;
            case 'k':
                node = model.at(Math.max(0, pos - 1));
                refreshDetails();
                return true;
            case ' ':
                detailsTop += Math.max(1, detailsHeight - 1);
                return true;
            case 'g':
                detailsTop = 0;
                return true;
            case 'G':
                detailsTop = Math.max(0, details.size() - detailsHeight);
                return true;
            case 'r':
                load();
                return true;
            default:
                for (TraceModel.Level l : TraceModel.Level.values()) {
                    if (l.key == c) {
                        if (!levels.remove(l)) {
                            levels.add(l);
                        }
                        int keep = detailsTop;
                        refreshDetails();
                        detailsTop = keep;
                        return true;
                    }
                }
                return false;
        }
    }

    @Override
    String triageTarget() {
        return fingerprint;
    }
}
