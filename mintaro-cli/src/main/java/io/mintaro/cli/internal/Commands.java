package io.mintaro.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The commands of {@code mintaro}: each a picocli command under {@link Root}. */
public final class Commands {
    private Commands() {
    }

    /** The top command: holds the run's {@link Context}; its subcommands reach it as their parent. */
    @Command(name = "mintaro", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Terminal client of a Mintaro collector: traces, span trees, error groups, triage, services.",
            subcommands = {Login.class, Logout.class, Traces.class, Trace.class, Groups.class, Triage.class,
                    Services.class, Tail.class, Namespaces.class, Alerts.class, Ingest.class, Completion.class, TuiCommand.class, CommandLine.HelpCommand.class},
            footer = {"", "Exit codes: 0 ok, 1 not found, 2 usage error, 3 not signed in or key refused,",
                    "4 collector unreachable, timed out or not answering JSON, 5 other server error."})
    public static final class Root implements Callable<Integer> {
        final Context ctx;
        @Spec
        CommandLine.Model.CommandSpec spec;

        public Root(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(ctx.err());
            return CliException.USAGE;
        }
    }

    /** The version printed by {@code --version}: the jar's implementation version when known. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Root.class.getPackage().getImplementationVersion();
            return new String[] {"mintaro " + (v == null ? "(development build)" : v)};
        }
    }

    /** Options every command that talks to the collector has. */
    static final class Common {
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "Give up on the collector after this many seconds (decimals allowed; default: ${DEFAULT-VALUE}).")
        double timeoutSeconds;

        Duration timeout() {
            if (!(timeoutSeconds > 0) || timeoutSeconds > 3600) {
                throw new CliException(CliException.USAGE, "--timeout must be between 0 and 3600 seconds");
            }
            return Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000)));
        }
    }

    /** Base of the commands: the context, the signed-in API and output helpers. */
    abstract static class Base implements Callable<Integer> {
        /** The top command, found among this command's ancestors when it runs (it may be nested). */
        Root root;
        @Spec
        CommandLine.Model.CommandSpec self;
        @Mixin
        Common common;

        Context ctx() {
            return root.ctx;
        }

        PrintWriter out() {
            return root.ctx.out();
        }

        Style style() {
            return new Style(root.ctx.colour());
        }

        /** The collector and key: the environment's, else the stored sign-in. */
        Api api() {
            Properties stored = Config.of(ctx()).load();
            String collector = ctx().env("MINTARO_COLLECTOR") != null ? ctx().env("MINTARO_COLLECTOR")
                    : stored.getProperty("collector");
            String key = ctx().env("MINTARO_API_KEY") != null ? ctx().env("MINTARO_API_KEY") : stored.getProperty("key");
            if (collector != null && Api.keyInUrl(collector) != null) { // http://KEY@collector:7070, as for the SDK
                key = ctx().env("MINTARO_API_KEY") != null ? key : Api.keyInUrl(collector);
                collector = Api.withoutKey(collector);
            }
            if (collector == null || collector.isBlank()) {
                throw new CliException(CliException.AUTH, "not signed in: run mintaro login --collector URL --key KEY"
                        + " (or set MINTARO_COLLECTOR and MINTARO_API_KEY)");
            }
            if (key == null || key.isBlank()) {
                throw new CliException(CliException.AUTH, "no API key: run mintaro login --collector "
                        + collector + " --key KEY (or set MINTARO_API_KEY)");
            }
            return new Api(Api.checkUrl(collector), key.strip(), common.timeout(), Api.tls(ctx()));
        }

        /** The first line of stdin, stripped; "" when there is none. */
        String stdinLine(String what) {
            try {
                String line = new BufferedReader(new InputStreamReader(ctx().in(), StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line.strip();
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot read " + what + " from stdin: " + e.getMessage());
            }
        }

        void printJson(JsonNode node) {
            try {
                out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out().flush();
        }

        @Override
        public final Integer call() {
            for (CommandLine.Model.CommandSpec c = self; root == null && c != null; c = c.parent()) {
                if (c.userObject() instanceof Root r) {
                    root = r;
                }
            }
            run();
            out().flush();
            return 0;
        }

        abstract void run();
    }

    // ------------------------------------------------------------------ sign-in

    @Command(name = "login", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Check a collector URL and API key and store them for later commands.")
    static final class Login extends Base {
        @Option(names = "--collector", paramLabel = "URL", description = "The collector, e.g. http://localhost:7070 (default: $MINTARO_COLLECTOR).")
        String collector;

        @Option(names = "--key", paramLabel = "KEY", required = true, description = "A read or admin API key; - reads it from stdin.")
        String key;

        @Override
        void run() {
            String url = collector != null ? collector : ctx().env("MINTARO_COLLECTOR");
            if (url == null) {
                throw new CliException(CliException.USAGE, "login needs --collector URL");
            }
            url = Api.checkUrl(Api.withoutKey(url));
            String k = key;
            if ("-".equals(k)) {
                k = stdinLine("the key");
            }
            if (k.isBlank()) {
                throw new CliException(CliException.USAGE, "the key is empty");
            }
            JsonNode ns = new Api(url, k.strip(), common.timeout(), Api.tls(ctx())).get("/api/namespaces");
            Config config = Config.of(ctx());
            config.save(url, k.strip());
            if (common.json) {
                printJson(ns);
            } else {
                out().println("Signed in to " + url + " (namespace " + Format.text(ns, "current") + "); saved in "
                        + config.file());
            }
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Forget the stored collector and key.")
    static final class Logout extends Base {
        @Override
        void run() {
            Config config = Config.of(ctx());
            out().println(config.delete() ? "Signed out (removed " + config.file() + ")" : "Not signed in");
        }
    }

    // ------------------------------------------------------------------ traces

    /** The filters {@code /api/traces} offers. */
    static final class TraceFilters {
        @Option(names = "--status", paramLabel = "STATUS", description = "error, slow, ok or all (default all).")
        String status;

        @Option(names = "--service", description = "Only traces this service took part in (exact name).")
        String service;

        @Option(names = {"-q", "--query"}, paramLabel = "TEXT",
                description = "Case-insensitive text in names, trigger reasons, logs, URLs and bodies.")
        String query;

        @Option(names = "--from", paramLabel = "TIME", description = "Started at or after (ISO-8601 or epoch ms).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Started before (ISO-8601 or epoch ms).")
        String to;

        Map<String, String> params() {
            return Api.params("status", status, "service", service, "q", query, "from", from, "to", to);
        }
    }

    /** {@code --tag KEY=VALUE} (or KEY:VALUE), repeatable: traces must have every tag (decision 38). */
    static final class Tags {
        @Option(names = "--tag", paramLabel = "KEY=VALUE",
                description = "Only traces with this span attribute, service or version (repeatable, all must match).")
        List<String> tags = new ArrayList<>();

        /** {@code path} with a {@code tag=key:value} parameter per tag. */
        String path(String path) {
            StringBuilder q = new StringBuilder(path);
            for (String tag : tags) {
                int eq = tag.indexOf('=');
                int colon = tag.indexOf(':');
                int at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
                if (at <= 0 || at == tag.length() - 1) {
                    throw new CliException(CliException.USAGE, "--tag must be KEY=VALUE, got '" + tag + "'");
                }
                q.append(q.length() == path.length() ? '?' : '&').append("tag=").append(java.net.URLEncoder.encode(
                        tag.substring(0, at) + ":" + tag.substring(at + 1), StandardCharsets.UTF_8));
            }
            return q.toString();
        }
    }

    @Command(name = "traces", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "List stored traces, newest first.")
    static final class Traces extends Base {
        @Mixin
        TraceFilters filters;

        @Mixin
        Tags tags;

        @Option(names = {"--limit", "-n"}, defaultValue = "50", description = "Page size, 1-1000 (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page", defaultValue = "1", description = "1-based page (default ${DEFAULT-VALUE}).")
        int page;

        @Override
        void run() {
            Map<String, String> p = filters.params();
            p.put("limit", Integer.toString(limit));
            p.put("page", Integer.toString(page));
            JsonNode r = api().get(tags.path("/api/traces"), p);
            if (common.json) {
                printJson(r);
                return;
            }
            Style style = style();
            Table t = new Table("TRACE ID", "STATUS", "STARTED", "DURATION", "NAME", "SERVICES").colour(1, style::status);
            for (JsonNode tr : r.path("traces")) {
                t.row(Format.text(tr, "traceId"), Format.text(tr, "status"), Format.time(Format.text(tr, "startedAt")),
                        tr.hasNonNull("durationMs") ? Format.ms(tr.get("durationMs").asDouble()) : "",
                        Format.text(tr, "name"), Format.join(tr.get("services")));
            }
            if (t.isEmpty()) {
                out().println("No traces.");
            } else {
                t.print(out(), style);
            }
            long total = r.path("total").asLong();
            int size = r.path("pageSize").asInt(limit);
            long pages = Math.max(1, (total + size - 1) / size);
            out().println(style.dim("page " + r.path("page").asInt(page) + " of " + pages + ", " + total + " traces"));
        }
    }

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-fA-F]{2}-([0-9a-fA-F]{32})-[0-9a-fA-F]{16}-[0-9a-fA-F]{2}");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-fA-F]{6,31}");
    /** How many recent traces a prefix is looked up among. */
    static final int PREFIX_SCOPE = 1000;

    /** A full trace id from a full id, a traceparent or a unique prefix among recent traces. */
    static String resolveTraceId(Api api, String given) {
        String s = given.strip();
        if (FULL_ID.matcher(s).matches()) {
            return s.toLowerCase(Locale.ROOT);
        }
        Matcher tp = TRACEPARENT.matcher(s);
        if (tp.matches()) {
            return tp.group(1).toLowerCase(Locale.ROOT);
        }
        if (!PREFIX.matcher(s).matches()) {
            throw new CliException(CliException.USAGE, "not a trace id: " + given
                    + " (give 32 hex digits, a traceparent 00-<trace id>-<span id>-<flags>, or at least 6 hex digits)");
        }
        String prefix = s.toLowerCase(Locale.ROOT);
        JsonNode r = api.get("/api/traces", Api.params("limit", PREFIX_SCOPE));
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode t : r.path("traces")) {
            if (Format.text(t, "traceId").startsWith(prefix)) {
                matches.add(t);
            }
        }
        if (matches.isEmpty()) {
            throw new CliException(CliException.NOT_FOUND, "no trace among the " + PREFIX_SCOPE
                    + " most recent starts with " + prefix);
        }
        if (matches.size() > 1) {
            StringBuilder b = new StringBuilder();
            for (JsonNode m : matches.subList(0, Math.min(10, matches.size()))) {
                b.append(b.length() == 0 ? "" : ", ").append(Format.text(m, "traceId"));
                if (!Format.text(m, "name").isEmpty()) {
                    b.append(" (").append(Format.text(m, "name")).append(')');
                }
            }
            throw new CliException(CliException.NOT_FOUND, "ambiguous trace id prefix " + prefix + ": " + matches.size()
                    + " traces match: " + b + (matches.size() > 10 ? ", …" : ""));
        }
        return Format.text(matches.get(0), "traceId");
    }

    /** Log levels for {@code trace --level}. */
    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    @Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Show one trace as a tree of spans, with their exchanges and log lines.")
    static final class Trace extends Base {
        @Parameters(paramLabel = "ID", description = "32 hex digits, a W3C traceparent, or a unique prefix of 6+ hex digits.")
        String id;

        @Option(names = "--level", paramLabel = "LEVEL", description = "Only log lines of this level and above: DEBUG, INFO, WARN or ERROR.")
        Level level;

        @Option(names = "--bodies", description = "Show request and response bodies.")
        boolean bodies;

        @Option(names = "--body-limit", paramLabel = "BYTES", defaultValue = "2000",
                description = "Cut bodies after this many bytes (default ${DEFAULT-VALUE}).")
        int bodyLimit;

        @Override
        void run() {
            if (bodyLimit < 0) {
                throw new CliException(CliException.USAGE, "--body-limit must not be negative");
            }
            Api api = api();
            String traceId = resolveTraceId(api, id);
            JsonNode trace = api.get("/api/traces/" + traceId);
            if (common.json) {
                printJson(trace);
                return;
            }
            new TraceTree(trace, style(), out(), level == null ? null : level.name(), bodies, bodyLimit).print();
        }
    }

    // ------------------------------------------------------------------ groups

    @Command(name = "groups", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "The error groups: name, status, count, last seen.")
    static final class Groups extends Base {
        @Option(names = "--status", description = "error, crash, ok or all (default all).")
        String status;

        @Option(names = "--speed", description = "slow, fast or all (default all).")
        String speed;

        @Option(names = "--silenced", description = "hide (default), show or only.")
        String silenced;

        @Option(names = "--service", description = "Only groups of traces this service took part in.")
        String service;

        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Text in the groups' traces (as for traces -q).")
        String query;

        @Mixin
        Tags tags;

        @Option(names = "--from", paramLabel = "TIME", description = "Occurrences at or after (ISO-8601 or epoch ms).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Occurrences before (ISO-8601 or epoch ms).")
        String to;

        @Option(names = {"--limit", "-n"}, defaultValue = "50", description = "Page size, 1-200 (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page", defaultValue = "1", description = "1-based page (default ${DEFAULT-VALUE}).")
        int page;

        @Override
        void run() {
            JsonNode r = api().get(tags.path("/api/groups"), Api.params("status", status, "speed", speed, "silenced", silenced,
                    "service", service, "q", query, "from", from, "to", to, "pageSize", limit, "page", page));
            if (common.json) {
                printJson(r);
                return;
            }
            Style style = style();
            Table t = new Table("FINGERPRINT", "NAME", "STATUS", "COUNT", "LAST SEEN")
                    .colour(2, s -> s.startsWith("error") || s.startsWith("crash") || s.contains("alert") ? style.red(s)
                            : s.startsWith("slow") || s.contains("warn") ? style.yellow(s) : s);
            for (JsonNode g : r.path("groups")) {
                t.row(Format.text(g, "fingerprint"), Format.text(g, "name"), groupStatus(g), count(g),
                        Format.time(Format.text(g, "lastSeenAt")));
            }
            if (t.isEmpty()) {
                out().println("No groups.");
                return;
            }
            t.print(out(), style);
            out().println(style.dim("page " + r.path("page").asInt(page) + ", " + r.path("total").asLong() + " groups"));
        }
    }

    /** The group's kind, then its triage mark and level when set: {@code error, crash, alert}. */
    static String groupStatus(JsonNode g) {
        List<String> parts = new ArrayList<>();
        parts.add(Format.text(g, "kind"));
        JsonNode triage = g.path("triage");
        String mark = Format.text(triage, "mark");
        String level = Format.text(triage, "level");
        if (!mark.isEmpty() && !"none".equals(mark)) {
            parts.add(mark);
        }
        if (!level.isEmpty() && !"none".equals(level)) {
            parts.add(level);
        }
        return String.join(", ", parts);
    }

    /** Occurrences, with the traces kept when fewer: {@code 1240 (60 kept)}. */
    static String count(JsonNode g) {
        long occurrences = g.path("occurrences").asLong(g.path("count").asLong());
        long traces = g.path("traces").asLong(g.path("count").asLong());
        String s = Long.toString(occurrences);
        if (traces != occurrences) {
            s += " (" + traces + " kept)";
        }
        long fresh = g.path("newSinceTriage").asLong(0);
        if (g.path("triage").hasNonNull("updatedAt") && fresh > 0) {
            s += ", " + fresh + " new";
        }
        return s;
    }

    /** Triage levels. */
    enum TriageLevel { none, ok, warn, alert }

    /** Triage marks. */
    enum Mark { none, crash, silenced }

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-fA-F]{16}");

    @Command(name = "triage", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Set a group's triage level, mark and note (no option: acknowledge its traces so far).")
    static final class Triage extends Base {
        @Parameters(paramLabel = "FINGERPRINT", description = "The group's 16 hex digits (see mintaro groups).")
        String fingerprint;

        @Option(names = "--level", paramLabel = "LEVEL", description = "none, ok, warn or alert.")
        TriageLevel level;

        @Option(names = "--mark", paramLabel = "MARK", description = "none, crash or silenced.")
        Mark mark;

        @Option(names = "--silence", description = "Silence the group (same as --mark silenced).")
        boolean silence;

        @Option(names = "--unsilence", description = "Clear the group's mark (same as --mark none).")
        boolean unsilence;

        @Option(names = "--until", paramLabel = "WHEN",
                description = "With --silence: the silence ends after this long (1h, 24h, 7d) or at this ISO-8601 time.")
        String until;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note of up to 2000 characters; \"\" clears it.")
        String note;

        @Override
        void run() {
            if (!FINGERPRINT.matcher(fingerprint).matches()) {
                throw new CliException(CliException.USAGE, "not a group fingerprint (16 hex digits): " + fingerprint);
            }
            int marks = (mark != null ? 1 : 0) + (silence ? 1 : 0) + (unsilence ? 1 : 0);
            if (marks > 1) {
                throw new CliException(CliException.USAGE, "give only one of --mark, --silence and --unsilence");
            }
            ObjectNode body = Api.JSON.createObjectNode();
            if (level != null) {
                body.put("level", level.name());
            }
            if (mark != null) {
                body.put("mark", mark.name());
            } else if (silence) {
                body.put("mark", "silenced");
            } else if (unsilence) {
                body.put("mark", "none");
            }
            if (until != null) {
                if (!"silenced".equals(body.path("mark").asText())) {
                    throw new CliException(CliException.USAGE, "--until needs --silence");
                }
                body.put("silencedUntil", silenceEnd(until));
            }
            if (note != null) {
                body.put("note", note);
            }
            JsonNode g = api().put("/api/groups/" + fingerprint.toLowerCase(Locale.ROOT) + "/triage", body);
            if (common.json) {
                printJson(g);
                return;
            }
            JsonNode triage = g.path("triage");
            out().println("Triaged " + Format.text(g, "fingerprint") + " " + Format.text(g, "name") + ": level "
                    + Format.text(triage, "level") + ", mark " + Format.text(triage, "mark")
                    + (triage.hasNonNull("silencedUntil") ? " until " + Format.time(triage.get("silencedUntil").asText()) : "")
                    + (Format.text(triage, "note").isEmpty() ? "" : ", note \"" + Format.text(triage, "note") + "\""));
        }
    }

    /** An ISO-8601 time as given, or now plus a duration ({@code 1h}). */
    static String silenceEnd(String until) {
        try {
            return java.time.Instant.parse(until).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.now().plusMillis(Alerts.millis("--until", until)).toString();
        }
    }

    // ------------------------------------------------------------------ services, tail, namespaces

    @Command(name = "services", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Services with their versions, connected agents and last seen.")
    static final class Services extends Base {
        @Option(names = "--from", paramLabel = "TIME", description = "Range start (default: 24 hours before --to).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Range end (default: now).")
        String to;

        @Override
        void run() {
            JsonNode r = api().get("/api/services", Api.params("from", from, "to", to));
            if (common.json) {
                printJson(r);
                return;
            }
            Table t = new Table("NAME", "VERSIONS", "AGENTS", "LAST SEEN", "TRIGGERS", "ERRORS");
            for (JsonNode s : r.path("services")) {
                StringBuilder versions = new StringBuilder();
                for (JsonNode v : s.path("versions")) {
                    versions.append(versions.length() == 0 ? "" : ", ")
                            .append(v.hasNonNull("version") ? v.get("version").asText() : "(none)")
                            .append(" (").append(v.path("connected").asLong()).append('/')
                            .append(v.path("agents").asLong()).append(')');
                }
                t.row(Format.text(s, "name"), versions.toString(), s.path("agents").asLong() + " connected",
                        Format.time(Format.text(s, "lastSeenAt")), Format.text(s, "triggers"), Format.text(s, "errors"));
            }
            if (t.isEmpty()) {
                out().println("No services.");
            } else {
                t.print(out(), style());
            }
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Follow new error traces as they are stored (Ctrl-C stops).")
    static final class Tail extends Base {
        @Option(names = "--service", description = "Only traces this service took part in.")
        String service;

        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Only traces with this text (as for traces -q).")
        String query;

        @Mixin
        Tags tags;

        @Option(names = "--count", paramLabel = "N", description = "Stop after N traces.")
        Integer count;

        @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000", hidden = true)
        long intervalMs;

        @Override
        void run() {
            if (count != null && count < 1) {
                throw new CliException(CliException.USAGE, "--count must be at least 1");
            }
            Api api = api();
            Map<String, String> p = Api.params("status", "error", "service", service, "q", query, "limit", 100);
            Set<String> seen = new HashSet<>();
            String traces = tags.path("/api/traces");
            for (JsonNode t : api.get(traces, p).path("traces")) {
                seen.add(Format.text(t, "traceId"));
            }
            ctx().err().println("Following new error traces on " + api.base() + " (Ctrl-C to stop)");
            ctx().err().flush();
            Style style = style();
            int printed = 0;
            boolean failing = false;
            while (count == null || printed < count) {
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                JsonNode page;
                try {
                    page = api.get(traces, p);
                } catch (CliException e) {
                    if (e.exitCode() != CliException.UNREACHABLE && e.exitCode() != CliException.SERVER) {
                        throw e;
                    }
                    if (!failing) { // once per outage; keep following, as until Ctrl-C
                        ctx().err().println("mintaro: " + e.getMessage() + " (still trying)");
                        ctx().err().flush();
                        failing = true;
                    }
                    continue;
                }
                if (failing) {
                    ctx().err().println("mintaro: collector answers again");
                    ctx().err().flush();
                    failing = false;
                }
                List<JsonNode> fresh = new ArrayList<>();
                for (JsonNode t : page.path("traces")) {
                    if (seen.add(Format.text(t, "traceId"))) {
                        fresh.add(t);
                    }
                }
                for (int i = fresh.size() - 1; i >= 0 && (count == null || printed < count); i--) {
                    JsonNode t = fresh.get(i);
                    if (common.json) {
                        out().println(t.toString());
                    } else {
                        out().println(Format.time(Format.text(t, "startedAt")) + "  " + Format.text(t, "traceId") + "  "
                                + style.status(Format.text(t, "status")) + "  " + Format.text(t, "name") + "  "
                                + style.dim("[" + Format.join(t.get("services")) + "]") + "  "
                                + Format.text(t, "triggerReason"));
                    }
                    out().flush();
                    printed++;
                }
            }
        }
    }

    @Command(name = "namespaces", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "The namespaces the key may read; * marks the current one.")
    static final class Namespaces extends Base {
        @Override
        void run() {
            JsonNode r = api().get("/api/namespaces");
            if (common.json) {
                printJson(r);
                return;
            }
            String current = Format.text(r, "current");
            for (JsonNode n : r.path("namespaces")) {
                out().println((n.asText().equals(current) ? "* " : "  ") + n.asText());
            }
        }
    }

    @Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Print a bash completion script: source <(mintaro completion)")
    static final class Completion implements Callable<Integer> {
        @ParentCommand
        Root root;

        @Override
        public Integer call() {
            root.ctx.out().print(AutoComplete.bash("mintaro", root.spec.commandLine()));
            root.ctx.out().flush();
            return 0;
        }
    }
}
