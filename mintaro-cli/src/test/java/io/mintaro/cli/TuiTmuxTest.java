package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mintaro tui} end to end: the real program in a real terminal (tmux, on a socket of its
 * own, 120 × 40), keys sent with {@code send-keys}, the screen read with {@code capture-pane},
 * against a real collector holding real traces. After q, and after Ctrl-C, the shell's screen is
 * back and the terminal is in its cooked mode again ({@code stty -a}: icanon, echo).
 */
class TuiTmuxTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PROMPT = "shell> ";
    static final String BEFORE = "before-the-tui";

    @TempDir
    Path dir;
    RealCollector c;
    final String socket = "mintaro-tui-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeEach
    void start() throws Exception {
        c = new RealCollector(dir);
        TuiTraces.store(c);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A script, so that the long class path does not go through tmux's command line.
        Path script = dir.resolve("tui.sh");
        Files.writeString(script, "MINTARO_COLLECTOR='" + c.url() + "' MINTARO_API_KEY='" + RealCollector.KEY
                + "' MINTARO_CONFIG_DIR='" + dir.resolve("config") + "' '" + java + "' -cp '" + classpath
                + "' io.mintaro.cli.MintaroCli tui\n", StandardCharsets.UTF_8);
        tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "env", "PS1=" + PROMPT, "TERM=screen", "sh");
        await(s -> s.startsWith(PROMPT.strip())); // the shell is ready: what is typed now is its input
        keys("-l", "echo " + BEFORE);
        keys("Enter");
        await(s -> s.lines().anyMatch(BEFORE::equals));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            tmux("kill-server");
        } finally {
            c.close();
        }
    }

    @Test
    void theTuiOpensAGroupAndATraceAndQLeavesTheTerminalAsItWas() throws Exception {
        launch();
        String dashboard = await(s -> s.contains(TuiTraces.ERROR_GROUP) && s.contains(TuiTraces.SLOW_GROUP));
        assertThat(dashboard).contains("NAME").contains("STATUS").contains("COUNT").contains("LAST SEEN")
                .contains(c.url() + " · namespace default").doesNotContain(BEFORE);
        Files.writeString(Path.of("target", "tui-dashboard.txt"), dashboard); // for the README

        keys("s");
        await(s -> s.contains("status error") && !s.contains(TuiTraces.SLOW_GROUP));
        keys("Enter");
        await(s -> s.contains(" Group ") && s.contains("STARTED"));
        keys("Enter");
        await(s -> s.contains("Trace " + TuiTraces.ERROR_TRACE) && s.contains("POST /bank/charge"));
        keys("Right");
        String trace = await(s -> s.contains("charging card") && s.contains("CRITICAL"));
        assertThat(trace).contains("java.lang.IllegalStateException: card declined");
        Files.writeString(Path.of("target", "tui-trace.txt"), trace);

        keys("q");
        await(s -> s.contains(" Group "));
        keys("q");
        await(s -> s.contains(" Groups "));
        keys("q");
        String after = await(s -> s.contains(BEFORE) && s.stripTrailing().endsWith(PROMPT.strip()));
        assertThat(after).doesNotContain("LAST SEEN");
        assertCooked();
    }

    @Test
    void ctrlCEndsTheTuiAndLeavesTheTerminalAsItWas() throws Exception {
        launch();
        await(s -> s.contains(TuiTraces.ERROR_GROUP));
        keys("Enter");
        await(s -> s.contains(" Group "));
        keys("C-c");
        String after = await(s -> s.contains(BEFORE) && s.stripTrailing().endsWith(PROMPT.strip()));
        assertThat(after).doesNotContain("LAST SEEN");
        assertCooked();
    }

    @Test
    void theTuiRedrawsWhenTheTerminalIsResized() throws Exception {
        launch();
        await(s -> s.contains(TuiTraces.ERROR_GROUP));
        tmux("resize-window", "-x", "50", "-y", "12");
        String small = await(s -> s.lines().count() <= 12 && s.contains(" Groups  status all") && s.contains("LAST SEEN"));
        assertThat(small.lines()).allMatch(l -> l.length() <= 50);
        tmux("resize-window", "-x", "1", "-y", "5");
        await(s -> s.lines().allMatch(l -> l.length() <= 1));
        tmux("resize-window", "-x", "120", "-y", "40");
        await(s -> s.contains(TuiTraces.ERROR_GROUP) && s.contains(TuiTraces.SLOW_GROUP));
        keys("q");
        await(s -> s.stripTrailing().endsWith(PROMPT.strip()));
        assertCooked();
    }

    void launch() throws Exception {
        keys("-l", "sh " + dir.resolve("tui.sh"));
        keys("Enter");
    }

    /** {@code stty -a} in the pane: canonical mode and echo are on again. */
    void assertCooked() throws Exception {
        keys("-l", "clear; stty -a");
        keys("Enter");
        String stty = await(s -> s.contains("icanon") && s.stripTrailing().endsWith(PROMPT.strip()));
        assertThat(Pattern.compile("(^|\\s)icanon(\\s|$)", Pattern.MULTILINE).matcher(stty).find()).as(stty).isTrue();
        assertThat(Pattern.compile("(^|\\s)echo(\\s|$)", Pattern.MULTILINE).matcher(stty).find()).as(stty).isTrue();
        assertThat(stty).doesNotContain("-icanon").doesNotContain(" -echo ");
    }

    void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Polls the pane until {@code test} holds; its text then. */
    String await(Predicate<String> test) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", "0");
            if (test.test(screen)) {
                return screen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the pane never showed what was awaited; it shows:\n" + screen);
    }

    String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
