package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class SqliteDataSourceTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  @TempDir
  Path dir;
  private SQLiteDataSource sqlite;
  private DataSource ds;

  @BeforeEach
  void wrap() {
    sqlite = Databases.sqlite(dir);
    ds = MintaroDataSource.wrap(sqlite);
  }

  @Test
  void aQueryIsAClientSpanOfTheCurrentSpanWithTheRowsItReturned() throws SQLException {
    String names = "";
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM users WHERE id > 0 ORDER BY id")) {
      while (rs.next()) {
        names += rs.getString(1);
      }
    }
    assertThat(names).isEqualTo("adabobcyd");

    RecordedTrace trace = mintaro.onlyTrace();
    RecordedSpan query = trace.span("SELECT users");
    assertThat(query.kind()).isEqualTo("client");
    assertThat(query.status()).isEqualTo("succeeded");
    assertThat(query.parentSpanId()).isEqualTo(trace.span("request").spanId());
    assertThat(query.attributes())
        .containsEntry("db.system.name", "sqlite")
        .containsEntry("db.namespace", sqlite.getUrl().substring("jdbc:sqlite:".length()))
        .containsEntry("db.query.text", "SELECT name FROM users WHERE id > ? ORDER BY id")
        .containsEntry("db.operation.name", "SELECT")
        .containsEntry("db.collection.name", "users")
        .containsEntry("db.response.returned_rows", "3")
        .doesNotContainKey("db.response.affected_rows");
  }

  @Test
  void anUpdateRecordsTheRowsItAffected() throws SQLException {
    int updated;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      updated = st.executeUpdate("UPDATE users SET name = 'x' WHERE id <= 2");
    }
    assertThat(updated).isEqualTo(2);
    RecordedSpan update = mintaro.onlyTrace().span("UPDATE users");
    assertThat(update.attributes())
        .containsEntry("db.operation.name", "UPDATE")
        .containsEntry("db.query.text", "UPDATE users SET name = ? WHERE id <= ?")
        .containsEntry("db.response.affected_rows", "2")
        .doesNotContainKey("db.response.returned_rows");
  }

  @Test
  void aPreparedQueryKeepsItsPlaceholdersAndNoBindValues() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ? OR password = ?")) {
      ps.setString(1, "bob");
      ps.setString(2, "pw3");
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isFalse();
      }
    }
    RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
    assertThat(query.attribute("db.query.text")).isEqualTo("SELECT id FROM users WHERE name = ? OR password = ?");
    assertThat(query.attribute("db.response.returned_rows")).isEqualTo("2");
    assertThat(query.attributes().keySet()).noneMatch(k -> k.startsWith("db.query.parameter"));
  }

  @Test
  void aPreparedStatementExecutedTwiceIsTwoSpans() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
      ps.setInt(1, 1);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      ps.setInt(1, 42);
      assertThat(ps.executeUpdate()).isZero();
    }
    assertThat(mintaro.onlyTrace().spans("DELETE users"))
        .extracting(s -> s.attribute("db.response.affected_rows"))
        .containsExactly("1", "0");
  }

  @Test
  void aStatementBatchIsOneSpanNamingItsDistinctStatements() throws SQLException {
    int[] counts;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.addBatch("INSERT INTO users VALUES (10, 'dan', 'a')");
      st.addBatch("INSERT INTO users VALUES (11, 'eve', 'b')");
      st.addBatch("UPDATE users SET name = 'zed' WHERE id = 10");
      counts = st.executeBatch();
    }
    assertThat(counts).containsExactly(1, 1, 1);
    RecordedSpan batch = mintaro.onlyTrace().span("BATCH users");
    assertThat(batch.attributes())
        .containsEntry("db.operation.batch.size", "3")
        .containsEntry("db.operation.name", "BATCH")
        .containsEntry("db.collection.name", "users")
        .containsEntry("db.query.text", "INSERT INTO users VALUES (?, ?, ?); UPDATE users SET name = ? WHERE id = ?")
        .containsEntry("db.response.affected_rows", "3");
  }

  @Test
  void aBatchOverSeveralTablesNamesNone() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.addBatch("CREATE TABLE audit (line VARCHAR(10))");
      st.addBatch("INSERT INTO audit VALUES ('one')");
      st.addBatch("DELETE FROM users WHERE id = 1");
      st.executeBatch();
    }
    RecordedSpan batch = mintaro.onlyTrace().span("BATCH");
    assertThat(batch.attributes())
        .containsEntry("db.operation.name", "BATCH")
        .containsEntry("db.operation.batch.size", "3")
        .containsEntry("db.query.text",
            "CREATE TABLE audit (line VARCHAR(?)); INSERT INTO audit VALUES (?); DELETE FROM users WHERE id = ?")
        .doesNotContainKey("db.collection.name");
  }

  @Test
  void aPreparedBatchOfOneKindIsNamedAfterItsOperationAndTable() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
      for (int i = 20; i < 24; i++) {
        ps.setInt(1, i);
        ps.setString(2, "u" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    RecordedSpan batch = mintaro.onlyTrace().span("BATCH INSERT users");
    assertThat(batch.attributes())
        .containsEntry("db.operation.name", "BATCH INSERT")
        .containsEntry("db.collection.name", "users")
        .containsEntry("db.operation.batch.size", "4")
        .containsEntry("db.query.text", "INSERT INTO users (id, name) VALUES (?, ?)")
        .containsEntry("db.response.affected_rows", "4");
  }

  @Test
  void aBatchOfOneIsAnOrdinaryStatement() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.addBatch("DELETE FROM users WHERE id = 3");
      st.executeBatch();
    }
    RecordedSpan delete = mintaro.onlyTrace().span("DELETE users");
    assertThat(delete.attributes()).doesNotContainKey("db.operation.batch.size")
        .containsEntry("db.response.affected_rows", "1");
  }

  @Test
  void outsideATraceNothingIsRecorded() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE id = ?")) {
      st.executeUpdate("UPDATE users SET name = 'quiet'");
      ps.setInt(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("name")).isEqualTo("quiet");
      }
      st.addBatch("DELETE FROM users WHERE id = 1");
      st.addBatch("DELETE FROM users WHERE id = 2");
      assertThat(st.executeBatch()).containsExactly(1, 1);
    }
    assertThat(mintaro.traces()).isEmpty();
  }
}
