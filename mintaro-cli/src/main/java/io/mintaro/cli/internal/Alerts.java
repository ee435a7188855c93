package io.mintaro.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.cli.internal.Commands.Base;
import io.mintaro.cli.internal.Commands.Version;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mintaro alerts ...}: the namespace's alert rules and their deliveries (docs/alerts.md). */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Alert rules and their deliveries: rules, add, rm, test, deliveries.",
        subcommands = {Alerts.Rules.class, Alerts.Add.class, Alerts.Remove.class, Alerts.Test.class,
                Alerts.Deliveries.class})
final class Alerts implements Callable<Integer> {
    @CommandLine.ParentCommand
    Commands.Root root;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.ctx.err());
        return CliException.USAGE;
    }

    /** A subcommand of {@code alerts}. */
    abstract static class Sub extends Base {
    }

    /** {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, or milliseconds. */
    static long millis(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?").matcher(text.strip());
        if (!m.matches()) {
            throw new CliException(CliException.USAGE, option + " must be a duration such as 30s, 10m, 1h or 7d: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n;
        };
    }

    enum Kind { new_group, regression, rate, alert_level, digest }

    enum Format { json, slack }

    @Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "The alert rules of the key's namespace.")
    static final class Rules extends Sub {
        @Override
        void run() {
            JsonNode r = api().get("/api/alerts/rules");
            if (common.json) {
                printJson(r);
                return;
            }
            Table t = new Table("ID", "KIND", "URL", "FORMAT", "SIGNED", "THRESHOLD", "LIMIT/MIN");
            for (JsonNode rule : r.path("rules")) {
                String threshold = rule.path("kind").asText().equals("rate")
                        ? rule.path("threshold").asLong() + " in " + rule.path("windowMs").asLong() / 1000 + " s"
                        : rule.path("kind").asText().equals("digest") ? "every " + rule.path("windowMs").asLong() / 1000 + " s" : "";
                t.row(io.mintaro.cli.internal.Format.text(rule, "id"), io.mintaro.cli.internal.Format.text(rule, "kind"),
                        io.mintaro.cli.internal.Format.text(rule, "url"), io.mintaro.cli.internal.Format.text(rule, "format"),
                        rule.path("signed").asBoolean() ? "yes" : "no", threshold, rule.path("rateLimit").asText());
            }
            if (t.isEmpty()) {
                out().println("No alert rules.");
            } else {
                t.print(out(), style());
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Add an alert rule (needs an admin key).")
    static final class Add extends Sub {
        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "new_group, regression, rate, alert_level or digest.")
        Kind kind;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "The webhook: http or https.")
        String url;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json or slack (default: json).")
        Format format;

        @Option(names = "--secret", paramLabel = "SECRET",
                description = "Sign deliveries with HMAC-SHA256 of this secret; - reads it from stdin.")
        String secret;

        @Option(names = "--threshold", paramLabel = "N", description = "rate: alert above N occurrences in --window.")
        Long threshold;

        @Option(names = "--window", paramLabel = "DURATION",
                description = "rate: the window; digest: the period (e.g. 10m, 1h, 30s).")
        String window;

        @Option(names = "--limit", paramLabel = "N", description = "At most N deliveries a minute; the rest are summed up in one summary (default 10).")
        Integer limit;

        @Override
        void run() {
            ObjectNode body = Api.JSON.createObjectNode();
            body.put("kind", kind.name());
            body.put("url", url);
            body.put("format", format.name());
            if (secret != null) {
                body.put("secret", secret.equals("-") ? readSecret() : secret);
            }
            if (threshold != null) {
                body.put("threshold", threshold);
            }
            if (window != null) {
                body.put("windowMs", millis("--window", window));
            }
            if (limit != null) {
                body.put("rateLimit", limit);
            }
            JsonNode rule = api().post("/api/alerts/rules", body);
            if (common.json) {
                printJson(rule);
                return;
            }
            out().println("Added rule " + rule.path("id").asText() + ": " + rule.path("kind").asText() + " to "
                    + rule.path("url").asText() + (rule.path("signed").asBoolean() ? " (signed)" : ""));
        }

        private String readSecret() {
            String line = stdinLine("the secret");
            if (line.isEmpty()) {
                throw new CliException(CliException.USAGE, "--secret -: no secret on stdin");
            }
            return line;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Delete an alert rule (needs an admin key).")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "ID", description = "The rule's id (see mintaro alerts rules).")
        String id;

        @Override
        void run() {
            api().delete("/api/alerts/rules/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            if (!common.json) {
                out().println("Deleted rule " + id);
            } else {
                printJson(Api.JSON.createObjectNode().put("deleted", id));
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Post a test event to a rule's webhook now; exit 5 when it was not delivered.")
    static final class Test extends Sub {
        @Parameters(paramLabel = "ID", description = "The rule's id.")
        String id;

        @Override
        void run() {
            JsonNode r = api().post("/api/alerts/rules/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/test",
                    Api.JSON.createObjectNode());
            if (common.json) {
                printJson(r);
            } else if (r.path("delivered").asBoolean()) {
                out().println("Delivered: the webhook answered HTTP " + r.path("status").asInt());
            }
            if (!r.path("delivered").asBoolean()) {
                throw new CliException(CliException.SERVER, "not delivered: " + (r.hasNonNull("status")
                        ? "the webhook answered HTTP " + r.get("status").asInt() : r.path("error").asText()));
            }
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "The newest alert deliveries with their last status.")
    static final class Deliveries extends Sub {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (1-1000, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run() {
            JsonNode r = api().get("/api/alerts/deliveries", Api.params("limit", limit));
            if (common.json) {
                printJson(r);
                return;
            }
            Table t = new Table("CREATED", "RULE", "EVENT", "STATE", "ATTEMPTS", "LAST STATUS");
            for (JsonNode d : r.path("deliveries")) {
                String last = d.hasNonNull("lastStatus") ? "HTTP " + d.get("lastStatus").asInt()
                        : io.mintaro.cli.internal.Format.text(d, "lastError");
                t.row(io.mintaro.cli.internal.Format.time(io.mintaro.cli.internal.Format.text(d, "createdAt")),
                        io.mintaro.cli.internal.Format.text(d, "rule"), io.mintaro.cli.internal.Format.text(d, "kind"),
                        io.mintaro.cli.internal.Format.text(d, "state"), d.path("attempts").asText(), last);
            }
            if (t.isEmpty()) {
                out().println("No deliveries.");
            } else {
                t.print(out(), style());
            }
        }
    }
}
