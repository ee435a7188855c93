package io.mintaro.it.replicas;

import io.mintaro.testkit.servers.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the replicas' PostgreSQL database directly, as an operator would with psql. */
final class Sql {
    private final PostgresCluster cluster;
    private final String url;

    Sql(PostgresCluster cluster, String url) {
        this.cluster = cluster;
        this.url = url;
    }

    /** Every row of {@code sql} (with {@code params} bound in order), each column as text. */
    List<List<String>> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row. */
    List<String> column(String sql, Object... params) {
        return rows(sql, params).stream().map(r -> r.get(0)).toList();
    }

    /** The first column of the only row, as a number. */
    long number(String sql, Object... params) {
        List<String> values = column(sql, params);
        if (values.size() != 1) {
            throw new IllegalStateException(sql + " gave " + values.size() + " rows");
        }
        return Long.parseLong(values.get(0));
    }
}
