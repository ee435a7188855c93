package io.mintaro.testkit.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and the certificates it issues, made by the JDK's
 * {@code keytool} in a directory the test owns, as PEM files: what an operator hands the collector
 * and the agents. Nothing is committed; every run makes new keys (EC P-256, valid two days).
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority(dir, "test-ca");
 * TestCertificates.Issued server = ca.issue("collector", "ip:127.0.0.1", "dns:localhost");
 * // ca.certificate(), server.certificate(), server.privateKey(): PEM files
 * }</pre>
 */
public final class TestCertificates {
  // Only the throwaway PKCS12 stores keytool works in use it; the PEM keys are not encrypted.
  private static final String STORE_PASSWORD = "throwaway";
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private TestCertificates() {}

  /** A new self-signed CA named {@code CN=name}, its files in {@code dir}. */
  public static Authority authority(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-validity", "2", "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    Path certificate = dir.resolve(name + ".pem");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
        "-file", certificate.toString());
    return new Authority(dir, store, certificate);
  }

  /** A certificate authority; {@link #certificate()} is what clients and servers are told to trust. */
  public static final class Authority {
    private final Path dir;
    private final Path store;
    private final Path certificate;

    private Authority(Path dir, Path store, Path certificate) {
      this.dir = dir;
      this.store = store;
      this.certificate = certificate;
    }

    /** The CA's certificate, PEM. */
    public Path certificate() {
      return certificate;
    }

    /**
     * A certificate for {@code CN=name}, for both server and client use, signed by this CA.
     *
     * @param subjectAltNames keytool's form, for example {@code ip:127.0.0.1} or {@code dns:localhost};
     *     none: a certificate no host name matches
     */
    public Issued issue(String name, String... subjectAltNames) {
      Path leafStore = dir.resolve(name + ".p12");
      keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=" + name, "-validity", "2",
          "-keystore", leafStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
      Path request = dir.resolve(name + ".csr");
      keytool("-certreq", "-alias", "leaf", "-keystore", leafStore.toString(), "-storepass", STORE_PASSWORD,
          "-file", request.toString());
      Path leafCertificate = dir.resolve(name + ".pem");
      List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca",
          "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-validity", "2",
          "-infile", request.toString(), "-outfile", leafCertificate.toString(),
          "-ext", "ku=digitalSignature", "-ext", "eku=serverAuth,clientAuth"));
      if (subjectAltNames.length > 0) {
        gencert.addAll(List.of("-ext", "san=" + String.join(",", subjectAltNames)));
      }
      keytool(gencert.toArray(String[]::new));
      Path key = dir.resolve(name + "-key.pem");
      writePrivateKey(leafStore, key);
      return new Issued(leafCertificate, key, leafStore);
    }

    /**
     * A client's TLS context that trusts this CA alone and presents {@code identity}'s certificate
     * (null: none), for test clients (the JDK's HttpClient) that talk to a server this CA vouches for.
     */
    public SSLContext clientContext(Issued identity) {
      try {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", readCertificate(certificate));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (identity != null) {
          keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
          // keytool's store still holds the self-signed certificate of the key pair; the one the
          // CA signed is the PEM file.
          KeyStore signed = KeyStore.getInstance("PKCS12");
          signed.load(null, null);
          signed.setKeyEntry("leaf", load(identity.store).getKey("leaf", STORE_PASSWORD.toCharArray()),
              STORE_PASSWORD.toCharArray(), new java.security.cert.Certificate[] {readCertificate(identity.certificate)});
          keys.init(signed, STORE_PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("could not build a TLS context trusting " + certificate, e);
      }
    }
  }

  /** A certificate and its private key (unencrypted PKCS#8), PEM files; and keytool's store of both. */
  public static final class Issued {
    private final Path certificate;
    private final Path privateKey;
    private final Path store;

    private Issued(Path certificate, Path privateKey, Path store) {
      this.certificate = certificate;
      this.privateKey = privateKey;
      this.store = store;
    }

    /** The certificate, PEM. */
    public Path certificate() {
      return certificate;
    }

    /** Its private key, PEM (unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}). */
    public Path privateKey() {
      return privateKey;
    }
  }

  private static java.security.cert.Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD.toCharArray());
      return keyStore;
    }
  }

  /** keytool cannot export a private key; the JDK reads it from the store and PEM is base64 of PKCS#8. */
  private static void writePrivateKey(Path store, Path target) {
    try {
      KeyStore keyStore = load(store);
      PrivateKey key = (PrivateKey) keyStore.getKey("leaf", STORE_PASSWORD.toCharArray());
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(key.getEncoded());
      Files.writeString(target, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not read the key keytool made in " + store, e);
    }
  }

  private static void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Os.Result result = Os.run(command, Map.of(), TOOL_TIMEOUT);
    if (!result.ok()) {
      throw new IllegalStateException("keytool " + arguments[0] + " failed (" + result.exitCode() + "): "
          + result.output());
    }
  }
}
