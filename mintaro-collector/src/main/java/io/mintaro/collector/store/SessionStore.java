package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Set;

/**
 * Browser sessions, each stored by the SHA-256 of its id only, with the namespaces it may read:
 * one for each key it was signed in with.
 */
public interface SessionStore {
    /** Stores a new session that may read {@code namespace}, and drops the expired ones. */
    void create(String idSha256, String namespace, long nowMs, long expiresAtMs) throws SQLException;

    /**
     * Lets a live session read one more namespace.
     *
     * @return false when the session does not exist or has expired
     */
    boolean addNamespace(String idSha256, String namespace, long nowMs) throws SQLException;

    /** The namespaces a live session may read; empty when it does not exist or has expired. */
    Set<String> namespaces(String idSha256, long nowMs) throws SQLException;

    /** Deletes a session; nothing happens when it does not exist. */
    void delete(String idSha256) throws SQLException;
}
