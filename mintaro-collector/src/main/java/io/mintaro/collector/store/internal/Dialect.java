package io.mintaro.collector.store.internal;

import java.sql.SQLException;
import java.util.Collection;

/**
 * What differs between the SQL of SQLite and of PostgreSQL. Everything else the stores run is
 * written once, in the SQL both accept.
 */
interface Dialect {
    /** The Flyway location of this engine's migrations. */
    String migrations();

    /** The text at a dotted {@code path} (such as {@code error.type}) in a JSON text column. */
    String jsonText(String column, String path);

    /** Whether {@code expr} looks like {@code HTTP 503}: an error type made from a status alone. */
    String isHttpStatus(String expr);

    String greatest(String a, String b);

    String least(String a, String b);

    /** An index hint after a table name, where the engine has them (the planner's choice otherwise). */
    String indexedBy(String index);

    /** Whether {@code needle} occurs in {@code haystack}. */
    String contains(String haystack, String needle);

    /** A non-negative integer as 20 digits with leading zeros, so that text order is number order. */
    String zeroPadded(String expr);

    /** The integers of a group as one comma-separated text. */
    String joinNumbers(String expr);

    /** A case-insensitive (ASCII) LIKE operator. */
    String like();

    /** Locks the rows a SELECT reads, skipping those another transaction holds (empty where one writer does all). */
    String skipLocked();

    /** A LIMIT that does not limit, for an OFFSET alone. */
    String unlimited();

    /**
     * Serialises writers of the same traces until the end of the transaction, taking the locks in
     * the order given (sorted: no deadlock). A no-op where one writer does everything.
     */
    void lockTraces(Tx tx, Collection<String> sortedTraceIds) throws SQLException;

    /** Whether a failed transaction may simply run again (a deadlock, a serialisation failure). */
    boolean retryable(SQLException e);
}
