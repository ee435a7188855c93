package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A query's span ends however its result set is left, and never changes which span is current. */
class SpanLifecycleTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private DataSource ds;

  @BeforeEach
  void wrap() {
    ds = MintaroDataSource.wrap(Databases.h2());
  }

  private static void assertAllEnded(RecordedTrace trace) {
    assertThat(trace.spans()).allSatisfy(s -> assertThat(s.status()).isEqualTo("succeeded"));
  }

  @Test
  void aTraceCollectedWhileRowsAreReadShowsTheQueryAsStarted() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM users")) {
      assertThat(rs.next()).isTrue();

      RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
      assertThat(query.status()).isEqualTo("started");
      assertThat(query.parentSpanId()).isEqualTo(request.spanId());
    }
    assertThat(mintaro.onlyTrace().span("SELECT users").status()).isEqualTo("succeeded");
  }

  @Test
  void whileRowsAreReadTheCallersSpanIsCurrent() throws SQLException {
    String requestId;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM users")) {
      requestId = request.spanId();
      while (rs.next()) {
        try (Span perRow = Mintaro.startSpan("row")) {
          perRow.attribute("id", rs.getInt(1));
        }
      }
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.spans("row")).hasSize(3).allSatisfy(row -> assertThat(row.parentSpanId()).isEqualTo(requestId));
    assertThat(trace.span("SELECT users").parentSpanId()).isEqualTo(requestId);
    assertAllEnded(trace);
  }

  @Test
  void theSpanEndsWhenTheRowsRunOutEvenIfTheResultSetIsNeverClosed() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT * FROM users");
      while (rs.next()) {
        rs.getString(2);
      }
      RecordedSpan query = mintaro.trace(request.traceId()).span("SELECT users");
      assertThat(query.endUs()).isNotNull();
      assertThat(query.attribute("db.response.returned_rows")).isEqualTo("3");
    }
  }

  @Test
  void closingTheStatementFirstEndsTheSpanOfItsResultSet() throws SQLException {
    try (Span request = Mintaro.startSpan("request"); Connection c = ds.getConnection()) {
      Statement st = c.createStatement();
      ResultSet rs = st.executeQuery("SELECT * FROM users");
      rs.next();
      st.close();
      rs.close();
    }
    RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
    assertThat(query.attribute("db.response.returned_rows")).isEqualTo("1");
    assertAllEnded(mintaro.onlyTrace());
  }

  @Test
  void closingTheConnectionEndsEveryOpenQuery() throws SQLException {
    try (Span request = Mintaro.startSpan("request")) {
      Connection c = ds.getConnection();
      ResultSet first = c.createStatement().executeQuery("SELECT * FROM users");
      PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?");
      ps.setInt(1, 2);
      ResultSet second = ps.executeQuery();
      first.next();
      second.next();
      c.close();
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.spans("SELECT users")).hasSize(2)
        .allSatisfy(s -> assertThat(s.attribute("db.response.returned_rows")).isEqualTo("1"));
    assertAllEnded(trace);
  }

  @Test
  void executingAgainEndsThePreviousQuery() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      ResultSet abandoned = st.executeQuery("SELECT * FROM users");
      abandoned.next();
      abandoned.next();
      try (ResultSet rs = st.executeQuery("SELECT name FROM users WHERE id = 1")) {
        rs.next();
      }
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.spans("SELECT users"))
        .extracting(s -> s.attribute("db.response.returned_rows"))
        .containsExactlyInAnyOrder("2", "1");
    assertAllEnded(trace);
  }

  @Test
  void aQueryStartedInATraceEndsThereEvenIfReadAfterIt() throws SQLException {
    Connection c = ds.getConnection();
    ResultSet rs;
    String traceId;
    try (Span request = Mintaro.startSpan("request")) {
      traceId = request.traceId();
      rs = c.createStatement().executeQuery("SELECT * FROM users");
    }
    assertThat(Mintaro.traceId()).isNull();
    while (rs.next()) {
      rs.getInt(1);
    }
    c.close();
    RecordedSpan query = mintaro.trace(traceId).span("SELECT users");
    assertThat(query.attribute("db.response.returned_rows")).isEqualTo("3");
    assertThat(mintaro.traces()).hasSize(1);
  }
}
