package io.mintaro.collector.store;

import java.util.Locale;

/**
 * A key of one namespace, as stored: never the key itself, only its SHA-256 (kept by the store).
 *
 * @param id the key's public id, for lists, revocation and rotation
 * @param label what the key is for, or null
 * @param expiresAtMs when the key stops working (a rotated key's grace period), or null for never
 * @param revokedAtMs when the key was revoked, or null
 * @param lastUsedAtMs when the key last authenticated a request (flushed periodically), or null
 */
public record ApiKey(String id, String namespace, Kind kind, String label, long createdAtMs, Long expiresAtMs,
                     Long revokedAtMs, Long lastUsedAtMs) {

    /** What a key may do. */
    public enum Kind {
        /** Agents: the agent protocol only. */
        INGEST,
        /** People: the REST API and the UI, triage included. */
        READ,
        /** Everything a read key and an ingest key may do, and managing the namespace's keys. */
        ADMIN;

        /** {@code ingest}, {@code read} or {@code admin}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for anything but {@code ingest}, {@code read} or {@code admin} */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.wire().equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("a key's kind is ingest, read or admin");
        }

        public boolean mayIngest() {
            return this != READ;
        }

        public boolean mayRead() {
            return this != INGEST;
        }
    }

    /** Whether the key authenticates requests at {@code nowMs}. */
    public boolean activeAt(long nowMs) {
        return revokedAtMs == null && (expiresAtMs == null || expiresAtMs > nowMs);
    }
}
