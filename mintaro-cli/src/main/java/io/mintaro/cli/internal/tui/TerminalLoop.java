package io.mintaro.cli.internal.tui;

import io.mintaro.cli.internal.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * The thin terminal layer: raw mode and the alternate screen, keys in, frames out (only the rows
 * that changed), redraw on resize. The terminal is restored in a finally block and, for a JVM
 * that ends otherwise (SIGTERM, System.exit from elsewhere), in a shutdown hook; Ctrl-C ends the
 * loop like {@code q}, and a second Ctrl-C, while the first waits for a slow collector, exits.
 */
public final class TerminalLoop {
    /** How often the loop looks at the resize and Ctrl-C flags while no key comes. */
    private static final long POLL_MS = 100;

    private final Terminal terminal;
    private final boolean colour;
    private final AtomicBoolean resized = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean restored = new AtomicBoolean();
    private Attributes saved;

    public TerminalLoop(Terminal terminal, boolean colour) {
        this.terminal = terminal;
        this.colour = colour;
    }

    /** The process's terminal; a usage error when there is none (output piped, no tty). */
    public static Terminal systemTerminal() {
        Terminal t;
        try {
            t = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true).build();
        } catch (IOException | IllegalStateException e) {
            throw new CliException(CliException.USAGE, "mintaro tui needs a terminal (stdin and stdout a tty): "
                    + Session.oneLine(e.getMessage()));
        }
        if (t.getType() == null || t.getType().startsWith(Terminal.TYPE_DUMB)) {
            try {
                t.close();
            } catch (IOException e) {
                // nothing was changed on it
            }
            throw new CliException(CliException.USAGE, "mintaro tui needs a terminal (stdin and stdout a tty)");
        }
        return t;
    }

    /**
     * Runs the TUI until it is done; the terminal is as it was afterwards, whatever happened. The
     * caller closes the terminal.
     */
    public void run(Tui tui) throws IOException {
        Thread hook = new Thread(this::restore, "mintaro-tui-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            saved = terminal.enterRawMode();
            terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
            terminal.handle(Terminal.Signal.INT, s -> {
                if (interrupted.getAndSet(true)) { // a second Ctrl-C while a call to the collector runs
                    restore();
                    System.exit(130);
                }
            });
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.keypad_xmit);
            terminal.puts(Capability.cursor_invisible);
            terminal.flush();
            loop(tui);
        } finally {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs restore, which is done already
            }
        }
    }

    private void loop(Tui tui) throws IOException {
        KeyDecoder keys = new KeyDecoder(timeout -> terminal.reader().read(timeout));
        Screen shown = null;
        tui.start();
        // The size is read once and again on SIGWINCH only: the exec provider runs stty to read it.
        Size size = terminal.getSize();
        while (!interrupted.get()) {
            if (resized.getAndSet(false)) {
                size = terminal.getSize();
                shown = null;
            }
            int width = size.getColumns() > 0 ? size.getColumns() : 80;
            int height = size.getRows() > 0 ? size.getRows() : 24;
            Screen next = tui.render(width, height);
            draw(next, shown);
            shown = next;
            Key key;
            do {
                key = keys.next(POLL_MS);
            } while (key == null && !interrupted.get() && !resized.get());
            if (key != null && !tui.handle(key)) {
                return;
            }
        }
    }

    /** Writes the rows of {@code next} that differ from {@code shown} (all when shown is null). */
    private void draw(Screen next, Screen shown) {
        PrintWriter w = terminal.writer();
        StringBuilder b = new StringBuilder();
        if (shown == null) {
            b.append("\u001b[0m\u001b[2J");
        }
        for (int row = 0; row < next.height(); row++) {
            if (next.sameRow(shown, row)) {
                continue;
            }
            b.append("\u001b[").append(row + 1).append(";1H");
            Screen.Attr current = null;
            // the last cell of the last row is left alone: writing it can scroll some terminals
            int end = row == next.height() - 1 ? next.width() - 1 : next.width();
            for (int col = 0; col < end; col++) {
                Screen.Attr a = next.attr(row, col);
                if (a != current) {
                    b.append(sgr(a));
                    current = a;
                }
                b.appendCodePoint(next.codePoint(row, col));
            }
            b.append("\u001b[0m");
        }
        w.write(b.toString());
        w.flush();
    }

    private String sgr(Screen.Attr a) {
        switch (a) {
            case BOLD:
                return "\u001b[0;1m";
            case DIM:
                return "\u001b[0;2m";
            case RED:
                return colour ? "\u001b[0;31m" : "\u001b[0;1m";
            case YELLOW:
                return colour ? "\u001b[0;33m" : "\u001b[0m";
            case GREEN:
                return colour ? "\u001b[0;32m" : "\u001b[0m";
            case CYAN:
                return colour ? "\u001b[0;36m" : "\u001b[0;1m";
            case SELECTED:
            case BAR:
                return "\u001b[0;7m";
            default:
                return "\u001b[0m";
        }
    }

    /** Leaves the alternate screen, shows the cursor and puts back the terminal's modes; once. */
    void restore() {
        if (!restored.compareAndSet(false, true)) {
            return;
        }
        try {
            terminal.writer().write("\u001b[0m");
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
        } finally {
            if (saved != null) {
                terminal.setAttributes(saved);
            }
        }
    }
}
