package io.mintaro.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
  @TempDir
  Path dir;

  @Test
  void an_issued_certificate_is_signed_by_its_ca_and_names_the_given_hosts() throws Exception {
    TestCertificates.Authority ca = TestCertificates.authority(dir, "test-ca");
    TestCertificates.Issued server = ca.issue("collector", "ip:127.0.0.1", "dns:localhost");

    X509Certificate caCertificate = read(ca.certificate());
    X509Certificate leaf = read(server.certificate());

    leaf.verify(caCertificate.getPublicKey()); // throws unless the CA signed it
    assertThat(caCertificate.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=collector");
    assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server, client
    assertThat(Files.readString(server.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void without_names_a_certificate_names_no_host() throws Exception {
    TestCertificates.Issued client = TestCertificates.authority(dir, "test-ca").issue("agent");

    assertThat(read(client.certificate()).getSubjectAlternativeNames()).isNull();
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
