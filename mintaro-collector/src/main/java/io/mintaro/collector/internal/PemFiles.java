package io.mintaro.collector.internal;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and keys from PEM files, into the JDK's {@link KeyStore}s: the form operators have
 * (what openssl, cert-manager and Let's Encrypt write). Every problem is an
 * {@link IllegalArgumentException} naming the setting and the file, for configuration time.
 */
public final class PemFiles {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----");
    /** The algorithms a PKCS#8 key may be in; the encoding names it, but the JDK wants it named. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
    /** In-memory stores only; the password protects nothing on disk. */
    private static final char[] STORE_PASSWORD = "mintaro".toCharArray();

    private PemFiles() {
    }

    /** The password of the key stores {@link #keyStore} makes. */
    public static char[] storePassword() {
        return STORE_PASSWORD.clone();
    }

    /** Every certificate in a PEM file, in order (a chain starts with its leaf). */
    public static List<X509Certificate> certificates(String setting, Path file) {
        byte[] bytes = read(setting, file);
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
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

    /** The unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of a PEM file. */
    public static PrivateKey privateKey(String setting, Path file) {
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

    /**
     * A key store holding {@code key} with its certificate chain.
     *
     * @throws IllegalArgumentException when the key is not the one of the chain's first certificate
     */
    public static KeyStore keyStore(String certificateSetting, Path certificateFile, String keySetting,
                                    Path keyFile) {
        List<X509Certificate> chain = certificates(certificateSetting, certificateFile);
        PrivateKey key = privateKey(keySetting, keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException(keySetting + ": the key in " + keyFile + " does not belong to the "
                    + "certificate in " + certificateFile + " (" + chain.get(0).getSubjectX500Principal() + ")");
        }
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("mintaro", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(keySetting + ": cannot use the key in " + keyFile + ": " + e.getMessage());
        }
    }

    /** A key store trusting every certificate of a PEM file (the CAs that may sign the other side's). */
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

    /** Whether the private key signs what the certificate's public key verifies: they are one pair. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
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
