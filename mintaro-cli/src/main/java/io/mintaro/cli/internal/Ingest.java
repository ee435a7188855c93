package io.mintaro.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mintaro ingest [FILE|-]}: posts the JSON lines a service printed without a collector
 * ({@code MINTARO_PRINT=json}, docs/printing.md) to a collector, through the agent protocol's own
 * endpoints: each line's {@code agent} to {@code /agent/v1/register}, its {@code batch} to
 * {@code /agent/v1/batches}. Other lines (the service's own output) are skipped and counted.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = Commands.Version.class,
        description = {"Post the traces a service printed as JSON lines (MINTARO_PRINT=json) to the collector.",
                "Lines that are not Mintaro's are skipped and counted; malformed ones are reported by line number."})
final class Ingest extends Commands.Base {
    /** The schema of the printed lines this CLI reads (docs/printing.md). */
    static final int SCHEMA_VERSION = 1;
    private static final Pattern AGENT_ID = Pattern.compile("[0-9a-f]{16}");
    /** A line that starts like this and does not parse is a Mintaro line cut or damaged, not someone else's. */
    private static final Pattern LOOKS_LIKE_OURS = Pattern.compile("^\\s*\\{\\s*\"mintaro\"\\s*:");

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to read; - or none: stdin.")
    String file;

    @Override
    void run() {
        Api api = api();
        Set<String> registered = new HashSet<>();
        int posted = 0;
        int skipped = 0;
        int bad = 0;
        PrintWriter err = ctx().err();
        try (BufferedReader in = new BufferedReader(open())) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode json = parse(line);
                if (json == null && !LOOKS_LIKE_OURS.matcher(line).find()
                        || json != null && (!json.isObject() || !json.has("mintaro"))) {
                    skipped++;
                    continue;
                }
                String problem = json == null ? "not valid JSON (cut short?)" : problem(json);
                if (problem == null) {
                    try {
                        problem = post(api, json, registered);
                    } catch (CliException e) { // unreachable, key refused: the lines after would fail alike
                        throw new CliException(e.exitCode(), e.getMessage() + " (at line " + number + "; " + posted
                                + (posted == 1 ? " trace" : " traces") + " ingested before; ingesting again is safe,"
                                + " the collector drops what it has)");
                    }
                }
                if (problem != null) {
                    bad++;
                    err.println("mintaro: " + where() + "line " + number + ": " + problem);
                    err.flush();
                } else {
                    posted++;
                }
            }
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + where() + e.getMessage());
        }
        out().println("Ingested " + posted + (posted == 1 ? " trace" : " traces") + " into " + api.base()
                + (skipped > 0 ? "; skipped " + skipped + (skipped == 1 ? " line that is" : " lines that are") + " not Mintaro's" : "")
                + (bad > 0 ? "; " + bad + (bad == 1 ? " line" : " lines") + " not ingested (see above)" : ""));
        out().flush();
        if (bad > 0) {
            throw new CliException(CliException.USAGE, bad + (bad == 1 ? " line was" : " lines were") + " not ingested");
        }
        if (posted == 0) {
            throw new CliException(CliException.NOT_FOUND, "no Mintaro trace lines in " + (file == null || "-".equals(file)
                    ? "stdin" : file) + " (print them with MINTARO_PRINT=json)");
        }
    }

    private Reader open() {
        if (file == null || "-".equals(file)) {
            return new InputStreamReader(ctx().in(), StandardCharsets.UTF_8);
        }
        try {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.USAGE, "no such file: " + file);
        } catch (IOException | RuntimeException e) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private String where() {
        return file == null || "-".equals(file) ? "" : file + ": ";
    }

    private static JsonNode parse(String line) {
        try {
            return Api.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** What is wrong with a Mintaro line before the collector sees it; null when nothing. */
    static String problem(JsonNode line) {
        JsonNode version = line.get("mintaro");
        if (!version.isIntegralNumber()) {
            return "\"mintaro\" must be the schema version, a number";
        }
        if (version.asInt() != SCHEMA_VERSION) {
            return "schema version " + version.asText() + " is not supported (this mintaro reads " + SCHEMA_VERSION + ")";
        }
        JsonNode agent = line.get("agent");
        JsonNode batch = line.get("batch");
        if (agent == null || !agent.isObject() || batch == null || !batch.isObject()) {
            return "a line of schema 1 needs an \"agent\" and a \"batch\" object";
        }
        String agentId = agent.path("agentId").asText("");
        if (!AGENT_ID.matcher(agentId).matches()) {
            return "agent.agentId must be 16 lowercase hex digits";
        }
        if (!agentId.equals(batch.path("agentId").asText(""))) {
            return "batch.agentId must be agent.agentId";
        }
        return null;
    }

    /**
     * Registers the line's agent once per run (again when the collector forgot it) and posts its
     * batch; what the collector refused, or null. A collector that cannot be reached ends the run.
     */
    private static String post(Api api, JsonNode line, Set<String> registered) {
        String agentId = line.get("agent").get("agentId").asText();
        try {
            if (registered.add(agentId)) {
                api.postAgent("/agent/v1/register", line.get("agent").toString());
            }
            try {
                api.postAgent("/agent/v1/batches", line.get("batch").toString());
            } catch (CliException e) {
                if (e.exitCode() != CliException.NOT_FOUND) {
                    throw e;
                }
                api.postAgent("/agent/v1/register", line.get("agent").toString());
                api.postAgent("/agent/v1/batches", line.get("batch").toString());
            }
            return null;
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE) { // the collector's 400: this line's data, not the run
                registered.remove(agentId);
                return e.getMessage();
            }
            throw e;
        }
    }
}
