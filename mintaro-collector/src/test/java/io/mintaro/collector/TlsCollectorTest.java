package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.testkit.servers.TestCertificates;
import io.mintaro.testkit.servers.TestCertificates.Authority;
import io.mintaro.testkit.servers.TestCertificates.Issued;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector serves HTTPS with the configured PEM certificate and key ({@code MINTARO_TLS_CERT},
 * {@code MINTARO_TLS_KEY}), and with {@code MINTARO_TLS_CLIENT_CA} accepts only clients whose
 * certificate that CA signed. Real handshakes on loopback with a throwaway CA.
 */
class TlsCollectorTest {
    @TempDir
    static Path certificates;
    static Authority ca;
    static Authority otherCa;
    static Issued server;
    static Issued client;
    static Issued strangerClient;
    static Issued serverForAnotherHost;

    @TempDir
    Path dir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.authority(certificates, "test-ca");
        otherCa = TestCertificates.authority(certificates, "other-ca");
        server = ca.issue("collector", "ip:127.0.0.1", "dns:localhost");
        client = ca.issue("agent");
        strangerClient = otherCa.issue("stranger");
        serverForAnotherHost = ca.issue("elsewhere", "dns:collector.example.invalid");
    }

    @Test
    void aClientTrustingTheCaReachesTheCollectorOverHttps() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()))) {
            assertThat(c.collector.url()).startsWith("https://127.0.0.1:");

            HttpResponse<String> health = get(ca.clientContext(null), c.url("/api/health"));

            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedTheHandshake() {
        try (TestCollector c = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()))) {
            assertThatThrownBy(() -> get(otherCa.clientContext(null), c.url("/api/health")))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainHttpIsNotServedOnTheTlsPort() {
        try (TestCollector c = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()))) {
            String plain = c.url("/api/health").replace("https://", "http://");

            assertThat(status(HttpClient.newHttpClient(), plain)).isNotEqualTo(200);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRejectedByTheClient() {
        try (TestCollector c = TestCollector.start(dir,
                b -> b.tls(serverForAnotherHost.certificate(), serverForAnotherHost.privateKey()))) {
            assertThatThrownBy(() -> get(ca.clientContext(null), c.url("/api/health")))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedAreServed() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey())
                .tlsClientCa(ca.certificate()))) {
            String health = c.url("/api/health");

            assertThat(get(ca.clientContext(client), health).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(ca.clientContext(null), health))
                    .as("no client certificate").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(ca.clientContext(strangerClient), health))
                    .as("a certificate another CA signed").isInstanceOf(IOException.class);
        }
    }

    @Test
    void withoutAClientCaNoClientCertificateIsNeeded() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.tls(server.certificate(), server.privateKey()))) {
            assertThat(get(ca.clientContext(null), c.url("/api/health")).statusCode()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------ configuration time

    @Test
    void aMissingCertificateFileIsAConfigurationError() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> config().tls(missing, server.privateKey()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINTARO_TLS_CERT: no such file: " + missing);
    }

    @Test
    void aKeyOfAnotherCertificateIsAConfigurationError() {
        assertThatThrownBy(() -> config().tls(server.certificate(), client.privateKey()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MINTARO_TLS_KEY: the key in " + client.privateKey()
                        + " does not belong to the certificate in " + server.certificate());
    }

    @Test
    void aFileWithoutAPemCertificateIsAConfigurationError() {
        assertThatThrownBy(() -> config().tls(server.privateKey(), server.privateKey()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MINTARO_TLS_CERT: " + server.privateKey() + " holds no readable PEM certificate");
    }

    @Test
    void aKeyInAnotherPemFormatIsAConfigurationErrorThatSaysHowToConvertIt() throws IOException {
        Path rsaStyle = dir.resolve("pkcs1.pem");
        Files.writeString(rsaStyle, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> config().tls(server.certificate(), rsaStyle).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a 'RSA PRIVATE KEY'")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aCertificateWithoutItsKeyOrAClientCaWithoutTlsIsAConfigurationError() {
        assertThatThrownBy(() -> config().tls(server.certificate(), null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> config().tlsClientCa(ca.certificate()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINTARO_TLS_CLIENT_CA needs TLS: set MINTARO_TLS_CERT and MINTARO_TLS_KEY too");
    }

    @Test
    void theEnvironmentNamesTheFiles() {
        CollectorConfig config = CollectorConfig.fromSources(java.util.Map.of(
                "MINTARO_TLS_CERT", server.certificate().toString(),
                "MINTARO_TLS_KEY", server.privateKey().toString(),
                "MINTARO_TLS_CLIENT_CA", ca.certificate().toString()), name -> null);

        assertThat(config.tls()).isTrue();
        assertThat(config.tlsCertificate()).isEqualTo(server.certificate());
        assertThat(config.tlsPrivateKey()).isEqualTo(server.privateKey());
        assertThat(config.tlsClientCa()).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> CollectorConfig.fromSources(
                java.util.Map.of("MINTARO_TLS_KEY", server.privateKey().toString()), name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MINTARO_TLS_CERT and MINTARO_TLS_KEY go together");
    }

    private CollectorConfig.Builder config() {
        return CollectorConfig.builder().port(0).database(TestDatabase.forDirectory(dir));
    }

    private static HttpResponse<String> get(SSLContext tls, String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a GET, or -1 when the exchange fails. */
    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
