package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The TUI's state and key dispatcher, free of any terminal: a stack of views (the groups, a
 * group, a trace), a prompt or triage menu when one is open, the help overlay, and the status
 * bar. {@link #render} draws a {@link Screen} of any size from it; {@link #handle} applies a key.
 * Layout: title bar, the view, the help line, the status bar (collector, namespace, last error).
 */
public final class Tui {
    /** The longest query the API takes. */
    static final int MAX_QUERY = 200;

    private final Session session;
    private final Deque<View> views = new ArrayDeque<>();
    private boolean help;
    private String promptLabel;
    private StringBuilder promptText;
    private Consumer<String> promptDone;
    private boolean triage;

    public Tui(CollectorApi api) {
        this.session = new Session(api);
        views.push(new GroupsView(session));
    }

    /** Reads the namespaces, services and groups. */
    public void start() {
        session.connect();
        views.peek().load();
    }

    /** Applies a key; false when the TUI is done (q on the dashboard, Ctrl-C). */
    public boolean handle(Key key) {
        try {
            return dispatch(key);
        } catch (RuntimeException e) { // a fault of ours must not leave the terminal raw: report it, go on
            session.fail("unexpected failure: " + e);
            return true;
        }
    }

    private boolean dispatch(Key key) {
        if (key.is(Key.Kind.CTRL_C)) {
            return false;
        }
        if (help) {
            help = false;
            return true;
        }
        if (promptText != null) {
            prompt(key);
            return true;
        }
        if (triage) {
            triage = false;
            triage(key);
            return true;
        }
        View view = views.peek();
        if (view.handle(key, this)) {
            return true;
        }
        if (key.is('?')) {
            help = true;
        } else if (key.is('t')) {
            if (view.triageTarget() == null) {
                session.report("nothing to triage here");
            } else {
                triage = true;
            }
        } else if (key.is('q') || key.is(Key.Kind.ESC)) {
            if (views.size() > 1) {
                views.pop();
            } else if (key.is('q')) {
                return false;
            } else { // a stray Esc (or a torn escape sequence) must not end the TUI
                session.report("q quits");
            }
        }
        return true;
    }

    void open(View view) {
        views.push(view);
        view.load();
    }

    /** Shows a view whose data is already there (a trace read elsewhere). */
    void show(View view) {
        views.push(view);
    }

    /** Opens a one-line prompt in the help line; {@code done} gets the text on Enter. */
    void prompt(String label, String initial, Consumer<String> done) {
        promptLabel = label;
        promptText = new StringBuilder(initial);
        promptDone = done;
    }

    private void prompt(Key key) {
        switch (key.kind()) {
            case ENTER:
                String text = promptText.toString();
                promptText = null;
                promptDone.accept(text);
                break;
            case ESC:
                promptText = null;
                break;
            case BACKSPACE:
                if (promptText.length() > 0) {
                    promptText.setLength(promptText.offsetByCodePoints(promptText.length(), -1));
                }
                break;
            case CHAR:
                if (promptText.length() < MAX_QUERY) {
                    promptText.append(key.ch());
                } else {
                    session.report("a query has at most " + MAX_QUERY + " characters");
                }
                break;
            default:
                break;
        }
    }

    private void triage(Key key) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        char c = key.kind() == Key.Kind.CHAR ? key.ch() : '\0';
        switch (c) {
            case 'o':
                body.put("level", "ok");
                break;
            case 'w':
                body.put("level", "warn");
                break;
            case 'a':
                body.put("level", "alert");
                break;
            case 'n':
                body.put("level", "none");
                break;
            case 'c':
                body.put("mark", "crash");
                break;
            case 's':
                body.put("mark", "silenced");
                break;
            case 'u':
                body.put("mark", "none");
                break;
            case '.':
                break; // PUT {}: acknowledges the group's traces so far
            default:
                session.report("triage cancelled");
                return;
        }
        String fingerprint = views.peek().triageTarget();
        JsonNode g = session.put("/api/groups/" + fingerprint + "/triage", body);
        if (g != null) {
            for (View v : views) {
                v.triaged(g);
            }
            session.report("triaged " + fingerprint + ": level " + g.path("triage").path("level").asText()
                    + ", mark " + g.path("triage").path("mark").asText());
        }
    }

    /** The view on top (tests look at its state). */
    View view() {
        return views.peek();
    }

    Session session() {
        return session;
    }

    /** Draws the whole screen for a terminal of {@code width} × {@code height}. */
    public Screen render(int width, int height) {
        Screen s = new Screen(width, height);
        if (height <= 0 || width <= 0) {
            return s;
        }
        int status = height - 1;
        int helpLine = height >= 2 ? height - 2 : -1;
        int title = height >= 3 ? 0 : -1;
        int top = title + 1;
        int body = Math.max(0, (helpLine < 0 ? status : helpLine) - top);
        View view = views.peek();
        if (title >= 0) {
            s.fill(title, Screen.Attr.BAR);
            s.put(title, 0, " " + view.title(), Screen.Attr.BAR);
        }
        if (body > 0) {
            view.render(s, top, body);
            if (help) {
                overlay(s, top, body, view.help());
            }
        }
        if (helpLine >= 0) {
            if (promptText != null) {
                int end = s.put(helpLine, 0, " " + promptLabel + ": " + promptText, Screen.Attr.BOLD);
                s.put(helpLine, end, "█", Screen.Attr.NORMAL);
                s.put(helpLine, end + 2, "(Enter applies, Esc cancels)", Screen.Attr.DIM);
            } else if (triage) {
                s.put(helpLine, 0, " triage " + view.triageTarget()
                        + ": o ok  w warn  a alert  n none  c crash  s silence  u unmark  . acknowledge  other: cancel",
                        Screen.Attr.BOLD);
            } else {
                s.put(helpLine, 0, " " + view.keys(), Screen.Attr.DIM);
            }
        }
        s.fill(status, session.error() ? Screen.Attr.RED : Screen.Attr.BAR);
        s.put(status, 0, " " + session.base() + " · namespace " + (session.namespace().isEmpty() ? "?" : session.namespace())
                + (session.message().isEmpty() ? "" : " · " + session.message()),
                session.error() ? Screen.Attr.RED : Screen.Attr.BAR);
        return s;
    }

    private static void overlay(Screen s, int top, int height, String[][] keys) {
        int keyWidth = 0;
        for (String[] k : keys) {
            keyWidth = Math.max(keyWidth, k[0].length());
        }
        s.fill(top, Screen.Attr.BOLD);
        s.put(top, 1, "Keys (any key closes this)", Screen.Attr.BOLD);
        for (int i = 0; i < keys.length && i + 1 < height; i++) {
            s.fill(top + 1 + i, Screen.Attr.NORMAL);
            int col = s.put(top + 1 + i, 2, View.fit(keys[i][0], keyWidth), Screen.Attr.BOLD);
            s.put(top + 1 + i, col + 2, keys[i][1], Screen.Attr.NORMAL);
        }
        if (keys.length + 1 < height) {
            s.fill(top + keys.length + 1, Screen.Attr.NORMAL);
        }
    }
}
