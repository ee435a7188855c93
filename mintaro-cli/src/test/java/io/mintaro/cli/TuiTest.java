package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.cli.internal.TuiCommand;
import io.mintaro.cli.internal.tui.Key;
import io.mintaro.cli.internal.tui.Screen;
import io.mintaro.cli.internal.tui.Tui;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TUI's state and screens against a real collector holding real traces, through keys and
 * the text of the screens it draws (a virtual screen of 120 × 40): the dashboard and its toggles,
 * opening a group and a trace, the span tree, log levels, triage, errors in the status bar.
 */
class TuiTest {
    @TempDir
    Path dir;
    RealCollector c;
    Tui tui;

    @BeforeEach
    void start() {
        c = new RealCollector(dir);
        TuiTraces.store(c);
        tui = new Tui(TuiCommand.collectorApi(c.url(), RealCollector.KEY, Duration.ofSeconds(5)));
        tui.start();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    List<String> screen() {
        return tui.render(120, 40).lines();
    }

    String text() {
        return String.join("\n", screen());
    }

    /** The highlighted row's text. */
    String selected() {
        Screen s = tui.render(120, 40);
        for (int r = 0; r < s.height(); r++) {
            if (s.attr(r, 119) == Screen.Attr.SELECTED) {
                return s.line(r).strip();
            }
        }
        return null;
    }

    void keys(Object... keys) {
        for (Object k : keys) {
            if (k instanceof Key.Kind) {
                assertThat(tui.handle(Key.of((Key.Kind) k))).isTrue();
            } else {
                for (char ch : k.toString().toCharArray()) {
                    assertThat(tui.handle(Key.of(ch))).isTrue();
                }
            }
        }
    }

    String fingerprint(String groupName) {
        for (var g : c.api("/api/groups?silenced=show").get("groups")) {
            if (g.get("name").asText().equals(groupName)) {
                return g.get("fingerprint").asText();
            }
        }
        throw new AssertionError("no group " + groupName);
    }

    @Test
    void theDashboardListsTheGroupsWithNameStatusCountAndLastSeen() {
        List<String> lines = screen();
        assertThat(lines.get(0)).contains("Groups").contains("status all").contains("speed all").contains("service all");
        assertThat(lines.get(1)).containsSubsequence("NAME", "STATUS", "COUNT", "LAST SEEN");
        assertThat(lines.get(2)).contains(TuiTraces.ERROR_GROUP).contains("error").contains(" 1 ");
        assertThat(lines.get(3)).contains(TuiTraces.SLOW_GROUP).contains("slow");
        String lastSeen = c.api("/api/groups").get("groups").get(0).get("lastSeenAt").asText();
        assertThat(lines.get(2)).contains(lastSeen.substring(0, 10) + " " + lastSeen.substring(11, 19));
        assertThat(selected()).startsWith(TuiTraces.ERROR_GROUP);
        assertThat(lines.get(39)).contains(c.url()).contains("namespace default");
        assertThat(lines.get(38)).contains("Enter open").contains("q quit");
    }

    @Test
    void theStatusAndSpeedTogglesCycleAndFilterTheGroups() {
        keys("s");
        assertThat(text()).contains("status error").contains(TuiTraces.ERROR_GROUP).doesNotContain(TuiTraces.SLOW_GROUP);
        keys("s");
        assertThat(text()).contains("status crash").contains("No groups.").doesNotContain(TuiTraces.ERROR_GROUP);
        keys("s");
        assertThat(text()).contains("status ok").contains(TuiTraces.SLOW_GROUP).doesNotContain(TuiTraces.ERROR_GROUP);
        keys("s", "f");
        assertThat(text()).contains("status all").contains("speed slow").contains(TuiTraces.SLOW_GROUP)
                .doesNotContain(TuiTraces.ERROR_GROUP);
        keys("f");
        assertThat(text()).contains("speed fast").contains(TuiTraces.ERROR_GROUP).doesNotContain(TuiTraces.SLOW_GROUP);
        keys("f");
        assertThat(text()).contains("speed all").contains(TuiTraces.ERROR_GROUP).contains(TuiTraces.SLOW_GROUP);
    }

    @Test
    void theQueryIsTypedInAPromptAndAppliedOnEnter() {
        keys("/", "declined");
        assertThat(screen().get(38)).contains("query: declined");
        assertThat(text()).contains(TuiTraces.SLOW_GROUP); // not applied yet
        keys(Key.Kind.ENTER);
        assertThat(screen().get(0)).contains("query \"declined\"");
        assertThat(text()).contains(TuiTraces.ERROR_GROUP).doesNotContain(TuiTraces.SLOW_GROUP);
        keys("/", Key.Kind.BACKSPACE, Key.Kind.BACKSPACE, Key.Kind.ESC); // Esc: nothing changes
        assertThat(screen().get(0)).contains("query \"declined\"");
        keys("/");
        for (int i = 0; i < "declined".length(); i++) {
            keys(Key.Kind.BACKSPACE);
        }
        keys(Key.Kind.BACKSPACE, Key.Kind.ENTER); // one more than there is: harmless
        assertThat(text()).doesNotContain("query \"").contains(TuiTraces.ERROR_GROUP).contains(TuiTraces.SLOW_GROUP);
        keys("/", "no such text anywhere", Key.Kind.ENTER);
        assertThat(text()).contains("No groups.");
    }

    @Test
    void theServiceKeyCyclesThroughTheServicesAndTheNamespaceIsTheKeys() {
        keys("v");
        assertThat(screen().get(0)).contains("service orders");
        assertThat(text()).contains(TuiTraces.ERROR_GROUP).doesNotContain(TuiTraces.SLOW_GROUP);
        keys("v");
        assertThat(screen().get(0)).contains("service payments");
        assertThat(text()).contains(TuiTraces.ERROR_GROUP).contains(TuiTraces.SLOW_GROUP);
        keys("v");
        assertThat(screen().get(0)).contains("service all");
        keys("n");
        assertThat(screen().get(39)).contains("namespace default").contains("the key reads only namespace default");
    }

    @Test
    void enterOpensTheGroupThenTheTraceAndTheArrowsWalkTheSpanTree() {
        keys(Key.Kind.ENTER);
        assertThat(screen().get(0)).contains("Group " + fingerprint(TuiTraces.ERROR_GROUP)).contains(TuiTraces.ERROR_GROUP);
        assertThat(screen().get(1)).containsSubsequence("STARTED", "STATUS", "DURATION", "NAME", "SERVICES");
        assertThat(selected()).contains("error").contains("POST /orders").contains("orders, payments");
        keys(Key.Kind.ENTER);
        assertThat(screen().get(0)).contains("Trace " + TuiTraces.ERROR_TRACE).contains("levels DIWEC");
        assertThat(text()).contains("POST /orders  [orders]").contains("POST /payments  [payments]")
                .contains("SELECT accounts").contains("POST /bank/charge").contains("(no span)");
        assertThat(selected()).contains("POST /orders");
        assertThat(text()).contains("exchanges 2").contains("→ outbound POST http://127.0.0.1:8083/payments  500")
                .contains("DEBUG").contains("handling POST /orders");

        keys(Key.Kind.RIGHT);
        assertThat(selected()).contains("POST /payments");
        assertThat(text()).contains("charging card").contains("CRITICAL").contains("java.lang.IllegalStateException: card declined")
                .contains("at Bank.charge(Bank.java:12)").doesNotContain("handling POST /orders");
        keys(Key.Kind.DOWN); // the only child: no sibling to go to
        assertThat(selected()).contains("POST /payments");
        keys(Key.Kind.RIGHT);
        assertThat(selected()).contains("SELECT accounts");
        keys(Key.Kind.DOWN);
        assertThat(selected()).contains("POST /bank/charge");
        keys(Key.Kind.UP);
        assertThat(selected()).contains("SELECT accounts");
        keys(Key.Kind.LEFT);
        assertThat(selected()).contains("POST /payments");
        keys(Key.Kind.LEFT, Key.Kind.DOWN);
        assertThat(selected()).contains("(no span)");
        assertThat(text()).contains("pool nearly exhausted");

        keys("q");
        assertThat(screen().get(0)).startsWith(" Group ");
        keys(Key.Kind.ESC);
        assertThat(screen().get(0)).startsWith(" Groups");
        assertThat(tui.handle(Key.of(Key.Kind.ESC))).isTrue(); // Esc never quits: a torn escape sequence is one
        assertThat(screen().get(39)).contains("q quits");
        assertThat(tui.handle(Key.of('q'))).isFalse();
    }

    @Test
    void theLevelKeysHideAndShowDebugInfoWarningErrorAndCritical() {
        keys(Key.Kind.ENTER, Key.Kind.ENTER, Key.Kind.RIGHT);
        assertThat(text()).contains("logs 5").contains("entering charge").contains("charging card")
                .contains("bank answered slowly").contains("retry budget low").contains("bank declined the card");
        keys("d");
        assertThat(text()).contains("levels -IWEC").contains("logs 4 of 5").doesNotContain("entering charge"); // TRACE is Debug
        keys("c");
        assertThat(text()).doesNotContain("bank declined the card").contains("retry budget low");
        keys("e", "w");
        assertThat(text()).contains("levels -I---").contains("logs 1 of 5").contains("charging card")
                .doesNotContain("retry budget low").doesNotContain("bank answered slowly");
        keys("i");
        assertThat(text()).contains("logs 0 of 5");
        keys("d", "i", "w", "e", "c");
        assertThat(text()).contains("levels DIWEC").contains("logs 5").doesNotContain("logs 5 of");
    }

    @Test
    void theTriageKeySetsTheLevelAndMarkOfTheSelectedGroup() {
        String fingerprint = fingerprint(TuiTraces.ERROR_GROUP);
        keys("t");
        assertThat(screen().get(38)).contains("triage " + fingerprint).contains("a alert");
        keys("a");
        assertThat(screen().get(39)).contains("triaged " + fingerprint + ": level alert");
        assertThat(selected()).contains("error, alert");
        assertThat(c.api("/api/groups/" + fingerprint).get("triage").get("level").asText()).isEqualTo("alert");

        keys(Key.Kind.ENTER, Key.Kind.ENTER, "t", "c"); // from inside a trace of the group
        assertThat(c.api("/api/groups/" + fingerprint).get("triage").get("mark").asText()).isEqualTo("crash");
        keys("q");
        assertThat(screen().get(0)).contains("crash, alert");
        keys("q", "s");
        assertThat(text()).contains("status error").contains("No groups."); // a crash is not in error
        keys("s");
        assertThat(text()).contains("status crash").contains(TuiTraces.ERROR_GROUP);
        keys("t", "s");
        assertThat(c.api("/api/groups/" + fingerprint).get("triage").get("mark").asText()).isEqualTo("silenced");
        assertThat(text()).contains("No groups."); // silenced groups are hidden
        keys("t", "x");
        assertThat(screen().get(39)).contains("nothing to triage here");
    }

    @Test
    void aCollectorThatStopsAnsweringIsOneLineInTheStatusBarAndTheTuiGoesOn() {
        c.close();
        keys("r");
        List<String> lines = screen();
        assertThat(lines.get(39)).contains("unreachable").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(lines.get(2)).contains(TuiTraces.ERROR_GROUP); // what was read stays shown
        assertThat(tui.render(120, 40).attr(39, 0)).isEqualTo(Screen.Attr.RED);
        keys(Key.Kind.ENTER);
        assertThat(screen().get(0)).contains("Group ");
        assertThat(screen().get(39)).contains("unreachable");
        keys("q", "?");
        assertThat(text()).contains("Keys (any key closes this)").contains("status: all, error, crash, ok");
        keys("z");
        assertThat(text()).doesNotContain("Keys (any key closes this)");
    }

    @Test
    void aTraceThatCannotBeReadSaysSoAndRCanReadItAgain() {
        keys(Key.Kind.ENTER);
        c.close();
        keys(Key.Kind.ENTER);
        assertThat(screen().get(0)).contains("Trace " + TuiTraces.ERROR_TRACE);
        assertThat(text()).contains("could not be read (see the status bar); r reads it again");
        assertThat(screen().get(39)).contains("unreachable");
        keys("r", Key.Kind.RIGHT, "d");
        assertThat(text()).contains("could not be read");
        keys("q");
        assertThat(screen().get(0)).startsWith(" Group ");
    }

    @Test
    void aKeyTheCollectorRefusesIsSaidInTheStatusBar() {
        Tui refused = new Tui(TuiCommand.collectorApi(c.url(), "wrong-key-0123456789", Duration.ofSeconds(5)));
        refused.start();
        List<String> lines = refused.render(120, 40).lines();
        assertThat(lines.get(39)).contains("collector refused the key");
        assertThat(lines).anyMatch(l -> l.contains("No groups."));
    }

    @Test
    void withoutATerminalTheCommandSaysSoAndExitsWith2() {
        Cli.Result r = new Cli(dir.resolve("config")).env("MINTARO_COLLECTOR", c.url())
                .env("MINTARO_API_KEY", RealCollector.KEY).run("tui");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("mintaro: mintaro tui needs a terminal").hasLineCount(1);
    }

    @Test
    void theScreensRedrawAtEverySizeFromOneColumnUp() {
        keys(Key.Kind.ENTER, Key.Kind.ENTER, Key.Kind.RIGHT);
        for (int[] size : new int[][] {{1, 1}, {1, 50}, {7, 3}, {40, 10}, {300, 80}, {120, 40}}) {
            List<String> lines = tui.render(size[0], size[1]).lines();
            assertThat(lines).hasSize(size[1]).allMatch(l -> l.length() <= size[0]);
        }
        assertThat(tui.render(40, 10).lines().get(0)).startsWith(" Trace " + TuiTraces.ERROR_TRACE.substring(0, 30));
        assertThat(selected()).contains("POST /payments"); // the state survives the sizes
    }
}
