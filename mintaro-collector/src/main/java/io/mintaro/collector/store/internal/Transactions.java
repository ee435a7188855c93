package io.mintaro.collector.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** How the stores reach the database: write transactions and read snapshots. */
interface Transactions extends AutoCloseable {

    /** A unit of work inside one write transaction. */
    interface WriteTx<T> {
        T run(Tx tx) throws SQLException;
    }

    /** A unit of work on one read-only snapshot. */
    interface ReadTx<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction and returns once it is committed (durable), or throws
     * what failed it; a failed write changes nothing. The work may run more than once (after a
     * deadlock, or when a group commit it was part of failed), so it must not have effects outside
     * the transaction but through {@link Tx#afterCommit}.
     */
    <T> T write(WriteTx<T> work) throws SQLException;

    /** Runs {@code work} on one consistent snapshot. */
    <T> T read(ReadTx<T> work) throws SQLException;

    Dialect dialect();

    @Override
    void close();
}
