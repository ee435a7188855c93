package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2DataSourceTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private JdbcDataSource h2;
  private DataSource ds;

  @BeforeEach
  void wrap() {
    h2 = Databases.h2();
    ds = MintaroDataSource.wrap(h2);
  }

  @Test
  void theDatabaseIsNamedAsOpenTelemetryNamesIt() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from users")) {
      assertThat(rs.next()).isTrue();
    }
    RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
    String name = h2.getURL().substring("jdbc:h2:mem:".length(), h2.getURL().indexOf(';'));
    assertThat(query.attributes())
        .containsEntry("db.system.name", "h2database")
        .containsEntry("db.namespace", name)
        .containsEntry("db.query.text", "select count(*) from users")
        .containsEntry("db.operation.name", "SELECT");
  }

  @Test
  void executeThatReturnsAResultSetCountsItsRowsAndOneThatDoesNotEndsAtOnce() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      assertThat(st.execute("SELECT * FROM users WHERE id <> 2")).isTrue();
      try (ResultSet rs = st.getResultSet()) {
        assertThat(st.getResultSet()).isSameAs(rs);
        while (rs.next()) {
          assertThat(rs.getStatement()).isSameAs(st);
        }
      }
      assertThat(st.execute("DELETE FROM users WHERE id = 2")).isFalse();
      assertThat(st.getUpdateCount()).isEqualTo(1);
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.span("SELECT users").attribute("db.response.returned_rows")).isEqualTo("2");
    RecordedSpan delete = trace.span("DELETE users");
    assertThat(delete.status()).isEqualTo("succeeded");
    assertThat(delete.attributes()).doesNotContainKey("db.response.affected_rows");
  }

  @Test
  void largeUpdatesAndLargeBatches() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        PreparedStatement ps = c.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
      assertThat(st.executeLargeUpdate("UPDATE users SET password = 'p'")).isEqualTo(3L);
      ps.setString(1, "a");
      ps.setInt(2, 1);
      ps.addBatch();
      ps.setString(1, "b");
      ps.setInt(2, 2);
      ps.addBatch();
      assertThat(ps.executeLargeBatch()).containsExactly(1L, 1L);
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.span("UPDATE users").attribute("db.response.affected_rows")).isEqualTo("3");
    assertThat(trace.span("BATCH UPDATE users").attributes())
        .containsEntry("db.operation.batch.size", "2")
        .containsEntry("db.response.affected_rows", "2");
  }

  @Test
  void aCallableStatementNamesItsProcedure() throws SQLException {
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE ALIAS TWICE FOR 'java.lang.Math.multiplyExact(int, int)'");
    }
    int result;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        CallableStatement cs = c.prepareCall("{call TWICE(?, 2)}")) {
      cs.setInt(1, 21);
      try (ResultSet rs = cs.executeQuery()) {
        assertThat(rs.next()).isTrue();
        result = rs.getInt(1);
      }
    }
    assertThat(result).isEqualTo(42);
    RecordedSpan call = mintaro.onlyTrace().span("CALL TWICE");
    assertThat(call.attributes())
        .containsEntry("db.operation.name", "CALL")
        .containsEntry("db.stored_procedure.name", "TWICE")
        .containsEntry("db.query.text", "{call TWICE(?, ?)}")
        .containsEntry("db.response.returned_rows", "1");
  }

  @Test
  void theSpanOfAQueryCoversReadingItsRows() throws Exception {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM users")) {
      rs.next();
      Thread.sleep(30); // the application works on a row
      while (rs.next()) {
        rs.getString(2);
      }
    }
    RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
    assertThat(query.durationUs()).isGreaterThanOrEqualTo(30_000);
    assertThat(query.attribute("db.response.returned_rows")).isEqualTo("3");
  }
}
