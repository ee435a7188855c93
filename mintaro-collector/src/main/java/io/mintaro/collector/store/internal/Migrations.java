package io.mintaro.collector.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema versions and migrations, by Flyway, from {@code store/migration/<engine>}. All pending
 * migrations run in one transaction: a migration that fails leaves the database as it was.
 *
 * <p>SQLite files written before Flyway kept their version in {@code meta.schema_version}; such a
 * file is baselined at that version, and the migrations after it run as for any other.
 */
final class Migrations {
    /** The schema version this collector writes (docs/storage.md). */
    static final int LATEST = 12;
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Migrates the database to {@link #LATEST}.
     *
     * @param probe a connection to the same database, to find a version kept before Flyway
     * @return the version the database is at
     * @throws SQLException if the database is newer than {@link #LATEST}, or a migration fails
     */
    static int migrate(DataSource dataSource, Connection probe, Dialect dialect, JavaMigration... java)
            throws SQLException {
        Integer legacy = legacyVersion(probe);
        if (legacy != null && legacy > LATEST) {
            throw newer(legacy);
        }
        FluentConfiguration cfg = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .javaMigrations(java)
                .group(true)
                .cleanDisabled(true)
                .validateMigrationNaming(true);
        if (legacy != null) {
            cfg.baselineOnMigrate(true)
                    .baselineVersion(String.valueOf(legacy))
                    .baselineDescription("schema " + legacy + " (before Flyway)");
        }
        Flyway flyway = cfg.load();
        try {
            MigrationInfo current = flyway.info().current();
            int before = current == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
            if (before > LATEST) {
                throw newer(before);
            }
            if (before > 0 && before < LATEST) {
                log.info("migrating the database from schema version {} to {}", before, LATEST);
            } else if (legacy != null && legacy < LATEST) {
                log.info("migrating the database from schema version {} to {}", legacy, LATEST);
            }
            flyway.migrate();
            MigrationInfo after = flyway.info().current();
            int version = after == null ? 0 : Integer.parseInt(after.getVersion().getVersion());
            recordVersion(probe, version);
            return version;
        } catch (FlywayException e) {
            throw new SQLException("database migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps {@code meta.schema_version} equal to Flyway's version, so that a collector from before
     * Flyway, started on this database, refuses a newer schema instead of migrating it again.
     */
    private static void recordVersion(Connection c, int version) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta(key, value) VALUES ('schema_version', ?)"
                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, String.valueOf(version));
            ps.executeUpdate();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static SQLException newer(int version) {
        return new SQLException("database schema version " + version
                + " is newer than this collector supports (" + LATEST + ")");
    }

    /** {@code meta.schema_version} of a database that has no Flyway history, or null. */
    private static Integer legacyVersion(Connection c) throws SQLException {
        if (!tableExists(c, "meta") || tableExists(c, "flyway_schema_history")) {
            return null;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            if (!rs.next()) {
                return null;
            }
            try {
                return Integer.valueOf(rs.getString(1).trim());
            } catch (NumberFormatException e) {
                throw new SQLException("not a Mintaro database: meta.schema_version is " + rs.getString(1));
            }
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            while (rs.next()) {
                if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
