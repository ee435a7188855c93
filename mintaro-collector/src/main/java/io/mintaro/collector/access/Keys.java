package io.mintaro.collector.access;

import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.Namespaces;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;

/** Creates and rotates keys: the text is random, shown once, and only its SHA-256 is stored. */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A key just made: {@code text} is the only copy of the key there will ever be. */
    public record Created(ApiKey key, String text) {
    }

    /**
     * Creates a key of an existing namespace.
     *
     * @throws IllegalArgumentException when the namespace does not exist or the label is too long
     */
    public static Created create(NamespaceStore store, String namespace, ApiKey.Kind kind, String label, long nowMs)
            throws SQLException {
        Namespaces.require(namespace);
        if (label != null && (label.length() > 200 || label.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a label is at most 200 characters, without control characters");
        }
        if (store.get(namespace).isEmpty()) {
            throw new IllegalArgumentException("no namespace " + namespace);
        }
        String text = "mk_" + random(24);
        ApiKey key = new ApiKey("key_" + random(9), namespace, kind, label, nowMs, null, null, null);
        store.addKey(key, Sha256.hex(text));
        return new Created(key, text);
    }

    /**
     * Rotates a key: a new key of the same kind and label, and the old one stops working after
     * {@code graceMs} (0: at once), so that agents can be moved over without a gap.
     *
     * @return the new key, or null when the namespace has no such active key
     */
    public static Created rotate(NamespaceStore store, String namespace, String id, long graceMs, long nowMs)
            throws SQLException {
        if (graceMs < 0) {
            throw new IllegalArgumentException("the grace period cannot be negative");
        }
        ApiKey old = store.key(namespace, id).orElse(null);
        if (old == null || !old.activeAt(nowMs)) {
            return null;
        }
        Created next = create(store, namespace, old.kind(), old.label(), nowMs);
        store.expire(namespace, id, nowMs + graceMs);
        return next;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
