package io.mintaro.collector.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Small JDBC helpers shared by the stores. */
final class Rows {
    private Rows() {
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Binds {@code args} from parameter 1; returns the next parameter index. */
    static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return args.size() + 1;
    }

    /** Binds {@code args}, then the page's {@code LIMIT ? OFFSET ?}. */
    static void bindPage(PreparedStatement ps, List<Object> args, int limit, long offset) throws SQLException {
        int i = bind(ps, args);
        ps.setInt(i++, limit);
        ps.setLong(i, offset);
    }

    /** Runs a {@code SELECT count(*)} with the same filter arguments as the page it counts. */
    static long count(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A LIKE pattern matching {@code text} anywhere, with a backslash as the escape character. */
    static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** Cuts an error message to what a row keeps. */
    static String cut(String error) {
        return error == null || error.length() <= 2_000 ? error : error.substring(0, 2_000);
    }
}
