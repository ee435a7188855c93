package io.mintaro.collector.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one digest the collector uses: of keys, session ids, fingerprints and UI files. */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lowercase hex of the digest of {@code text} (UTF-8). */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }
}
