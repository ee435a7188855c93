package io.mintaro.collector.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Checks {@code Authorization: Bearer <key>} against the configured keys in constant time. */
public final class Auth {
    private final List<byte[]> keyDigests = new ArrayList<>();

    public Auth(Collection<String> keys) {
        for (String k : keys) {
            keyDigests.add(digest(k));
        }
    }

    /** @throws ApiException 401 when the header is missing, malformed or names an unknown key */
    public void check(String authorizationHeader) {
        if (authorizationHeader == null) {
            throw new ApiException(401, "missing Authorization: Bearer <api key>");
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "Authorization must be 'Bearer <api key>'");
        }
        if (!accepts(h.substring(7).trim())) {
            throw new ApiException(401, "unknown API key");
        }
    }

    /** Whether {@code key} is one of the configured keys. */
    public boolean accepts(String key) {
        byte[] given = digest(key);
        boolean ok = false;
        for (byte[] k : keyDigests) {
            // No early exit, so timing does not reveal which key (if any) matched.
            ok |= MessageDigest.isEqual(k, given);
        }
        return ok;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
