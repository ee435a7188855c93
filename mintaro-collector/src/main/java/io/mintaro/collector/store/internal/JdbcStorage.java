package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.AgentStore;
import io.mintaro.collector.store.CollectionStore;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.ExportQueue;
import io.mintaro.collector.store.GroupStore;
import io.mintaro.collector.store.IngestStore;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.RetentionStore;
import io.mintaro.collector.store.SessionStore;
import io.mintaro.collector.store.StatsStore;
import io.mintaro.collector.store.Storage;
import io.mintaro.collector.store.TraceStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteDataSource;

/**
 * The stores over JDBC: the SQL is shared, what differs between SQLite and PostgreSQL is in a
 * {@link Dialect} and in how transactions run ({@link SqliteTransactions}: one writer and group
 * commit; {@link PooledTransactions}: a HikariCP pool and concurrent writers).
 */
public final class JdbcStorage implements Storage {
    /** Connections per collector on PostgreSQL: writes wait on each other's trace locks, reads do not. */
    static final int POOL_SIZE = 16;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Database database;
    private final Transactions db;
    private final int schemaVersion;
    private final JdbcIngest ingest;
    private final JdbcTraces traces;
    private final JdbcGroups groups;
    private final JdbcStats stats;
    private final JdbcSessions sessions;
    private final JdbcAgents agents;
    private final JdbcExportQueue exports;
    private final JdbcCollections collections;
    private final JdbcNamespaces namespaces;
    private final JdbcRetention retention;
    private final JdbcAlerts alerts;

    private JdbcStorage(Database database, Transactions db, int schemaVersion, AgentNotifications notifications) {
        this.database = database;
        this.db = db;
        this.schemaVersion = schemaVersion;
        this.exports = new JdbcExportQueue(db);
        this.collections = new JdbcCollections(db, exports, notifications);
        this.ingest = new JdbcIngest(db, exports, collections);
        this.traces = new JdbcTraces(db);
        this.groups = new JdbcGroups(db);
        this.stats = new JdbcStats(db);
        this.sessions = new JdbcSessions(db);
        this.agents = new JdbcAgents(db);
        this.namespaces = new JdbcNamespaces(db);
        this.retention = new JdbcRetention(db, exports);
        this.alerts = new JdbcAlerts(db);
    }

    /** Opens and migrates {@code database}. */
    public static JdbcStorage open(Database database) throws SQLException {
        return switch (database.kind()) {
            case SQLITE -> openSqlite(database);
            case POSTGRESQL -> openPostgres(database);
        };
    }

    private static JdbcStorage openSqlite(Database database) throws SQLException {
        SqliteTransactions tx = SqliteTransactions.open(database);
        try {
            SQLiteDataSource migrations = new SQLiteDataSource();
            migrations.setUrl(database.url());
            int version = Migrations.migrate(migrations, tx.writerConnection(), SqliteDialect.INSTANCE,
                    new V2__Error_groups());
            tx.openReaders();
            return adopted(new JdbcStorage(database, tx, version, new LocalNotifications()));
        } catch (SQLException | RuntimeException e) {
            tx.close();
            throw e;
        }
    }

    private static JdbcStorage openPostgres(Database database) throws SQLException {
        PooledTransactions tx = PooledTransactions.open(database, POOL_SIZE,
                "mintaro-db-" + POOLS.incrementAndGet());
        try {
            int version;
            try (Connection probe = tx.connection()) {
                version = Migrations.migrate(tx.pool(), probe, PostgresDialect.INSTANCE);
            }
            return adopted(new JdbcStorage(database, tx, version, new PostgresNotifications(database)));
        } catch (SQLException | RuntimeException e) {
            tx.close();
            throw e;
        }
    }

    private static JdbcStorage adopted(JdbcStorage storage) throws SQLException {
        storage.namespaces.adoptGeneratedKey(System.currentTimeMillis());
        return storage;
    }

    @Override
    public io.mintaro.collector.store.AlertStore alerts() {
        return alerts;
    }

    @Override
    public RetentionStore retention() {
        return retention;
    }

    @Override
    public NamespaceStore namespaces() {
        return namespaces;
    }

    @Override
    public IngestStore ingest() {
        return ingest;
    }

    @Override
    public CollectionStore collections() {
        return collections;
    }

    @Override
    public TraceStore traces() {
        return traces;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public StatsStore stats() {
        return stats;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public AgentStore agents() {
        return agents;
    }

    @Override
    public ExportQueue exports() {
        return exports;
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public void ping() throws SQLException {
        db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
                return rs.next();
            }
        });
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    /** How many statements the SQLite writer has prepared since the store opened (-1 on PostgreSQL). */
    public int writerStatementsPrepared() {
        return db instanceof SqliteTransactions s ? s.writerStatementsPrepared() : -1;
    }

    @Override
    public void close() {
        collections.close();
        db.close();
    }
}
