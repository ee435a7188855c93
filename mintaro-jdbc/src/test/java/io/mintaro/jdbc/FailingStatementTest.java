package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FailingStatementTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private JdbcDataSource h2;

  @BeforeEach
  void database() {
    h2 = Databases.h2();
  }

  @Test
  void theDriversExceptionIsRecordedOnTheSpanAndRethrownAsItWas() throws SQLException {
    DataSource ds = MintaroDataSource.wrap(h2);
    SQLSyntaxErrorException thrown;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      thrown = catchThrowableOfType(SQLSyntaxErrorException.class, () -> st.executeQuery("SELECT nope FROM users"));
      // the connection works on
      assertThat(st.executeUpdate("DELETE FROM users WHERE id = 1")).isEqualTo(1);
    }
    assertThat(thrown.getClass().getName()).startsWith("org.h2.");
    assertThat(thrown.getErrorCode()).isEqualTo(42122); // H2's COLUMN_NOT_FOUND, untouched

    RecordedTrace trace = mintaro.onlyTrace();
    RecordedSpan failed = trace.span("SELECT users");
    assertThat(failed.endUs()).isNotNull();
    assertThat(failed.handledErrors()).extracting(RecordedError::type, RecordedError::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(thrown.getClass().getName(), thrown.getMessage()));
    assertThat(failed.attributes()).doesNotContainKey("db.response.returned_rows");
    assertThat(trace.span("DELETE users").handledErrors()).isEmpty();
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void aFailingStatementTriggersCollectionWhenConfiguredTo() throws SQLException {
    DataSource ds = MintaroDataSource.builder(h2).triggerOnError(true).build();
    String traceId;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
      traceId = request.traceId();
      ps.setInt(1, 1); // taken
      ps.setString(2, "dup");
      catchThrowableOfType(SQLIntegrityConstraintViolationException.class, ps::executeUpdate);
    }
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> {
      assertThat(t.traceId()).isEqualTo(traceId);
      assertThat(t.reason()).startsWith("SQL error in INSERT users: ")
          .contains("JdbcSQLIntegrityConstraintViolationException");
    });
    assertThat(mintaro.onlyTrace().span("INSERT users").handledErrors()).hasSize(1);
  }

  @Test
  void aFailedBatchIsRecordedAndRethrown() throws SQLException {
    DataSource ds = MintaroDataSource.wrap(h2);
    BatchUpdateException thrown;
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.addBatch("INSERT INTO users (id) VALUES (7)");
      st.addBatch("INSERT INTO users (id) VALUES (7)");
      thrown = catchThrowableOfType(BatchUpdateException.class, st::executeBatch);
    }
    assertThat((Object) thrown).isInstanceOf(BatchUpdateException.class);
    RecordedSpan batch = mintaro.onlyTrace().span("BATCH INSERT users");
    assertThat(batch.handledErrors()).extracting(RecordedError::type).containsExactly(thrown.getClass().getName());
    assertThat(mintaro.triggers()).isEmpty();
  }
}
