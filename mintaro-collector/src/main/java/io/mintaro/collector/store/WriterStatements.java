package io.mintaro.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepared statements of the store's writer connection, each prepared once and reused by
 * every later write (sqlite-jdbc has no statement cache: decision 19 in {@code docs/decisions.md}).
 *
 * <p>Used only by the holder of the store's write lock. Callers bind every parameter of a
 * statement on each use, close the ResultSets they open, and never close a statement themselves.
 * After a failed write the store calls {@link #clear()}: sqlite-jdbc finalizes a statement on most
 * errors, leaving a {@code PreparedStatement} that reports itself open but can no longer run.
 */
final class WriterStatements implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriterStatements.class);

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int prepared;

    WriterStatements(Connection connection) {
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
