package io.mintaro.collector.access;

import io.mintaro.collector.internal.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits guessing API keys: a client address that presented {@code maxFailures} wrong keys within
 * one window is answered {@code 429} with {@code Retry-After} until that window ends, whatever key
 * it presents (a correct key let through would tell the guesser it found one). Other addresses are
 * not affected. A window starts at an address's first failure; a correct key does not end it, so a
 * guesser holding one valid key cannot reset its count.
 */
public final class FailedKeyLimit {
    /** Beyond this many tracked addresses the expired ones are dropped, then all: memory stays bounded. */
    private static final int MAX_TRACKED = 100_000;

    private record Window(long endsAtMs, int failures) {
    }

    private final int maxFailures;
    private final long windowMs;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @param maxFailures wrong keys allowed per window and address; 0 for no limit */
    public FailedKeyLimit(int maxFailures, long windowMs, LongSupplier clock) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** No limit. */
    public static FailedKeyLimit none() {
        return new FailedKeyLimit(0, 1, () -> 0);
    }

    /**
     * Before a key of {@code client} is checked.
     *
     * @throws ApiException 429 while the client's window holds {@code maxFailures} failures
     */
    void check(String client) {
        if (maxFailures == 0 || client == null) {
            return;
        }
        Window w = windows.get(client);
        if (w == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now < w.endsAtMs() && w.failures() >= maxFailures) {
            long retryAfterSeconds = Math.max(1, (w.endsAtMs() - now + 999) / 1000);
            throw new ApiException(429, "too many wrong API keys from this address: try again in "
                    + retryAfterSeconds + " s", retryAfterSeconds);
        }
    }

    /** A key {@code client} presented was wrong. */
    void failed(String client) {
        if (maxFailures == 0 || client == null) {
            return;
        }
        long now = clock.getAsLong();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> w.endsAtMs() <= now);
            if (windows.size() >= MAX_TRACKED) {
                windows.clear();
            }
        }
        windows.compute(client, (k, old) -> old == null || old.endsAtMs() <= now
                ? new Window(now + windowMs, 1) : new Window(old.endsAtMs(), old.failures() + 1));
    }
}
