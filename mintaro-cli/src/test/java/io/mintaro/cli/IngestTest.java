package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.logging.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mintaro ingest}: what a service printed without a collector ({@code MINTARO_PRINT=json})
 * reaches a real collector through the agent protocol, and reads back through the API.
 */
class IngestTest {
    /** Lines a real SDK printed: a failed checkout, between lines of the service's own output. */
    static String printed;
    static String traceId;

    @TempDir
    Path dir;
    RealCollector c;
    Cli cli;

    @BeforeAll
    static void aServicePrintsAFailedCheckout() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setProperty("mintaro.print", "json");
        MintaroSdk sdk;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            sdk = MintaroSdk.builder().service("shop").fromEnvironment().build();
        } finally {
            System.setOut(saved);
            System.clearProperty("mintaro.print");
        }
        Mintaro.install(sdk);
        try (Span request = Mintaro.startSpan("POST /checkout", Span.Kind.SERVER)) {
            traceId = Mintaro.traceId();
            LogCapture.record(System.Logger.Level.ERROR, "shop.Checkout", "main", System.currentTimeMillis(),
                    "payment failed", new IllegalStateException("card declined"));
        }
        sdk.close(Duration.ofSeconds(5)); // prints what it holds
        printed = "Started shop in 1.2 s\n" + stdout.toString(StandardCharsets.UTF_8) + "GET /health 200\n";
        assertThat(printed).contains("{\"mintaro\":1,");
    }

    @BeforeEach
    void collector() {
        c = new RealCollector(dir);
        cli = new Cli(dir.resolve("config")).env("MINTARO_COLLECTOR", c.url()).env("MINTARO_API_KEY", RealCollector.KEY);
    }

    @AfterEach
    void close() {
        c.close();
    }

    @Test
    void printedLinesFromStdinAreStoredAndReadableThroughTheApi() {
        cli.stdin = printed;

        Cli.Result r = cli.run("ingest", "-");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Ingested 1 trace into " + c.url(), "skipped 2 lines that are not Mintaro's");
        assertThat(r.err()).isEmpty();
        c.awaitStored(traceId);
        JsonNode trace = c.api("/api/traces/" + traceId);
        assertThat(trace.toString()).contains("POST /checkout", "payment failed", "card declined", "shop");
        assertThat(c.api("/api/traces?service=shop").path("traces").get(0).path("traceId").asText()).isEqualTo(traceId);
    }

    @Test
    void aFileIsReadTooAndIngestingTwiceStoresTheTraceOnce() throws IOException {
        Path file = dir.resolve("shop.log");
        Files.writeString(file, printed);

        assertThat(cli.run("ingest", file.toString()).code()).isZero();
        assertThat(cli.run("ingest", file.toString()).code()).isZero();

        c.awaitStored(traceId);
        JsonNode spans = c.api("/api/traces/" + traceId).path("spans");
        assertThat(spans.size()).as(spans.toString()).isEqualTo(1);
    }

    @Test
    void malformedMintaroLinesAreReportedByLineNumberAndTheOthersStillIngested() {
        String first = printed.lines().filter(l -> l.startsWith("{\"mintaro\"")).findFirst().orElseThrow();
        cli.stdin = "hello\n" + first.substring(0, first.length() / 2) + "\n"
                + "{\"mintaro\":2,\"agent\":{},\"batch\":{}}\n"
                + "{\"mintaro\":1,\"agent\":{\"agentId\":\"nothex\"},\"batch\":{}}\n"
                + first + "\n";

        Cli.Result r = cli.run("ingest");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("mintaro: line 2: not valid JSON (cut short?)",
                "mintaro: line 3: schema version 2 is not supported (this mintaro reads 1)",
                "mintaro: line 4: agent.agentId must be 16 lowercase hex digits",
                "mintaro: 3 lines were not ingested").doesNotContain("Exception", "\tat ");
        assertThat(r.out()).contains("Ingested 1 trace", "skipped 1 line that is");
        c.awaitStored(traceId);
    }

    @Test
    void aFileWithoutMintaroLinesSaysSo() {
        cli.stdin = "just\nthe service's\noutput\n";

        Cli.Result r = cli.run("ingest");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("no Mintaro trace lines in stdin");
    }

    @Test
    void aCollectorThatIsDownIsAClearErrorWithItsExitCode() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        cli.env("MINTARO_COLLECTOR", "http://127.0.0.1:" + port).stdin = printed;

        Cli.Result r = cli.run("ingest");

        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("mintaro: collector http://127.0.0.1:" + port + " unreachable")
                .contains("0 traces ingested before").doesNotContain("\tat ");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Cli.Result r = cli.run("ingest", dir.resolve("nope.log").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such file:");
    }
}
