package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Namespaces and their keys; a key is stored only as the SHA-256 of its text. */
public interface NamespaceStore {
    /** Creates a namespace unless it exists. @return whether it was created */
    boolean create(String name, long nowMs) throws SQLException;

    /** Every namespace, by name. */
    List<NamespaceRow> list() throws SQLException;

    /** One namespace, or empty. */
    Optional<NamespaceRow> get(String name) throws SQLException;

    /**
     * Sets a namespace's own retention (null: the collector's default).
     *
     * @return false when the namespace does not exist
     */
    boolean retention(String name, Long maxAgeMs, Long maxBytes) throws SQLException;

    /**
     * Stores a new key of an existing namespace.
     *
     * @param keySha256 lowercase hex SHA-256 of the key's text
     * @throws SQLException when the namespace does not exist or the id or hash is taken
     */
    void addKey(ApiKey key, String keySha256) throws SQLException;

    /** The key whose text has this SHA-256, active or not, or empty. */
    Optional<ApiKey> keyByHash(String keySha256) throws SQLException;

    /** A namespace's keys, revoked and expired ones included, oldest first. */
    List<ApiKey> keys(String namespace) throws SQLException;

    /** One key of a namespace, or empty (a key of another namespace is not found). */
    Optional<ApiKey> key(String namespace, String id) throws SQLException;

    /** Revokes a key now. @return false when the namespace has no such key, or it was revoked */
    boolean revoke(String namespace, String id, long nowMs) throws SQLException;

    /**
     * Makes a key stop working at {@code atMs} (rotation's grace period), unless it stops earlier.
     *
     * @return false when the namespace has no such active key
     */
    boolean expire(String namespace, String id, long atMs) throws SQLException;

    /** Whether any key exists, in any namespace. */
    boolean anyKey() throws SQLException;

    /** Stores when keys were last used, by key id; a time never goes back. */
    void used(Map<String, Long> lastUsedById) throws SQLException;
}
