package io.mintaro.collector.store;

import java.sql.SQLException;

/** Browser sessions, each stored by the SHA-256 of its id only. */
public interface SessionStore {
    /** Stores a new session and drops the expired ones. */
    void create(String idSha256, long nowMs, long expiresAtMs) throws SQLException;

    /** Whether a session with this id hash exists and has not expired at {@code nowMs}. */
    boolean valid(String idSha256, long nowMs) throws SQLException;

    /** Deletes a session; nothing happens when it does not exist. */
    void delete(String idSha256) throws SQLException;
}
