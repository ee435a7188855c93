package io.mintaro.collector;

import io.mintaro.collector.store.Database;
import io.mintaro.testkit.servers.PostgresCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database the tests' collectors use: SQLite files by default; with the system property
 * {@code mintaro.test.db=postgresql} (the {@code postgresql-contract} run of the build), a fresh
 * database per test directory on one throwaway PostgreSQL cluster per JVM. The same test classes
 * thus specify both stores.
 */
final class TestDatabase {
    private static final boolean POSTGRESQL =
            "postgresql".equals(System.getProperty("mintaro.test.db", "sqlite").toLowerCase(Locale.ROOT));
    private static final Map<Path, Database> BY_DIR = new ConcurrentHashMap<>();
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static volatile PostgresCluster cluster;

    private TestDatabase() {
    }

    static boolean postgresql() {
        return POSTGRESQL;
    }

    /** The database of a test directory: the same one every time the directory is used. */
    static Database forDirectory(Path dir) {
        if (!POSTGRESQL) {
            return Database.sqlite(dir.resolve("mintaro.db"));
        }
        return BY_DIR.computeIfAbsent(dir.toAbsolutePath(), d -> {
            PostgresCluster pg = cluster();
            String url = pg.createDatabase("t" + NAMES.incrementAndGet());
            return Database.postgresql(url, pg.user(), pg.password());
        });
    }

    static synchronized PostgresCluster cluster() {
        if (cluster == null) {
            // Stopped by its own shutdown hook when the test JVM ends.
            cluster = PostgresCluster.start();
        }
        return cluster;
    }

    static Connection connect(Database db) throws SQLException {
        return db.kind() == Database.Kind.SQLITE ? DriverManager.getConnection(db.url())
                : DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    /** The first column of every row of {@code sql}, as text. */
    static List<String> query(Database db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
