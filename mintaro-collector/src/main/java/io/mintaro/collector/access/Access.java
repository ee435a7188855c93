package io.mintaro.collector.access;

import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.NamespaceStore;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Turns {@code Authorization: Bearer <key>} into the key's record: the keys stored in the database
 * (by their SHA-256), and the configured ones ({@code MINTARO_API_KEYS}: admin keys of the default
 * namespace; embedded collectors may configure other namespaces'), known only to this collector's
 * memory.
 *
 * <p>A key is looked up once per {@link #CACHE_MS} per collector, so a polling agent costs the
 * database nothing; revoking a key takes effect at once on the collector that revoked it and within
 * {@link #CACHE_MS} on the others. Last-used times are kept in memory and flushed periodically.
 */
public final class Access {
    /** How long a looked-up key (or the absence of one) is remembered. */
    public static final long CACHE_MS = 5_000;
    private static final int MAX_CACHED = 10_000;

    private record Cached(ApiKey key, long untilMs) {
    }

    private final NamespaceStore store;
    private final Map<String, ApiKey> configured = new HashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> used = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final FailedKeyLimit failedKeyLimit;

    /** @param configuredKeys keys from the configuration by namespace: admin keys, never stored */
    public Access(NamespaceStore store, Map<String, List<String>> configuredKeys, LongSupplier clock) {
        this(store, configuredKeys, clock, FailedKeyLimit.none());
    }

    /**
     * @param configuredKeys keys from the configuration by namespace: admin keys, never stored
     * @param failedKeyLimit how many wrong keys one client address may present
     */
    public Access(NamespaceStore store, Map<String, List<String>> configuredKeys, LongSupplier clock,
                  FailedKeyLimit failedKeyLimit) {
        this.store = store;
        this.clock = clock;
        this.failedKeyLimit = failedKeyLimit;
        int n = 0;
        for (Map.Entry<String, List<String>> e : configuredKeys.entrySet()) {
            for (String text : e.getValue()) {
                n++;
                configured.put(Sha256.hex(text), new ApiKey("configured-" + n, e.getKey(), ApiKey.Kind.ADMIN,
                        "configured", 0, null, null, null));
            }
        }
    }

    /**
     * The active key a bearer header names.
     *
     * @param client the caller's address, for the {@link FailedKeyLimit}
     * @throws ApiException 401 when the header is missing or malformed, or the key is unknown,
     *     revoked or expired (one message for all three: a caller learns nothing of other keys);
     *     429 when {@code client} presented too many wrong keys lately
     */
    public ApiKey authenticate(String authorizationHeader, String client) throws SQLException {
        if (authorizationHeader == null) {
            throw new ApiException(401, "missing Authorization: Bearer <api key>");
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "Authorization must be 'Bearer <api key>'");
        }
        ApiKey key = lookup(h.substring(7).trim(), client);
        if (key == null) {
            throw new ApiException(401, "unknown API key");
        }
        return key;
    }

    /**
     * The active key with this text, or null (a failure counted against {@code client}).
     *
     * @throws ApiException 429 when {@code client} presented too many wrong keys lately
     */
    public ApiKey lookup(String text, String client) throws SQLException {
        failedKeyLimit.check(client);
        ApiKey key = lookup(text);
        if (key == null) {
            failedKeyLimit.failed(client);
        }
        return key;
    }

    /** The active key with this text, or null. */
    private ApiKey lookup(String text) throws SQLException {
        String hash = Sha256.hex(text);
        long now = clock.getAsLong();
        ApiKey key = configured.get(hash);
        if (key == null) {
            Cached c = cache.get(hash);
            if (c == null || c.untilMs() <= now) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear(); // guessed keys must not grow memory without bound
                }
                c = new Cached(store.keyByHash(hash).orElse(null), now + CACHE_MS);
                cache.put(hash, c);
            }
            key = c.key();
            if (key == null || !key.activeAt(now)) {
                return null;
            }
            used.put(key.id(), now);
        }
        return key;
    }

    /** Forgets what is cached of a key (this collector just revoked or rotated it). */
    public void forget(String keyId) {
        cache.values().removeIf(c -> c.key() != null && c.key().id().equals(keyId));
    }

    /** Stores the last-used times gathered since the previous flush. */
    public void flushUsage() throws SQLException {
        if (used.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (String id : used.keySet()) {
            Long at = used.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        store.used(batch);
    }
}
