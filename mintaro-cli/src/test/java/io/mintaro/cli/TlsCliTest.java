package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.testkit.servers.TestCertificates;
import io.mintaro.testkit.servers.TestCertificates.Authority;
import io.mintaro.testkit.servers.TestCertificates.Issued;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mintaro} talks to an https collector, verifying it against {@code MINTARO_TLS_CA} as the SDK does. */
class TlsCliTest {
    @TempDir
    static Path dir;
    static Authority ca;
    static Collector collector;

    @BeforeAll
    static void start() {
        ca = TestCertificates.authority(dir, "test-ca");
        Issued server = ca.issue("collector", "ip:127.0.0.1", "dns:localhost");
        collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("m.db"))
                .apiKey(RealCollector.KEY).tls(server.certificate(), server.privateKey()).build());
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    Cli cli() {
        return new Cli(dir.resolve("config")).env("MINTARO_COLLECTOR", collector.url())
                .env("MINTARO_API_KEY", RealCollector.KEY);
    }

    @Test
    void withTheCaTheCliReadsAnHttpsCollector() {
        Cli.Result namespaces = cli().env("MINTARO_TLS_CA", ca.certificate().toString()).run("namespaces");

        assertThat(collector.url()).startsWith("https://");
        assertThat(namespaces.code()).as(namespaces.toString()).isZero();
        assertThat(namespaces.out()).isEqualTo("* default\n");
    }

    @Test
    void withoutTheCaTheCollectorIsNotTrustedAndTheErrorSaysWhatToSet() {
        Cli.Result namespaces = cli().run("namespaces");

        assertThat(namespaces.code()).as(namespaces.toString()).isEqualTo(4);
        assertThat(namespaces.err()).contains("TLS failed").contains("MINTARO_TLS_CA").hasLineCount(1);
    }

    @Test
    void aMissingCaFileIsAUsageError() {
        Path missing = dir.resolve("missing.pem");
        Cli.Result namespaces = cli().env("MINTARO_TLS_CA", missing.toString()).run("namespaces");

        assertThat(namespaces.code()).as(namespaces.toString()).isEqualTo(2);
        assertThat(namespaces.err()).contains("MINTARO_TLS_CA: no such file: " + missing);
    }
}
