package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mintaro alerts}: rules added, listed, tested against a real webhook on loopback and
 * deleted; deliveries listed; {@code triage --silence --until}.
 */
class AlertsCliTest {
    @TempDir
    Path dir;
    RealCollector c;
    Cli cli;
    HttpServer hook;
    final List<String> received = new CopyOnWriteArrayList<>();
    int answer = 200;

    @BeforeEach
    void start() throws Exception {
        c = new RealCollector(dir);
        cli = new Cli(dir.resolve("config")).env("MINTARO_COLLECTOR", c.url()).env("MINTARO_API_KEY", RealCollector.KEY);
        hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        hook.start();
    }

    @AfterEach
    void stop() {
        hook.stop(0);
        c.close();
    }

    String hookUrl() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
    }

    @Test
    void aRuleIsAddedListedTestedAndDeleted() {
        Cli.Result added = cli.run("alerts", "add", "--kind", "rate", "--threshold", "5", "--window", "10m",
                "--url", hookUrl(), "--format", "slack", "--secret", "s3cret", "--limit", "3", "--json");
        assertThat(added.code()).as(added.toString()).isZero();
        JsonNode rule = json(added.out());
        String id = rule.get("id").asText();
        assertThat(rule.get("windowMs").asLong()).isEqualTo(600_000);
        assertThat(rule.get("signed").asBoolean()).isTrue();
        assertThat(rule.get("rateLimit").asInt()).isEqualTo(3);

        Cli.Result listed = cli.run("alerts", "rules");
        assertThat(listed.code()).as(listed.toString()).isZero();
        assertThat(listed.out()).startsWith("ID").contains(id, "rate", hookUrl(), "slack", "yes", "5 in 600 s")
                .doesNotContain("s3cret");

        Cli.Result tested = cli.run("alerts", "test", id);
        assertThat(tested.code()).as(tested.toString()).isZero();
        assertThat(tested.out()).contains("Delivered: the webhook answered HTTP 200");
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).contains("\"text\"");

        answer = 500;
        Cli.Result refused = cli.run("alerts", "test", id);
        assertThat(refused.code()).isEqualTo(5);
        assertThat(refused.err().strip()).isEqualTo("mintaro: not delivered: the webhook answered HTTP 500");

        Cli.Result deleted = cli.run("alerts", "rm", id);
        assertThat(deleted.code()).as(deleted.toString()).isZero();
        assertThat(cli.run("alerts", "rules").out()).contains("No alert rules.");
        assertThat(cli.run("alerts", "rm", id).code()).isEqualTo(1);
    }

    @Test
    void deliveriesShowTheirStateAndLastStatus() throws Exception {
        assertThat(cli.run("alerts", "add", "--kind", "new_group", "--url", hookUrl()).code()).isZero();
        failedTrace(); // a new error group
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Cli.Result r;
        do {
            Thread.sleep(200);
            r = cli.run("alerts", "deliveries");
        } while (!r.out().contains("delivered") && System.nanoTime() < deadline);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("CREATED").contains("new_group", "delivered", "HTTP 200");
        assertThat(received).hasSize(1);
    }

    @Test
    void aSilenceCanEndAfterADurationOrAtATime() {
        failedTrace();
        String fp = c.api("/api/groups").get("groups").get(0).get("fingerprint").asText();
        Instant before = Instant.now();
        Cli.Result r = cli.run("triage", fp, "--silence", "--until", "1h");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("mark silenced until");
        Instant until = Instant.parse(c.api("/api/groups/" + fp).at("/triage/silencedUntil").asText());
        assertThat(until).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3601));

        assertThat(cli.run("triage", fp, "--silence", "--until", "2030-01-01T00:00:00Z").code()).isZero();
        assertThat(c.api("/api/groups/" + fp).at("/triage/silencedUntil").asText()).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void badInputIsAOneLineErrorWithExitCode2() {
        Cli.Result kind = cli.run("alerts", "add", "--kind", "sometimes", "--url", hookUrl());
        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err()).doesNotContain("Exception").contains("--kind");
        Cli.Result window = cli.run("alerts", "add", "--kind", "rate", "--threshold", "1", "--window", "soon", "--url", hookUrl());
        assertThat(window.code()).isEqualTo(2);
        assertThat(window.err().strip()).isEqualTo("mintaro: --window must be a duration such as 30s, 10m, 1h or 7d: soon");
        Cli.Result url = cli.run("alerts", "add", "--kind", "new_group", "--url", "ftp://example.com/");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).contains("url: an http or https URL");
        Cli.Result until = cli.run("triage", "0123456789abcdef", "--until", "1h");
        assertThat(until.code()).isEqualTo(2);
        assertThat(until.err().strip()).isEqualTo("mintaro: --until needs --silence");
    }

    /** payments failed POST /payments: a new error group. */
    void failedTrace() {
        String agent = "b000000000000001";
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        c.register(agent, "payments", "1.0.0");
        RealCollector.Batch b = new RealCollector.Batch(agent, traceId, "error", "HTTP 500 from POST /payments");
        long startUs = System.currentTimeMillis() * 1000 - 5_000_000;
        b.span("00000000000000a1", null, "POST /payments", "failed", startUs, 10_000)
                .putObject("error").put("type", "java.lang.IllegalStateException").put("message", "declined").putNull("stack");
        c.post(b);
        c.awaitStored(traceId);
    }

    static JsonNode json(String text) {
        try {
            return RealCollector.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
