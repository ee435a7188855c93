package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whatever the driver throws reaches the application as it is, and Mintaro's span still ends. */
class MisbehavingDriverTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private String url;

  @BeforeEach
  void database() {
    url = "jdbc:mintaro:throwing:" + Databases.h2().getURL().substring("jdbc:".length());
    ThrowingDriver.reset();
  }

  @AfterEach
  void reset() {
    ThrowingDriver.reset();
  }

  @Test
  void aRuntimeExceptionFromTheDriverIsTheSameObjectAndEndsTheSpan() throws SQLException {
    IllegalStateException bug = new IllegalStateException("driver bug");
    ThrowingDriver.failure.set(bug);
    Throwable thrown;
    String requestId;
    try (Span request = Mintaro.startSpan("request");
        Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE id = ?")) {
      requestId = request.spanId();
      ps.setInt(1, 1);
      thrown = catchThrowable(ps::executeQuery);
      try (Span after = Mintaro.startSpan("after")) {
        assertThat(after.spanId()).isNotEqualTo(requestId);
      }
    }
    assertThat(thrown).isSameAs(bug);
    RecordedTrace trace = mintaro.onlyTrace();
    RecordedSpan query = trace.span("SELECT users");
    assertThat(query.endUs()).isNotNull();
    assertThat(query.handledErrors()).extracting(RecordedError::type).containsExactly(IllegalStateException.class.getName());
    // the caller's span was current again after the failure
    assertThat(trace.span("after").parentSpanId()).isEqualTo(requestId);
  }

  @Test
  void anErrorFromTheDriverIsTheSameObject() throws SQLException {
    StackOverflowError error = new StackOverflowError("deep");
    ThrowingDriver.failure.set(error);
    Throwable thrown;
    try (Span request = Mintaro.startSpan("request");
        Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      thrown = catchThrowable(() -> st.executeUpdate("DELETE FROM users"));
    }
    assertThat(thrown).isSameAs(error);
    assertThat(mintaro.onlyTrace().span("DELETE users").endUs()).isNotNull();
  }

  @Test
  void aFailureWhileReadingRowsEndsTheSpanWithTheRowsReadSoFar() throws SQLException {
    SQLException lost = new SQLException("connection lost", "08006");
    Throwable thrown;
    try (Span request = Mintaro.startSpan("request");
        Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM users")) {
      assertThat(rs.next()).isTrue();
      ThrowingDriver.nextFailure.set(lost);
      thrown = catchThrowable(rs::next);
    }
    assertThat(thrown).isSameAs(lost);
    RecordedSpan query = mintaro.onlyTrace().span("SELECT users");
    assertThat(query.attribute("db.response.returned_rows")).isEqualTo("1");
    assertThat(query.handledErrors()).extracting(RecordedError::message).containsExactly("connection lost");
  }

  @Test
  void outsideATraceTheDriversExceptionPassesAndNothingIsRecorded() throws SQLException {
    IllegalArgumentException bug = new IllegalArgumentException("bad");
    ThrowingDriver.failure.set(bug);
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      assertThat(catchThrowable(() -> st.executeQuery("SELECT 1"))).isSameAs(bug);
    }
    assertThat(mintaro.traces()).isEmpty();
  }

  static {
    // loaded before any test connects
    assertThat(ThrowingDriver.INSTANCE).isNotNull();
  }
}
