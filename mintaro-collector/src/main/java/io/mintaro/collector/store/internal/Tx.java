package io.mintaro.collector.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One write transaction. Its statements are owned by it: callers bind every parameter on each use,
 * close the ResultSets they open, and never close a statement.
 */
interface Tx {
    /** The statement for {@code sql}, prepared at its first use. */
    PreparedStatement get(String sql) throws SQLException;

    /**
     * Runs {@code action} once this transaction's changes are committed, never when they are rolled
     * back: in-memory state follows the database.
     */
    void afterCommit(Runnable action);

    /** The SQL differences of the engine. */
    Dialect dialect();
}
