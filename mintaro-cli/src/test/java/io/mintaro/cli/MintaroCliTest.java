package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real collector holding three traces: its commands, output and exit codes. */
class MintaroCliTest {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    /** The trace with a tree: orders → payments, which failed. */
    static final String TREE = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** Two slow traces sharing the prefix abcdef00. */
    static final String TWIN_1 = "abcdef00000000000000000000000001";
    static final String TWIN_2 = "abcdef00000000000000000000000002";

    @TempDir
    Path dir;
    RealCollector c;
    Cli cli;
    long t0Us;

    @BeforeEach
    void start() {
        c = new RealCollector(dir);
        c.register(ORDERS, "orders", "2.4.1");
        c.register(PAYMENTS, "payments", "1.0.0");
        t0Us = System.currentTimeMillis() * 1000 - 60_000_000L;
        storeTree();
        storeSlow(TWIN_1, t0Us - 5_000_000L);
        storeSlow(TWIN_2, t0Us - 4_000_000L);
        cli = new Cli(dir.resolve("config"));
        cli.env("MINTARO_COLLECTOR", c.url()).env("MINTARO_API_KEY", RealCollector.KEY);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    void storeTree() {
        String root = "00000000000000a1";
        String child = "00000000000000b2";
        RealCollector.Batch orders = new RealCollector.Batch(ORDERS, TREE, "error", "HTTP 502 from POST /orders");
        orders.span(root, null, "POST /orders", "failed", t0Us, 30_000);
        orders.message(1, root, "inbound", "POST", "http://127.0.0.1:8081/orders", 502, t0Us,
                "{\"item\": \"book\", \"notes\": \"" + "x".repeat(100) + "\"}", "{\"error\": \"upstream\"}");
        orders.message(2, root, "outbound", "POST", "http://127.0.0.1:8083/payments", 500, t0Us + 1_000, "{\"amount\": 12}", "{}");
        orders.log(3, root, t0Us + 100, "DEBUG", "handling POST /orders");
        orders.log(4, null, t0Us + 200, "WARN", "pool nearly exhausted");
        c.post(orders);

        RealCollector.Batch payments = new RealCollector.Batch(PAYMENTS, TREE, "error", "ERROR bank declined the card");
        // Payments failed first: its trigger is the earliest, so the trace's origin.
        ((ObjectNode) payments.json.get("triggers").get(0)).put("atMs", System.currentTimeMillis() - 1_000);
        ObjectNode failed = payments.span(child, root, "POST /payments", "failed", t0Us + 2_000, 20_000);
        failed.putObject("error").put("type", "HTTP 500").put("message", "POST /payments").putNull("stack");
        payments.log(10, child, t0Us + 3_000, "INFO", "charging card").put("logger", "io.mintaro.demo.Bank");
        payments.log(11, child, t0Us + 4_000, "ERROR", "bank declined the card").putObject("error")
                .put("type", "java.lang.IllegalStateException").put("message", "card declined")
                .put("stack", "at Bank.charge(Bank.java:12)\nat Payments.pay(Payments.java:40)\nat Handler.handle(Handler.java:9)\nat Jetty.run(Jetty.java:1)");
        payments.span("00000000000000c3", "00000000000000ff", "nightly-reconcile", "succeeded", t0Us + 5_000, 1_000);
        c.post(payments);
        c.awaitStored(TREE);
    }

    void storeSlow(String traceId, long startUs) {
        RealCollector.Batch b = new RealCollector.Batch(PAYMENTS, traceId, "slow", "slow POST /payments");
        b.span("00000000000000d4", null, "POST /payments", "succeeded", startUs, 2_000_000);
        c.post(b);
        c.awaitStored(traceId);
    }

    // ------------------------------------------------------------------ sign-in

    @Test
    void loginStoresTheCollectorAndKeyInAFileOnlyTheUserCanReadAndLaterCommandsUseIt() throws Exception {
        Cli plain = new Cli(dir.resolve("config"));
        Cli.Result login = plain.run("login", "--collector", c.url() + "/", "--key", RealCollector.KEY);
        assertThat(login.code()).as(login.toString()).isZero();
        assertThat(login.out()).contains("Signed in to " + c.url()).contains("namespace default");

        Path file = dir.resolve("config/config.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("key=" + RealCollector.KEY);

        Cli.Result traces = plain.run("traces");
        assertThat(traces.code()).as(traces.toString()).isZero();
        assertThat(traces.out()).contains(TREE);

        Cli.Result logout = plain.run("logout");
        assertThat(logout.code()).isZero();
        assertThat(file).doesNotExist();
        Cli.Result after = plain.run("traces");
        assertThat(after.code()).isEqualTo(3);
        assertThat(after.err()).startsWith("mintaro: not signed in").hasLineCount(1);
    }

    @Test
    void loginReadsTheKeyFromStdinWithKeyDash() {
        Cli plain = new Cli(dir.resolve("config"));
        plain.stdin = RealCollector.KEY + "\n";
        Cli.Result login = plain.run("login", "--collector", c.url(), "--key", "-");
        assertThat(login.code()).as(login.toString()).isZero();
        assertThat(plain.run("namespaces").out()).isEqualTo("* default\n");
    }

    @Test
    void aKeyTheCollectorRefusesIsNotStoredAndExitsWith3() {
        Cli plain = new Cli(dir.resolve("config"));
        Cli.Result login = plain.run("login", "--collector", c.url(), "--key", "wrong-key-0123456789");
        assertThat(login.code()).as(login.toString()).isEqualTo(3);
        assertThat(login.err()).contains("refused the key").hasLineCount(1);
        assertThat(dir.resolve("config/config.properties")).doesNotExist();

        Cli.Result traces = cli.env("MINTARO_API_KEY", "wrong-key-0123456789").run("traces");
        assertThat(traces.code()).isEqualTo(3);
        assertThat(traces.err()).hasLineCount(1);
    }

    @Test
    void theEnvironmentOverridesTheStoredSignIn() {
        Cli plain = new Cli(dir.resolve("config"));
        assertThat(plain.run("login", "--collector", c.url(), "--key", RealCollector.KEY).code()).isZero();
        // A stored sign-in, and an environment that points elsewhere: the environment wins.
        Cli.Result elsewhere = plain.env("MINTARO_COLLECTOR", "http://127.0.0.1:1").run("traces", "--timeout", "2");
        assertThat(elsewhere.code()).isEqualTo(4);
        Cli.Result badKey = new Cli(dir.resolve("config")).env("MINTARO_API_KEY", "another-key-0123456789").run("traces");
        assertThat(badKey.code()).isEqualTo(3);
    }

    @Test
    void aCollectorUrlMayCarryTheKeyAsTheSdksDoes() {
        Cli.Result r = new Cli(dir.resolve("config"))
                .env("MINTARO_COLLECTOR", c.url().replace("http://", "http://" + RealCollector.KEY + "@")).run("namespaces");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("* default\n");
    }

    // ------------------------------------------------------------------ traces

    @Test
    void tracesListsNewestFirstInAnAlignedTable() {
        Cli.Result r = cli.run("traces");
        assertThat(r.code()).as(r.toString()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("TRACE ID").contains("STATUS").contains("DURATION").contains("NAME");
        assertThat(lines[1]).startsWith(TREE).contains("error").contains("POST /orders").contains("orders, payments");
        assertThat(lines[2]).startsWith(TWIN_2);
        assertThat(lines[3]).startsWith(TWIN_1);
        // Aligned: the status column starts at the same place on every row.
        assertThat(lines[1].indexOf("error")).isEqualTo(lines[0].indexOf("STATUS"));
        assertThat(lines[2].indexOf("slow")).isEqualTo(lines[0].indexOf("STATUS"));
        assertThat(lines[4]).isEqualTo("page 1 of 1, 3 traces");
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    @Test
    void tracesFiltersAsTheApiDoes() {
        assertThat(cli.run("traces", "--status", "slow").out()).contains(TWIN_1, TWIN_2).doesNotContain(TREE);
        assertThat(cli.run("traces", "--service", "orders").out()).contains(TREE).doesNotContain(TWIN_1);
        assertThat(cli.run("traces", "-q", "declined").out()).contains(TREE).doesNotContain(TWIN_1);
        assertThat(cli.run("traces", "--limit", "1", "--page", "2").out()).contains(TWIN_2).doesNotContain(TREE)
                .contains("page 2 of 3");
        Cli.Result bad = cli.run("traces", "--status", "weird");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).hasLineCount(1).contains("status");
    }

    @Test
    void tracesGroupsAndTailFilterByTag() throws Exception {
        // Tags: the agents' service and version (orders 2.4.1, payments 1.0.0), and span attributes.
        assertThat(cli.run("traces", "--tag", "version=2.4.1").out()).contains(TREE).doesNotContain(TWIN_1);
        assertThat(cli.run("traces", "--tag", "service:payments").out()).contains(TREE, TWIN_1, TWIN_2);
        assertThat(cli.run("traces", "--tag", "service=payments", "--tag", "version=2.4.1").out())
                .contains(TREE).doesNotContain(TWIN_1, TWIN_2);
        assertThat(cli.run("traces", "--tag", "version=9.9.9").out()).contains("No traces.");
        assertThat(cli.run("groups", "--tag", "version=2.4.1").out()).contains("IllegalStateException in POST /payments")
                .doesNotContain("slow in");
        assertThat(cli.run("groups", "--tag", "version=9.9.9").out()).doesNotContain("IllegalStateException", "slow in");
        Cli.Result bad = cli.run("traces", "--tag", "version");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).hasLineCount(1).contains("--tag must be KEY=VALUE");

        Cli.Running tail = cli.start("tail", "--count", "1", "--interval", "100", "--json", "--tag", "version=2.4.1");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tail.err.toString().contains("Following")) {
            assertThat(System.nanoTime()).as("tail started: " + tail.err).isLessThan(deadline);
            Thread.sleep(20);
        }
        RealCollector.Batch other = new RealCollector.Batch(PAYMENTS, "5c000000000000000000000000000001", "error",
                "HTTP 500 GET /refund");
        other.span("00000000000000e6", null, "GET /refund", "failed", t0Us + 1_000_000, 1_000);
        c.post(other); // version 1.0.0: not followed
        String fresh = "5d000000000000000000000000000001";
        RealCollector.Batch b = new RealCollector.Batch(ORDERS, fresh, "error", "HTTP 500 GET /stock");
        b.span("00000000000000e5", null, "GET /stock", "failed", t0Us + 2_000_000, 1_000);
        c.post(b);
        tail.thread.join(10_000);
        assertThat(tail.code).as(tail.err.toString()).isZero();
        String[] lines = tail.out.toString().split("\n");
        assertThat(lines).hasSize(1);
        assertThat(RealCollector.JSON.readTree(lines[0]).get("traceId").asText()).isEqualTo(fresh);
    }

    @Test
    void tracesJsonIsTheApisDocument() throws Exception {
        Cli.Result r = cli.run("traces", "--json");
        assertThat(r.code()).isZero();
        JsonNode json = RealCollector.JSON.readTree(r.out());
        assertThat(json.get("total").asInt()).isEqualTo(3);
        assertThat(json.get("traces").get(0).get("traceId").asText()).isEqualTo(TREE);
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        cli.terminal = true;
        assertThat(cli.run("traces").out()).contains("\u001b[31merror");
        cli.env("NO_COLOR", "1");
        assertThat(cli.run("traces").out()).doesNotContain("\u001b[");
    }

    // ------------------------------------------------------------------ trace

    @Test
    void traceAcceptsAFullIdATraceparentAndAUniquePrefix() {
        for (String id : new String[] {TREE, TREE.toUpperCase(), "00-" + TREE + "-00f067aa0ba902b7-01", "4bf92f"}) {
            Cli.Result r = cli.run("trace", id);
            assertThat(r.code()).as(id + ": " + r).isZero();
            assertThat(r.out()).startsWith("Trace " + TREE);
        }
    }

    @Test
    void anAmbiguousOrUnknownPrefixIsNotFoundAndNamesTheCandidates() {
        Cli.Result ambiguous = cli.run("trace", "abcdef00");
        assertThat(ambiguous.code()).isEqualTo(1);
        assertThat(ambiguous.err()).hasLineCount(1).contains("ambiguous").contains(TWIN_1).contains(TWIN_2);

        Cli.Result unknown = cli.run("trace", "123456");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).hasLineCount(1).contains("123456");

        Cli.Result missing = cli.run("trace", "ffffffffffffffffffffffffffffffff");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("mintaro: unknown trace (HTTP 404)\n");

        Cli.Result malformed = cli.run("trace", "abc");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).hasLineCount(1);
    }

    @Test
    void traceNestsSpansUnderTheirParentsWithTheirExchangesAndLogs() {
        Cli.Result r = cli.run("trace", TREE);
        assertThat(r.code()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out).contains("trigger: error ERROR bank declined the card (payments)");
        // The root at depth 0, its records and child at depth 1, the child's records at depth 2.
        assertThat(out).contains("\nPOST /orders  [orders]  30.0 ms  failed\n");
        assertThat(out).contains("\n  ← inbound POST http://127.0.0.1:8081/orders  502  12.5 ms\n");
        assertThat(out).contains("\n  → outbound POST http://127.0.0.1:8083/payments  500  12.5 ms\n");
        assertThat(out).contains("\n  DEBUG io.mintaro.demo.Payments  handling POST /orders\n");
        assertThat(out).contains("\n  POST /payments  [payments]  20.0 ms  failed\n");
        assertThat(out).contains("\n    INFO  io.mintaro.demo.Bank  charging card\n");
        assertThat(out).contains("\n    ERROR io.mintaro.demo.Payments  bank declined the card\n"
                + "      java.lang.IllegalStateException: card declined\n"
                + "        at Bank.charge(Bank.java:12)\n"
                + "        at Payments.pay(Payments.java:40)\n"
                + "        at Handler.handle(Handler.java:9)\n"
                + "        …\n");
        // The span whose parent is missing is a root; the log without span comes last.
        assertThat(out).contains("\nnightly-reconcile  [payments]  1.0 ms  succeeded\n");
        assertThat(out).endsWith("(no span)\n  WARN  io.mintaro.demo.Payments  pool nearly exhausted\n");
        assertThat(out.indexOf("POST /payments  [payments]")).isGreaterThan(out.indexOf("POST /orders  [orders]"));
        // Bodies only with --bodies.
        assertThat(out).doesNotContain("request body");
    }

    @Test
    void levelShowsOnlyLogLinesOfThatLevelAndAbove() {
        Cli.Result r = cli.run("trace", TREE, "--level", "WARN");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("bank declined the card", "pool nearly exhausted")
                .doesNotContain("charging card", "handling POST /orders");
        assertThat(cli.run("trace", TREE, "--level", "ERROR").out()).doesNotContain("pool nearly exhausted")
                .doesNotContain("(no span)");
        assertThat(cli.run("trace", TREE, "--level", "LOUD").code()).isEqualTo(2);
    }

    @Test
    void bodiesShowsRequestAndResponseBodiesCutAtTheBodyLimit() {
        Cli.Result r = cli.run("trace", TREE, "--bodies", "--body-limit", "21");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("    request body: {\"item\": \"book\", \"not … (truncated; 129 bytes)\n")
                .contains("    response body: {\"error\": \"upstream\"}\n")
                .contains("    request body: {\"amount\": 12}\n");
        assertThat(cli.run("trace", TREE, "--bodies").out()).contains("x".repeat(100));
    }

    @Test
    void traceJsonIsTheApisTrace() throws Exception {
        JsonNode json = RealCollector.JSON.readTree(cli.run("trace", "4bf92f", "--json").out());
        assertThat(json.get("traceId").asText()).isEqualTo(TREE);
        assertThat(json.get("spans")).hasSize(3);
    }

    // ------------------------------------------------------------------ groups, triage, services

    @Test
    void groupsShowsNameStatusCountAndLastSeen() {
        Cli.Result r = cli.run("groups");
        assertThat(r.code()).as(r.toString()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("FINGERPRINT").contains("NAME", "STATUS", "COUNT", "LAST SEEN");
        assertThat(r.out()).contains("java.lang.IllegalStateException in POST /payments")
                .contains("slow in POST /payments");
        String slow = Arrays.stream(lines).filter(l -> l.contains("slow in")).findFirst().orElseThrow();
        assertThat(slow).contains("  slow  ").contains("  2  ");
        assertThat(cli.run("groups", "--speed", "slow").out()).doesNotContain("IllegalStateException");
        assertThat(cli.run("groups", "--status", "error").out()).doesNotContain("slow in");
    }

    @Test
    void triageChangesTheGroup() {
        String fingerprint = c.api("/api/groups?speed=slow").get("groups").get(0).get("fingerprint").asText();
        Cli.Result r = cli.run("triage", fingerprint, "--level", "warn", "--note", "bank is slow");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("level warn").contains("bank is slow");
        JsonNode group = c.api("/api/groups/" + fingerprint);
        assertThat(group.get("triage").get("level").asText()).isEqualTo("warn");
        assertThat(group.get("triage").get("note").asText()).isEqualTo("bank is slow");
        assertThat(cli.run("groups").out()).contains("slow, warn");

        assertThat(cli.run("triage", fingerprint, "--silence").code()).isZero();
        assertThat(c.api("/api/groups/" + fingerprint).get("triage").get("mark").asText()).isEqualTo("silenced");
        assertThat(cli.run("groups").out()).doesNotContain(fingerprint);
        assertThat(cli.run("groups", "--silenced", "only").out()).contains(fingerprint);

        Cli.Result unknown = cli.run("triage", "0123456789abcdef", "--level", "ok");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("mintaro: unknown group (HTTP 404)\n");
        assertThat(cli.run("triage", fingerprint, "--level", "panic").code()).isEqualTo(2);
    }

    @Test
    void servicesListsVersionsAgentsAndLastSeen() {
        Cli.Result r = cli.run("services");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().split("\n")[0]).startsWith("NAME").contains("VERSIONS", "AGENTS", "LAST SEEN");
        assertThat(r.out()).containsPattern("orders +2\\.4\\.1 \\(1/1\\) +1 connected +\\d{4}-\\d\\d-\\d\\d ")
                .containsPattern("payments +1\\.0\\.0 \\(1/1\\) +1 connected");
    }

    @Test
    void namespacesListsTheKeysNamespace() {
        assertThat(cli.run("namespaces").out()).isEqualTo("* default\n");
    }

    // ------------------------------------------------------------------ tail, completion, usage

    @Test
    void tailPrintsOnlyErrorTracesStoredAfterItStarted() throws Exception {
        Cli.Running tail = cli.start("tail", "--count", "1", "--interval", "100", "--json");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tail.err.toString().contains("Following")) {
            assertThat(System.nanoTime()).as("tail started: " + tail.err).isLessThan(deadline);
            Thread.sleep(20);
        }
        storeSlow("5a000000000000000000000000000001", t0Us + 1_000_000); // not an error: not followed
        String fresh = "5b000000000000000000000000000001";
        RealCollector.Batch b = new RealCollector.Batch(ORDERS, fresh, "error", "HTTP 500 GET /stock");
        b.span("00000000000000e5", null, "GET /stock", "failed", t0Us + 2_000_000, 1_000);
        c.post(b);
        tail.thread.join(10_000);
        assertThat(tail.thread.isAlive()).isFalse();
        assertThat(tail.code).as(tail.err.toString()).isZero();
        String[] lines = tail.out.toString().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = RealCollector.JSON.readTree(lines[0]);
        assertThat(line.get("traceId").asText()).isEqualTo(fresh);
        assertThat(line.get("status").asText()).isEqualTo("error");
    }

    @Test
    void completionPrintsABashScript() {
        Cli.Result r = cli.run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("traces").contains("triage");
    }

    @Test
    void usageErrorsExitWith2OnOneLine() {
        Cli.Result unknown = cli.run("tracez");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).hasLineCount(1);
        Cli.Result badOption = cli.run("traces", "--limit", "many");
        assertThat(badOption.code()).isEqualTo(2);
        assertThat(badOption.err()).hasLineCount(1);
        assertThat(cli.run().code()).isEqualTo(2);
        assertThat(cli.run("--help").code()).isZero();
        Cli.Result help = cli.run("trace", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--body-limit").contains("--level");
    }
}
