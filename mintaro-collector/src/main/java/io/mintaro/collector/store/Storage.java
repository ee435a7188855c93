package io.mintaro.collector.store;

import io.mintaro.collector.store.internal.JdbcStorage;
import java.sql.SQLException;

/**
 * Everything the collector keeps, one interface per concern, all on one database: SQLite (one
 * collector) or PostgreSQL (several replicas). See {@code docs/storage.md}.
 *
 * <p>Opening migrates the schema to this collector's version; a migration that fails leaves the
 * database as it was.
 */
public interface Storage extends AutoCloseable {

    /**
     * Opens (creating if needed) {@code database} and migrates its schema.
     *
     * @throws SQLException if the database cannot be reached, is not a Mintaro database, has a newer
     *     schema than this collector knows, or a migration fails
     */
    static Storage open(Database database) throws SQLException {
        return JdbcStorage.open(database);
    }

    /** Namespaces and their keys. */
    NamespaceStore namespaces();

    /** Batches from agents, and the end of their collection. */
    IngestStore ingest();

    /** Trace searches and whole traces. */
    TraceStore traces();

    /** The retrieval's state: asks, answers and the end of each collection. */
    CollectionStore collections();

    /** Error groups and their triage. */
    GroupStore groups();

    /** Span statistics and services. */
    StatsStore stats();

    /** Browser sessions. */
    SessionStore sessions();

    /** Registered agents. */
    AgentStore agents();

    /** Expiry of stored traces by age and size. */
    RetentionStore retention();

    /** Alert rules and the delivery outbox. */
    AlertStore alerts();

    /** Completed traces waiting for each exporter. */
    ExportQueue exports();

    /** The database, for logs. */
    Database database();

    /** Checks that the database answers now (for health checks). */
    void ping() throws SQLException;

    /** The schema version the database is at. */
    int schemaVersion();

    /** Closes every connection. Idempotent. */
    @Override
    void close();
}
