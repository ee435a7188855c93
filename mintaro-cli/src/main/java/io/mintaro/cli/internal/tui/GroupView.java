package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.cli.internal.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One group: its triage and its traces, newest first ({@code /api/groups/{fingerprint}/traces}). */
final class GroupView extends View {
    private final Session session;
    private JsonNode group;
    private final String fingerprint;
    private final Table table = new Table(3, "STARTED", "STATUS", "DURATION", "NAME", "SERVICES");
    private final List<JsonNode> traces = new ArrayList<>();
    private long total;
    private int lastHeight = 10;

    GroupView(Session session, JsonNode group) {
        this.session = session;
        this.group = group;
        this.fingerprint = group.path("fingerprint").asText();
    }

    @Override
    String title() {
        return "Group " + fingerprint + "  " + group.path("name").asText("") + "  " + session.api().groupStatus(group)
                + " · " + session.api().groupCount(group) + "  (" + traces.size()
                + (total > traces.size() ? " of " + total : "") + " traces)";
    }

    @Override
    String keys() {
        return "↑↓ move  Enter open trace  t triage  r reload  ? help  q back";
    }

    @Override
    String[][] help() {
        return new String[][] {{"↑ ↓ PgUp PgDn Home End", "move"}, {"Enter", "open the trace"},
                {"t", "triage the group: o ok, w warn, a alert, n none, c crash, s silence, u unmark, . acknowledge"},
                {"r", "reload"}, {"?", "this help"}, {"q Esc", "back to the groups"}};
    }

    @Override
    void load() {
        JsonNode r = session.get("/api/groups/" + fingerprint + "/traces", "pageSize", GroupsView.PAGE_SIZE);
        if (r == null) {
            return;
        }
        traces.clear();
        table.clear();
        r.path("traces").forEach(traces::add);
        total = r.path("total").asLong(traces.size());
        for (JsonNode t : traces) {
            String status = t.path("status").asText("");
            table.add("error".equals(status) ? Screen.Attr.RED : "slow".equals(status) ? Screen.Attr.YELLOW : Screen.Attr.NORMAL,
                    Format.time(t.path("startedAt").asText("")), status,
                    t.hasNonNull("durationMs") ? Format.ms(t.get("durationMs").asDouble()) : "",
                    t.path("name").asText(""), Format.join(t.get("services")));
        }
        table.cursor.move(0, traces.size(), Table.page(lastHeight));
    }

    @Override
    void render(Screen screen, int top, int height) {
        lastHeight = height;
        table.render(screen, top, height, "No stored traces (only counted occurrences).");
    }

    @Override
    boolean handle(Key key, Tui tui) {
        if (table.cursor.key(key, table.size(), Table.page(lastHeight))) {
            return true;
        }
        if (key.is(Key.Kind.ENTER)) {
            if (!traces.isEmpty()) {
                String id = traces.get(table.cursor.selected).path("traceId").asText();
                tui.open(new TraceView(session, id.toLowerCase(Locale.ROOT), fingerprint));
            }
            return true;
        }
        if (key.is('r')) {
            load();
            return true;
        }
        return false;
    }

    @Override
    String triageTarget() {
        return fingerprint;
    }

    @Override
    void triaged(JsonNode g) {
        group = g;
    }
}
