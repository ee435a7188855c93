package io.mintaro.cli.internal.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.cli.internal.TuiCommand;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal layer on a JLine terminal over pipes (a virtual xterm of a fixed size): it enters
 * raw mode and the alternate screen, redraws on resize, and puts everything back when it ends,
 * by q, by Ctrl-C or by the end of its input.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TerminalLoopTest {
    static final String ALTERNATE_ON = "\u001b[?1049h";
    static final String ALTERNATE_OFF = "\u001b[?1049l";

    final PipedOutputStream keys = new PipedOutputStream();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    Terminal terminal;

    @AfterEach
    void close() throws Exception {
        terminal.close();
    }

    Terminal terminal(int width, int height) throws Exception {
        terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys), screen).type("xterm")
                .size(new Size(width, height)).build();
        return terminal;
    }

    static Tui tui() {
        return new Tui(TuiCommand.collectorApi("http://127.0.0.1:1", "unused", Duration.ofSeconds(1)));
    }

    String output() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    Thread start(TerminalLoop loop, Tui tui, Throwable[] failure) {
        Thread t = new Thread(() -> {
            try {
                loop.run(tui);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        return t;
    }

    void awaitOutput(String text) throws InterruptedException {
        awaitOutput(0, text);
    }

    /** Waits until the output from {@code from} on contains {@code text}. */
    void awaitOutput(int from, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!output().substring(from).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for %s in %s", text, output()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The alternate screen was left after the last frame, the cursor shown again. */
    void assertRestored() {
        String out = output();
        String tail = out.substring(out.lastIndexOf("Groups"));
        assertThat(tail).as(out).contains(ALTERNATE_OFF).containsPattern("\u001b\\[\\?[0-9;]*25h");
    }

    @Test
    void qLeavesTheAlternateScreenAndRestoresTheModes() throws Exception {
        Terminal terminal = terminal(80, 24);
        Attributes before = new Attributes(terminal.getAttributes());
        Throwable[] failure = new Throwable[1];
        Thread loop = start(new TerminalLoop(terminal, true), tui(), failure);
        awaitOutput("unreachable");
        assertThat(output()).contains(ALTERNATE_ON).contains("Groups").contains("NAME").doesNotContain(ALTERNATE_OFF);
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ICANON)).isFalse();
        keys.write('q');
        keys.flush();
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(failure[0]).isNull();
        assertRestored();
        assertThat(terminal.getAttributes().getLocalFlags()).isEqualTo(before.getLocalFlags());
    }

    @Test
    void aResizeRedrawsTheWholeScreenAtTheNewSize() throws Exception {
        Terminal terminal = terminal(100, 20);
        Throwable[] failure = new Throwable[1];
        Thread loop = start(new TerminalLoop(terminal, false), tui(), failure);
        awaitOutput("unreachable");
        int before = output().length();
        terminal.setSize(new Size(30, 6));
        terminal.raise(Terminal.Signal.WINCH);
        awaitOutput(before, "\u001b[6;1H");
        String after = output().substring(before);
        assertThat(after).contains("\u001b[2J").contains(" Groups  status all · speed ").doesNotContain("\u001b[7;1H");
        keys.write(3); // Ctrl-C as a key (the pipe has no signals)
        keys.flush();
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
        assertRestored();
    }

    @Test
    void theEndOfTheInputEndsTheLoopWithTheTerminalRestored() throws Exception {
        Terminal terminal = terminal(80, 24);
        Throwable[] failure = new Throwable[1];
        Thread loop = start(new TerminalLoop(terminal, true), tui(), failure);
        awaitOutput("unreachable");
        keys.close();
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(failure[0]).isInstanceOf(java.io.EOFException.class);
        assertRestored();
    }

    @Test
    void aSigintEndsTheLoopLikeQ() throws Exception {
        Terminal terminal = terminal(80, 24);
        Throwable[] failure = new Throwable[1];
        Thread loop = start(new TerminalLoop(terminal, true), tui(), failure);
        awaitOutput("unreachable");
        terminal.raise(Terminal.Signal.INT);
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(failure[0]).isNull();
        assertRestored();
    }
}
