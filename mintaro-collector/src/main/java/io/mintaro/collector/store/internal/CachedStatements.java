package io.mintaro.collector.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepared statements of a connection, each prepared once and reused by every later
 * transaction on it (sqlite-jdbc has no statement cache: decision 19 in {@code docs/decisions.md}).
 *
 * <p>Used by one thread at a time. After a failed write the owner calls {@link #clear()}:
 * sqlite-jdbc finalizes a statement on most errors, leaving a {@code PreparedStatement} that
 * reports itself open but can no longer run.
 */
final class CachedStatements implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CachedStatements.class);

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int prepared;

    CachedStatements(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, prepared on the writer connection at its first use. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
            prepared++;
        }
        return ps;
    }

    /** How many statements were prepared so far (each SQL text once, unless cleared in between). */
    int prepared() {
        return prepared;
    }

    /** Closes every statement; the next {@link #get} of each SQL text prepares it again. */
    void clear() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                log.warn("closing a prepared statement failed: {}", e.getMessage());
            }
        }
        statements.clear();
    }

    @Override
    public void close() {
        clear();
    }
}
