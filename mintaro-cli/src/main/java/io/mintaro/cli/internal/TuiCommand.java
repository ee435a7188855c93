package io.mintaro.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.cli.internal.tui.CollectorApi;
import io.mintaro.cli.internal.tui.TerminalLoop;
import io.mintaro.cli.internal.tui.Tui;
import java.io.IOException;
import java.time.Duration;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;

/** {@code mintaro tui}: the full-screen terminal UI of package {@code tui}, over this CLI's {@link Api}. */
@Command(name = "tui", mixinStandardHelpOptions = true, versionProvider = Commands.Version.class,
        description = {"A full-screen terminal UI: error groups, their traces, span trees with exchanges and logs, triage.",
                "Keys: arrows move, Enter opens, q or Esc goes back, ? shows all keys."})
public final class TuiCommand extends Commands.Base {
    @Override
    void run() {
        Tui tui = new Tui(collectorApi(api()));
        try (Terminal terminal = TerminalLoop.systemTerminal()) {
            new TerminalLoop(terminal, ctx().env("NO_COLOR") == null).run(tui);
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "terminal failed: " + e.getMessage());
        }
    }

    /** The collector's API as the TUI sees it; for tests, over a collector URL and key. */
    public static CollectorApi collectorApi(String url, String key, Duration timeout) {
        return collectorApi(new Api(Api.checkUrl(url), key, timeout));
    }

    static CollectorApi collectorApi(Api api) {
        return new CollectorApi() {
            @Override
            public String base() {
                return api.base();
            }

            @Override
            public JsonNode get(String path, Object... params) {
                return api.get(path, Api.params(params));
            }

            @Override
            public JsonNode put(String path, JsonNode body) {
                return api.put(path, body);
            }

            @Override
            public String groupStatus(JsonNode group) {
                return Commands.groupStatus(group);
            }

            @Override
            public String groupCount(JsonNode group) {
                return Commands.count(group);
            }
        };
    }
}
