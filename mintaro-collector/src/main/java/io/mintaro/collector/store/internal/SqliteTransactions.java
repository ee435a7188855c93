package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * SQLite: one writer connection behind a lock serialises every write; a small pool of reader
 * connections serves queries concurrently, which WAL mode allows. Writes that arrive while another
 * commits are committed together (group commit, see {@link #write}).
 */
final class SqliteTransactions implements Transactions {
    private static final Logger log = LoggerFactory.getLogger(SqliteTransactions.class);
    private static final int READERS = 4;
    /** Most writes committed together in one group commit. */
    static final int MAX_GROUP = 256;

    private final String url;
    private final Connection writer;
    /** The writer's prepared statements, reused across writes; guarded by {@link #writeLock}. */
    private final CachedStatements statements;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    /** Writes queued for the next group commit, in arrival order. */
    private final ConcurrentLinkedQueue<Pending<?>> pendingWrites = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private SqliteTransactions(Database database) throws SQLException {
        this.url = database.url();
        this.writer = connect(false);
        this.statements = new CachedStatements(writer);
    }

    /** Opens the writer connection; {@link #openReaders} follows once the schema exists. */
    static SqliteTransactions open(Database database) throws SQLException {
        Path parent = database.file().toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new SQLException("cannot create the directory of " + database.file() + ": " + e.getMessage(), e);
            }
        }
        return new SqliteTransactions(database);
    }

    /** The writer connection, for the migrations (before any other use). */
    Connection writerConnection() {
        return writer;
    }

    void openReaders() throws SQLException {
        try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                log.warn("SQLite journal mode is {} instead of wal: readers may wait for writers", mode);
            }
        }
        for (int i = 0; i < READERS; i++) {
            Connection c = connect(true);
            allReaders.add(c);
            readers.add(c);
        }
    }

    private Connection connect(boolean readOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a batch acknowledged to an agent survives a power cut, not just a process crash.
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(10_000);
        cfg.setEncoding(SQLiteConfig.Encoding.UTF8);
        Connection c = DriverManager.getConnection(url, cfg.toProperties());
        if (readOnly) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = true");
            }
        }
        return c;
    }

    @Override
    public Dialect dialect() {
        return SqliteDialect.INSTANCE;
    }

    /** A write waiting for (or done by) a group commit; its fields are guarded by {@link #writeLock}. */
    private final class Pending<T> implements Tx {
        final WriteTx<T> work;
        final List<Runnable> afterCommit = new ArrayList<>();
        T result;
        Throwable error;
        boolean done;

        Pending(WriteTx<T> work) {
            this.work = work;
        }

        @Override
        public PreparedStatement get(String sql) throws SQLException {
            return statements.get(sql);
        }

        @Override
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        @Override
        public Dialect dialect() {
            return SqliteDialect.INSTANCE;
        }

        void run() throws SQLException {
            result = null;
            error = null;
            afterCommit.clear();
            result = work.run(this);
        }

        void failed(Throwable e) {
            result = null;
            error = e;
            afterCommit.clear();
        }
    }

    /**
     * Group commit: the write is queued; whoever holds the write lock next takes every queued
     * write (up to {@value #MAX_GROUP}) and runs them one after the other in one transaction, each
     * inside its own savepoint, then commits once (one fsync for all). A write that fails is rolled
     * back to its savepoint and reports its own error; its neighbours still commit. When the
     * transaction as a whole cannot go on (a failed savepoint rollback, a failed commit), it is
     * rolled back and each write that had not failed on its own runs again alone, in its own
     * transaction. So each write stays all or nothing, and is acknowledged only after the commit
     * that holds it. See {@code RATIONALE-storage.md}.
     */
    @Override
    public <T> T write(WriteTx<T> work) throws SQLException {
        Pending<T> mine = new Pending<>(work);
        pendingWrites.add(mine);
        List<Pending<?>> committed = List.of();
        writeLock.lock();
        try {
            if (!mine.done) {
                committed = runGroup();
            }
        } finally {
            writeLock.unlock();
        }
        // Outside the lock: the actions may start work of their own (an export wake-up).
        for (Pending<?> p : committed) {
            p.afterCommit.forEach(Runnable::run);
        }
        if (mine.error instanceof SQLException e) {
            throw e;
        }
        if (mine.error instanceof RuntimeException e) {
            throw e;
        }
        if (mine.error instanceof Error e) {
            throw e;
        }
        return mine.result;
    }

    /** Under the write lock: commits the queued writes as one group; returns those committed. */
    private List<Pending<?>> runGroup() {
        List<Pending<?>> group = new ArrayList<>();
        for (Pending<?> p; group.size() < MAX_GROUP && (p = pendingWrites.poll()) != null; ) {
            group.add(p);
        }
        if (group.isEmpty()) {
            return group;
        }
        if (closed) {
            SQLException e = new SQLException("store is closed");
            for (Pending<?> p : group) {
                p.failed(e);
                p.done = true;
            }
            return List.of();
        }
        if (group.size() == 1) {
            return runAlone(group.get(0)) ? group : List.of();
        }
        boolean broken = false;
        Throwable groupError = null;
        try {
            writer.setAutoCommit(false);
            try (Statement st = writer.createStatement()) {
                for (Pending<?> p : group) {
                    st.execute("SAVEPOINT batch");
                    try {
                        p.run();
                        st.execute("RELEASE batch");
                    } catch (SQLException | RuntimeException e) {
                        statements.clear();
                        p.failed(e);
                        try {
                            st.execute("ROLLBACK TO batch");
                            st.execute("RELEASE batch");
                        } catch (SQLException transactionGone) {
                            // SQLite rolled the whole transaction back (I/O error, disk full...):
                            // the writes before this one are gone too.
                            e.addSuppressed(transactionGone);
                            broken = true;
                            break;
                        }
                    }
                }
                if (!broken) {
                    writer.commit();
                }
            }
        } catch (SQLException | RuntimeException e) {
            broken = true;
            groupError = e;
        }
        if (broken) {
            statements.clear();
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                if (groupError != null) {
                    groupError.addSuppressed(suppressed);
                }
            }
        }
        try {
            writer.setAutoCommit(true);
        } catch (SQLException e) {
            log.warn("cannot restore autocommit on the writer connection: {}", e.getMessage());
        }
        List<Pending<?>> committed = new ArrayList<>();
        if (broken) {
            log.debug("group commit of {} writes failed ({}): each runs alone", group.size(),
                    groupError == null ? "rollback to savepoint failed" : groupError.toString());
            for (Pending<?> p : group) {
                if (p.error == null && runAlone(p)) {
                    committed.add(p);
                }
                p.done = true;
            }
        } else {
            for (Pending<?> p : group) {
                if (p.error == null) {
                    committed.add(p);
                }
                p.done = true;
            }
        }
        return committed;
    }

    /** Runs one write in its own transaction; true when it committed. */
    private boolean runAlone(Pending<?> p) {
        boolean ok = false;
        try {
            writer.setAutoCommit(false);
            try {
                p.run();
                writer.commit();
                ok = true;
            } catch (SQLException | RuntimeException e) {
                // sqlite-jdbc finalizes a statement on most errors (one that cannot run again
                // still reports itself open): the next write prepares its statements afresh.
                statements.clear();
                p.failed(e);
                try {
                    writer.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (p.error == null) {
                p.failed(e);
            }
            ok = false;
        }
        p.done = true;
        return ok;
    }

    @Override
    public <T> T read(ReadTx<T> work) throws SQLException {
        if (closed) {
            throw new SQLException("store is closed");
        }
        Connection c;
        try {
            c = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        if (c == null) {
            throw new SQLException("no database connection available");
        }
        try {
            // One read transaction, so the queries of one request see one snapshot.
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            readers.offer(c);
        }
    }

    /** How many statements the writer connection has prepared since the store opened. */
    int writerStatementsPrepared() {
        writeLock.lock();
        try {
            return statements.prepared();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            statements.close();
            List<Connection> all = new ArrayList<>(allReaders);
            all.add(writer);
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    log.warn("closing database connection failed: {}", e.getMessage());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
