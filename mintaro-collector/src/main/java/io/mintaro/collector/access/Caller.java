package io.mintaro.collector.access;

import io.mintaro.collector.store.ApiKey;
import java.util.Set;

/**
 * Who made a request: a key (one namespace) or a browser session (the namespaces of the keys it
 * was signed in with), and the namespace the request works in.
 *
 * @param key the key of a bearer request, or null for a session
 * @param readable the namespaces the caller may read
 * @param namespace the namespace this request works in, one of {@code readable}
 */
public record Caller(ApiKey key, Set<String> readable, String namespace) {
    public Caller {
        readable = Set.copyOf(readable);
    }

    /** Whether the caller may manage the keys of its namespace (an admin key; sessions may not). */
    public boolean admin() {
        return key != null && key.kind() == ApiKey.Kind.ADMIN;
    }
}
