package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ServerExchange;
import io.mintaro.testkit.servers.LogRecords;
import io.mintaro.testkit.servers.TestCertificates;
import io.mintaro.testkit.servers.TestCertificates.Authority;
import io.mintaro.testkit.servers.TestCertificates.Issued;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents (the SDK) and a real collector over TLS on loopback: the agent verifies the
 * collector's certificate against the CA it is told to trust ({@code MINTARO_TLS_CA}) and its host
 * name, presents its own certificate when the collector requires one (mTLS), and a failed
 * handshake is a failed upload, never an exception in the application.
 */
class TlsAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path certificates;
    static Authority ca;
    static Authority otherCa;
    static Issued server;
    static Issued agent;
    static Issued serverForAnotherHost;

    @TempDir
    Path dir;
    private TestCollector collector;
    private MintaroSdk sdk;
    private final LogRecords agentLog = LogRecords.of("io.mintaro.agent");

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.authority(certificates, "test-ca");
        otherCa = TestCertificates.authority(certificates, "other-ca");
        server = ca.issue("collector", "ip:127.0.0.1", "dns:localhost");
        agent = ca.issue("agent");
        serverForAnotherHost = ca.issue("elsewhere", "dns:collector.example.invalid");
    }

    @AfterEach
    void stop() {
        agentLog.close();
        if (sdk != null) {
            sdk.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void anAgentTrustingTheCaUploadsOverHttpsAndTheTraceIsStored() throws Exception {
        collector = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()));
        sdk = agent(b -> b.tlsCa(ca.certificate()));

        awaitConnected();
        String traceId = failRequest();

        assertThat(awaitTrace(traceId)).as("trace stored").isTrue();
        assertThat(sdk.stats().triggersReported()).isEqualTo(1);
    }

    @Test
    void anAgentThatDoesNotTrustTheCollectorsCaSendsNothingAndTheApplicationCarriesOn() throws Exception {
        collector = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()));
        sdk = agent(UnaryOperator.identity()); // the JDK's trust store, which knows no test CA

        assertThat(agentLog.awaitWarning(m -> m.startsWith("mintaro agent: TLS with the collector"), WAIT))
                .as("the operator is told why").isTrue();
        String[] traceId = new String[1];
        assertThatCode(() -> traceId[0] = failRequest()).doesNotThrowAnyException();

        assertThat(sdk.stats().connected()).isFalse();
        assertThat(sdk.stats().batchesSent()).isZero();
        assertThat(collector.query("SELECT COUNT(*) FROM agents")).containsExactly("0");
        assertThat(traceStored(traceId[0])).isFalse();
    }

    @Test
    void aCollectorCertificateForAnotherHostNameIsRejectedByTheAgent() throws Exception {
        collector = TestCollector.start(dir,
                b -> b.tls(serverForAnotherHost.certificate(), serverForAnotherHost.privateKey()));
        sdk = agent(b -> b.tlsCa(ca.certificate()));

        assertThat(agentLog.awaitWarning(m -> m.startsWith("mintaro agent: TLS with the collector"), WAIT)).isTrue();
        assertThat(sdk.stats().connected()).isFalse();
        assertThat(collector.query("SELECT COUNT(*) FROM agents")).containsExactly("0");
    }

    @Test
    void aCollectorRequiringClientCertificatesRefusesAnAgentWithoutOne() throws Exception {
        collector = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey())
                .tlsClientCa(ca.certificate()));
        sdk = agent(b -> b.tlsCa(ca.certificate()));

        assertThat(agentLog.awaitWarning(m -> m.startsWith("mintaro agent: TLS with the collector"), WAIT)).isTrue();
        assertThat(sdk.stats().connected()).isFalse();
        assertThat(collector.query("SELECT COUNT(*) FROM agents")).containsExactly("0");
    }

    @Test
    void aCollectorRequiringClientCertificatesServesAnAgentWithOneItsCaSigned() throws Exception {
        collector = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey())
                .tlsClientCa(ca.certificate()));
        sdk = agent(b -> b.tlsCa(ca.certificate()).tlsClientCertificate(agent.certificate(), agent.privateKey()));

        awaitConnected();
        String traceId = failRequest();

        assertThat(awaitTrace(traceId)).isTrue();
    }

    @Test
    void anHttpsAgentOpensWithATlsHandshakeAndNeverSendsItsKeyInClear() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            sdk = MintaroSdk.builder().service("tls-agent")
                    .collector("https://127.0.0.1:" + listener.getLocalPort()).apiKey(TestCollector.KEY).build();
            listener.setSoTimeout((int) WAIT.toMillis());
            byte[] firstBytes;
            try (Socket connection = listener.accept()) {
                connection.setSoTimeout(2_000);
                firstBytes = readSome(connection.getInputStream());
            }

            assertThat(firstBytes[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
            assertThat(new String(firstBytes, StandardCharsets.ISO_8859_1))
                    .doesNotContain(TestCollector.KEY).doesNotContain("POST");
        }
    }

    private MintaroSdk agent(UnaryOperator<MintaroSdk.Builder> tls) {
        return tls.apply(MintaroSdk.builder().service("tls-agent").collector(collector.collector.url())
                .apiKey(TestCollector.KEY)).build();
    }

    /** A request of the application that fails with a 500: a trigger. */
    private String failRequest() {
        ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://app/orders", "/orders", name -> null);
        String traceId = exchange.traceId();
        Mintaro.trigger("checkout failed");
        exchange.status(500);
        exchange.close();
        return traceId;
    }

    private void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!sdk.stats().connected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sdk.stats().connected()).as("agent connected; warnings: " + agentLog.warnings()).isTrue();
    }

    private boolean awaitTrace(String traceId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (traceStored(traceId)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private boolean traceStored(String traceId) throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(ca.clientContext(agent)).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(collector.url("/api/traces/" + traceId)))
                .header("Authorization", "Bearer " + TestCollector.KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    private static byte[] readSome(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while (out.size() < 16 * 1024 && (n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            // the client waits for the server's hello: all it sends first has arrived
        }
        return out.toByteArray();
    }
}
