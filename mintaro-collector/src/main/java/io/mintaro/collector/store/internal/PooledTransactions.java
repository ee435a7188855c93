package io.mintaro.collector.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mintaro.collector.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: each write is its own transaction on a pooled connection (HikariCP), concurrent with
 * the others; PostgreSQL commits concurrent transactions together by itself. A write that meets a
 * deadlock or a serialisation failure runs again, a few times, after a short random pause.
 */
final class PooledTransactions implements Transactions {
    private static final Logger log = LoggerFactory.getLogger(PooledTransactions.class);
    private static final int ATTEMPTS = 5;

    private final HikariDataSource pool;
    private final Dialect dialect = PostgresDialect.INSTANCE;

    private PooledTransactions(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * A pool of at most {@code maxConnections} connections. Connections are made when first needed
     * (none at start, so that a database that is down at start fails {@code open} clearly).
     */
    static PooledTransactions open(Database database, int maxConnections, String poolName) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(database.url());
        if (database.user() != null) {
            cfg.setUsername(database.user());
        }
        if (database.password() != null) {
            cfg.setPassword(database.password());
        }
        cfg.setPoolName(poolName);
        cfg.setMaximumPoolSize(maxConnections);
        cfg.setMinimumIdle(Math.min(2, maxConnections));
        // A replica that lost its database answers 503 soon rather than holding requests.
        cfg.setConnectionTimeout(5_000);
        cfg.setValidationTimeout(2_000);
        // Do not fail the pool's construction: open() reports the first failure itself.
        cfg.setInitializationFailTimeout(-1);
        cfg.setAutoCommit(true);
        cfg.addDataSourceProperty("ApplicationName", "mintaro-collector");
        cfg.addDataSourceProperty("tcpKeepAlive", "true");
        return new PooledTransactions(new HikariDataSource(cfg));
    }

    /** A connection for the migrations. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    /** A transaction's statements, prepared on first use and closed at its end. */
    private final class PooledTx implements Tx {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private final List<Runnable> afterCommit = new ArrayList<>();

        PooledTx(Connection connection) {
            this.connection = connection;
        }

        @Override
        public PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        @Override
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        @Override
        public Dialect dialect() {
            return dialect;
        }

        void closeStatements() {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    log.debug("closing a statement failed: {}", e.getMessage());
                }
            }
            statements.clear();
        }
    }

    @Override
    public <T> T write(WriteTx<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            List<Runnable> actions;
            T result;
            try (Connection c = pool.getConnection()) {
                PooledTx tx = new PooledTx(c);
                c.setAutoCommit(false);
                try {
                    result = work.run(tx);
                    c.commit();
                    actions = tx.afterCommit;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    if (e instanceof SQLException s && dialect.retryable(s) && attempt < ATTEMPTS) {
                        log.debug("write attempt {} failed ({}): running it again", attempt, s.getMessage());
                        pause(attempt);
                        continue;
                    }
                    throw e;
                } finally {
                    tx.closeStatements();
                    restore(c, () -> c.setAutoCommit(true));
                }
            }
            actions.forEach(Runnable::run);
            return result;
        }
    }

    private static void pause(int attempt) throws SQLException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while retrying a write", e);
        }
    }

    @Override
    public <T> T read(ReadTx<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            // One read-only snapshot, so the queries of one request agree with each other.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return work.run(c);
            } finally {
                restore(c, () -> {
                    c.rollback();
                    c.setReadOnly(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    c.setAutoCommit(true);
                });
            }
        }
    }

    private interface Cleanup {
        void run() throws SQLException;
    }

    /**
     * Puts a connection back as the pool lent it. A connection the server closed (a restart) fails
     * here too: the pool has marked it broken and drops it, and the failure that matters is the
     * one the work threw, which must not be replaced by this one.
     */
    private static void restore(Connection c, Cleanup cleanup) {
        try {
            cleanup.run();
        } catch (SQLException e) {
            log.debug("resetting a connection failed ({}); the pool drops it", e.getMessage());
        }
    }

    /** The pool, for its metrics. */
    HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
