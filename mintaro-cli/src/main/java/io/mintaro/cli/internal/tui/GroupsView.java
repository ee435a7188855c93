package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import io.mintaro.cli.internal.Format;

/**
 * The dashboard: the error groups as {@code mintaro groups} lists them (Name, Status, Count, Last
 * seen), with the status and speed toggles, the query, and the namespace and service chosen.
 */
final class GroupsView extends View {
    static final String[] STATUSES = {"all", "error", "crash", "ok"};
    static final String[] SPEEDS = {"all", "slow", "fast"};
    /** The API's largest page. */
    static final int PAGE_SIZE = 200;

    private final Session session;
    private final Table table = new Table(0, "NAME", "STATUS", "COUNT", "LAST SEEN");
    private final List<JsonNode> groups = new ArrayList<>();
    private int status;
    private int speed;
    private String query = "";
    private long total;
    private int page = 1;

    GroupsView(Session session) {
        this.session = session;
    }

    String status() {
        return STATUSES[status];
    }

    String speed() {
        return SPEEDS[speed];
    }

    String query() {
        return query;
    }

    void query(String q) {
        query = q.strip();
    }

    List<JsonNode> groups() {
        return groups;
    }

    JsonNode selected() {
        return groups.isEmpty() ? null : groups.get(table.cursor.selected);
    }

    @Override
    String title() {
        String service = session.service() == null ? "all" : session.service();
        return "Groups  status " + status() + " · speed " + speed() + " · service " + service
                + (query.isEmpty() ? "" : " · query \"" + query + "\"") + "  (" + groups.size()
                + (total > groups.size() ? " of " + total : "") + ")";
    }

    @Override
    String keys() {
        return "↑↓ move  Enter open  s status  f speed  / query  v service  n namespace  t triage  r reload  ? help  q quit";
    }

    @Override
    String[][] help() {
        return new String[][] {{"↑ ↓ PgUp PgDn Home End", "move"}, {"Enter", "open the group's traces"},
                {"s", "status: all, error, crash, ok"}, {"f", "speed: all, slow, fast"},
                {"/", "query: text in the groups' traces (Enter applies, Esc cancels)"},
                {"v", "service (tag): all, then each service"}, {"n", "namespace: the next the key reads"},
                {"t", "triage the group: o ok, w warn, a alert, n none, c crash, s silence, u unmark, . acknowledge"},
                {"] [", "next / previous page of groups"}, {"r", "reload"}, {"?", "this help"}, {"q", "quit"}};
    }

    @Override
    void load() {
        JsonNode r = session.get("/api/groups", "status", status(), "speed", speed(),
                "service", session.service(), "q", query.isEmpty() ? null : query, "pageSize", PAGE_SIZE, "page", page);
        if (r == null) {
            return;
        }
        String keep = selected() == null ? null : selected().path("fingerprint").asText();
        groups.clear();
        table.clear();
        r.path("groups").forEach(groups::add);
        total = r.path("total").asLong(groups.size());
        int reselect = 0;
        for (int i = 0; i < groups.size(); i++) {
            JsonNode g = groups.get(i);
            String st = session.api().groupStatus(g);
            table.add(st.startsWith("error") || st.startsWith("crash") || st.contains("alert") ? Screen.Attr.RED
                            : st.startsWith("slow") || st.contains("warn") ? Screen.Attr.YELLOW : Screen.Attr.NORMAL,
                    g.path("name").asText(""), st, session.api().groupCount(g), Format.time(g.path("lastSeenAt").asText("")));
            if (g.path("fingerprint").asText().equals(keep)) {
                reselect = i;
            }
        }
        table.cursor.selected = reselect;
    }

    @Override
    void render(Screen screen, int top, int height) {
        lastHeight = height;
        table.render(screen, top, height, page > 1 ? "No groups on page " + page + "." : "No groups.");
    }

    private int lastHeight = 10;

    @Override
    boolean handle(Key key, Tui tui) {
        if (table.cursor.key(key, table.size(), Table.page(lastHeight))) {
            return true;
        }
        if (key.is(Key.Kind.ENTER)) {
            JsonNode g = selected();
            if (g != null) {
                tui.open(new GroupView(session, g));
            }
            return true;
        }
        if (key.is('s')) {
            status = (status + 1) % STATUSES.length;
        } else if (key.is('f')) {
            speed = (speed + 1) % SPEEDS.length;
        } else if (key.is('v')) {
            if (!session.nextService()) {
                return true;
            }
        } else if (key.is('n')) {
            if (!session.nextNamespace()) {
                return true;
            }
        } else if (key.is('/')) {
            tui.prompt("query", query, q -> {
                query(q);
                page = 1;
                table.cursor.selected = 0;
                load();
            });
            return true;
        } else if (key.is(']')) {
            if ((long) page * PAGE_SIZE >= total) {
                session.report("no more groups");
                return true;
            }
            page++;
        } else if (key.is('[')) {
            if (page == 1) {
                return true;
            }
            page--;
        } else if (!key.is('r')) {
            return false;
        }
        if (!key.is('r')) {
            table.cursor.selected = 0;
        }
        load();
        return true;
    }

    @Override
    String triageTarget() {
        JsonNode g = selected();
        return g == null ? null : g.path("fingerprint").asText(null);
    }

    @Override
    void triaged(JsonNode group) {
        load();
    }
}
