package io.mintaro.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.sqlite.SQLiteDataSource;

/** Real in-process databases for the tests, each with a table {@code users(id, name, password)} of three rows. */
final class Databases {
  private Databases() {}

  /** A fresh in-memory H2 database, kept while the JVM runs. */
  static JdbcDataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name() + ";DB_CLOSE_DELAY=-1");
    return withUsers(ds);
  }

  /** A fresh SQLite database file in {@code dir}. */
  static SQLiteDataSource sqlite(Path dir) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(name() + ".db"));
    return withUsers(ds);
  }

  static String name() {
    return "db" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Creates and fills the table through the driver itself, so nothing of it is recorded. */
  static <T extends DataSource> T withUsers(T ds) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(100), password VARCHAR(100))");
      st.executeUpdate("INSERT INTO users VALUES (1, 'ada', 'pw1'), (2, 'bob', 'pw2'), (3, 'cyd', 'pw3')");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ds;
  }
}
