package io.mintaro.collector.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite schema 1 to 2: error groups (fingerprint and group columns on {@code traces}, computed
 * here for the traces stored before), triage, browser sessions, and indexes for pages and
 * statistics. Java, not SQL, because the groups are computed by {@link Grouping}.
 */
@SuppressWarnings("checkstyle:TypeName")
public final class V2__Error_groups extends BaseJavaMigration {
    private static final Logger log = LoggerFactory.getLogger(V2__Error_groups.class);

    private static final List<String> DDL = List.of(
            "ALTER TABLE traces ADD COLUMN created_at_ms INTEGER",
            "ALTER TABLE traces ADD COLUMN fingerprint TEXT",
            "ALTER TABLE traces ADD COLUMN group_service TEXT",
            "ALTER TABLE traces ADD COLUMN group_endpoint TEXT",
            "ALTER TABLE traces ADD COLUMN group_problem TEXT",
            "ALTER TABLE traces ADD COLUMN group_kind TEXT",
            // Pages are ordered by (started_at_us DESC, trace_id DESC): the index holds both.
            "DROP INDEX IF EXISTS traces_by_start",
            "DROP INDEX IF EXISTS traces_by_status_start",
            "CREATE INDEX traces_by_start ON traces(started_at_us, trace_id)",
            "CREATE INDEX traces_by_status_start ON traces(status, started_at_us, trace_id)",
            "CREATE INDEX traces_by_fingerprint ON traces(fingerprint, started_at_us, trace_id)",
            // Covers /api/slow: read in group order, so it needs no sort and never reads the spans' JSON.
            // It starts with the name so that queries of one trace ("its server spans of service S")
            // keep using the primary key instead of scanning every server span of S.
            "CREATE INDEX spans_for_stats ON spans(name, service, kind, start_us, end_us)",
            """
            CREATE TABLE triage (
              fingerprint   TEXT PRIMARY KEY,
              mark          TEXT NOT NULL DEFAULT 'none',
              level         TEXT NOT NULL DEFAULT 'none',
              note          TEXT,
              updated_at_ms INTEGER NOT NULL
            )""",
            """
            CREATE TABLE sessions (
              id_sha256     TEXT PRIMARY KEY,
              created_at_ms INTEGER NOT NULL,
              expires_at_ms INTEGER NOT NULL
            )""",
            "CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms)");

    @Override
    public void migrate(Context context) throws SQLException {
        long started = System.nanoTime();
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
            // A trace's creation time was not kept in version 1; its first trigger's arrival is the same moment.
            st.execute("""
                    UPDATE traces SET created_at_ms = coalesce(
                      (SELECT min(g.received_at_ms) FROM triggers g WHERE g.trace_id = traces.trace_id), updated_at_ms)""");
        }
        record Row(String traceId, String status, String name) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT trace_id, status, name FROM traces");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        // Version 1's records are JSON text; the error_type columns come with version 9.
        Summaries summaries = new Summaries(SqliteDialect.INSTANCE, true);
        try (CachedStatements statements = new CachedStatements(c)) {
            Tx tx = new Tx() {
                @Override
                public PreparedStatement get(String sql) throws SQLException {
                    return statements.get(sql);
                }

                @Override
                public void afterCommit(Runnable action) {
                    // Nothing in memory follows a migration.
                }

                @Override
                public Dialect dialect() {
                    return SqliteDialect.INSTANCE;
                }
            };
            for (Row row : rows) {
                summaries.regroup(tx, row.traceId(), row.status(), row.name());
            }
        }
        if (!rows.isEmpty()) {
            log.info("grouped {} stored trace(s) in {} ms", rows.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
