package io.mintaro.internal.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's TLS settings: the CAs it trusts for an {@code https} collector
 * ({@code MINTARO_TLS_CA}) and the certificate it presents for mTLS ({@code MINTARO_TLS_CERT},
 * {@code MINTARO_TLS_KEY}), read from PEM files with the JDK alone. Every problem is an
 * {@link IllegalArgumentException} naming the setting and the file: the builder's configuration
 * time. Certificate and host name verification stay the JDK's; nothing here turns them off.
 */
public final class CollectorTls {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----");
  /** A PKCS#8 encoding names its algorithm, but the JDK's KeyFactory must be asked by name. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
  /** The stores live in memory only; the password protects nothing on disk. */
  private static final char[] STORE_PASSWORD = "mintaro".toCharArray();

  private CollectorTls() {}

  /** A key store trusting every certificate in the PEM file {@code file}. */
  public static KeyStore trustStore(String setting, Path file) {
    try {
      KeyStore store = emptyStore();
      int n = 0;
      for (X509Certificate ca : certificates(setting, file)) {
        store.setCertificateEntry("ca-" + n++, ca);
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(setting + ": cannot trust " + file + ": " + e.getMessage());
    }
  }

  /**
   * A key store holding the private key of {@code keyFile} with the certificate chain of
   * {@code certificateFile}.
   *
   * @throws IllegalArgumentException also when the key is not the one of the chain's first certificate
   */
  public static KeyStore identity(String certificateSetting, Path certificateFile, String keySetting, Path keyFile) {
    List<X509Certificate> chain = certificates(certificateSetting, certificateFile);
    PrivateKey key = privateKey(keySetting, keyFile);
    if (!pairs(key, chain.get(0))) {
      throw new IllegalArgumentException(keySetting + ": the key in " + keyFile + " does not belong to the certificate in "
          + certificateFile + " (" + chain.get(0).getSubjectX500Principal() + ")");
    }
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("mintaro", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(keySetting + ": cannot use the key in " + keyFile + ": " + e.getMessage());
    }
  }

  /**
   * The SSL context of an agent's HTTP client.
   *
   * @param trusted the CAs trusted instead of the JDK's default trust store; null for the default
   * @param identity the client certificate and key; null to present none
   */
  public static SSLContext context(KeyStore trusted, KeyStore identity) {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted); // null: the JDK's cacerts
      KeyManagerFactory keys = null;
      if (identity != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, STORE_PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS settings: the JDK cannot build a TLS context: " + e.getMessage());
    }
  }

  /**
   * Whether a collector URL names this machine without a name lookup: {@code localhost} (and
   * {@code *.localhost}, RFC 6761), {@code 127.0.0.0/8} and {@code ::1}. Other names are not
   * resolved: a lookup could block, and a name that resolves to loopback here is rare.
   */
  public static boolean isLoopback(URI collector) {
    String host = collector.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static List<X509Certificate> certificates(String setting, Path file) {
    byte[] bytes = read(setting, file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      List<X509Certificate> out = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
      if (out.isEmpty()) {
        throw new IllegalArgumentException(setting + ": no certificate in " + file);
      }
      return out;
    } catch (CertificateException | IOException e) {
      throw new IllegalArgumentException(setting + ": " + file + " holds no readable PEM certificate ("
          + e.getMessage() + ")");
    }
  }

  private static PrivateKey privateKey(String setting, Path file) {
    String text = new String(read(setting, file), StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(text);
    if (!m.find()) {
      Matcher other = OTHER_KEY.matcher(text);
      if (other.find()) {
        throw new IllegalArgumentException(setting + ": " + file + " holds a '" + other.group(1).trim()
            + " PRIVATE KEY'; give an unencrypted PKCS#8 key ('BEGIN PRIVATE KEY'), for example from "
            + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
      }
      throw new IllegalArgumentException(setting + ": no 'BEGIN PRIVATE KEY' block in " + file);
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException(setting + ": the key in " + file + " is not an RSA, EC or EdDSA key");
  }

  /** Whether the private key signs what the certificate's public key verifies: they are one pair. */
  private static boolean pairs(PrivateKey key, X509Certificate certificate) {
    if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("an empty key store cannot fail to load", e);
    }
    return store;
  }

  private static byte[] read(String setting, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(setting + ": no such file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file + ": " + e.getMessage());
    }
  }
}
