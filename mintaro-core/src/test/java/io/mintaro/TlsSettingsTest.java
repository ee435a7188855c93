package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.Core;
import io.mintaro.testkit.servers.LogRecords;
import io.mintaro.testkit.servers.TestCertificates;
import io.mintaro.testkit.servers.TestCertificates.Authority;
import io.mintaro.testkit.servers.TestCertificates.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's TLS settings are checked when the SDK is configured, and a plain-HTTP collector URL
 * to another host is warned about once. (Handshakes with a real collector: the collector's
 * {@code TlsAgentTest}.)
 */
class TlsSettingsTest {
  private static final String WARNING_START = "mintaro agent: the collector URL ";

  @TempDir
  static Path certificates;
  static Authority ca;
  static Issued agent;
  static Issued other;

  private final List<String> properties = new ArrayList<>();
  private final LogRecords agentLog = LogRecords.of("io.mintaro.agent");

  @BeforeAll
  static void issueCertificates() {
    ca = TestCertificates.authority(certificates, "test-ca");
    agent = ca.issue("agent");
    other = ca.issue("other");
  }

  @AfterEach
  void clean() {
    agentLog.close();
    properties.forEach(System::clearProperty);
  }

  @Test
  void aCaAndAClientCertificateConfigureTheAgentsTls() {
    try (MintaroSdk sdk = MintaroSdk.builder().collector("https://collector.example.invalid:7070")
        .tlsCa(ca.certificate()).tlsClientCertificate(agent.certificate(), agent.privateKey()).build()) {
      assertThat(Core.of(sdk).settings().sslContext).isNotNull();
    }
    try (MintaroSdk sdk = MintaroSdk.builder().collector("https://collector.example.invalid:7070").build()) {
      assertThat(Core.of(sdk).settings().sslContext).as("the JDK's defaults").isNull();
    }
  }

  @Test
  void aMissingCaFileIsAConfigurationError() {
    Path missing = certificates.resolve("missing.pem");

    assertThatThrownBy(() -> MintaroSdk.builder().tlsCa(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MINTARO_TLS_CA: no such file: " + missing);
  }

  @Test
  void aKeyOfAnotherCertificateIsAConfigurationError() {
    assertThatThrownBy(() -> MintaroSdk.builder().tlsClientCertificate(agent.certificate(), other.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MINTARO_TLS_KEY: the key in " + other.privateKey()
            + " does not belong to the certificate in " + agent.certificate());
  }

  @Test
  void aCertificateWithoutItsKeyIsAConfigurationError() {
    assertThatThrownBy(() -> MintaroSdk.builder().tlsClientCertificate(agent.certificate(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MINTARO_TLS_CERT and MINTARO_TLS_KEY go together: give both or neither");
  }

  @Test
  void aCertificateGivenAsTheCaIsReadButAKeyIsNot() {
    assertThatThrownBy(() -> MintaroSdk.builder().tlsCa(agent.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MINTARO_TLS_CA: " + agent.privateKey() + " holds no readable PEM certificate");
  }

  @Test
  void tlsSettingsForAPlainHttpCollectorAreAConfigurationError() {
    assertThatThrownBy(() -> MintaroSdk.builder().collector("http://collector:7070").tlsCa(ca.certificate()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MINTARO_TLS_CA, MINTARO_TLS_CERT and MINTARO_TLS_KEY need an https:// collector URL, got:"
            + " http://collector:7070");
  }

  @Test
  void theEnvironmentNamesTheFiles() {
    property("mintaro.collector", "https://collector.example.invalid:7070");
    property("mintaro.tls.ca", ca.certificate().toString());
    property("mintaro.tls.cert", agent.certificate().toString());
    property("mintaro.tls.key", agent.privateKey().toString());

    try (MintaroSdk sdk = MintaroSdk.fromEnvironment()) {
      assertThat(Core.of(sdk).settings().sslContext).isNotNull();
    }
    property("mintaro.tls.key", other.privateKey().toString());
    assertThatThrownBy(MintaroSdk::fromEnvironment)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to the certificate");
  }

  @Test
  void aPlainHttpUrlToAnotherHostIsWarnedAboutOnce() {
    try (MintaroSdk sdk = MintaroSdk.builder().service("svc").collector("http://example.invalid:1").build()) {
      // the agent keeps trying (and failing) meanwhile; the warning is not repeated
      assertThat(agentLog.awaitWarning(m -> m.startsWith(WARNING_START), Duration.ofSeconds(5))).isTrue();
      sleep(1_000);

      assertThat(agentLog.warnings()).filteredOn(m -> m.startsWith(WARNING_START)).containsExactly(
          WARNING_START + "http://example.invalid:1 is plain HTTP to another host: the API key and the traces"
              + " travel unencrypted; use an https:// URL (docs/security.md)");
    }
  }

  @Test
  void aPlainHttpUrlToThisMachineOrAnHttpsUrlIsNotWarnedAbout() {
    // the warning is written when the SDK is built, so none has been once build() returned
    for (String url : List.of("http://127.0.0.1:1", "http://localhost:1", "http://127.0.0.2:1", "http://[::1]:1")) {
      MintaroSdk.builder().service("svc").collector(url).build().close();
    }
    MintaroSdk.builder().service("svc").collector("https://example.invalid:1").build().close();

    assertThat(agentLog.warnings()).noneMatch(m -> m.startsWith(WARNING_START));
  }

  private void property(String name, String value) {
    System.setProperty(name, value);
    properties.add(name);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
