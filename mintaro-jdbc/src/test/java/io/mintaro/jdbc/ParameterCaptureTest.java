package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ParameterCaptureTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private JdbcDataSource h2;

  @BeforeEach
  void database() throws SQLException {
    h2 = Databases.h2();
    try (Connection c = h2.getConnection()) {
      c.createStatement().execute("CREATE TABLE payments (id INT, amount DECIMAL(10,2), due DATE, "
          + "card_token VARCHAR(50), note VARCHAR(5000), receipt BLOB)");
    }
  }

  private RecordedSpan insertPayment(DataSource ds) throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO payments (id, amount, due, card_token, note, receipt) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setInt(1, 7);
      ps.setBigDecimal(2, new BigDecimal("19.99"));
      ps.setObject(3, LocalDate.of(2025, 3, 1));
      ps.setString(4, "tok_4242");
      ps.setString(5, "x".repeat(1000));
      ps.setBytes(6, new byte[] {1, 2, 3});
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    return mintaro.onlyTrace().span("INSERT payments");
  }

  @Test
  void bindValuesAreNotRecordedByDefault() throws SQLException {
    RecordedSpan insert = insertPayment(MintaroDataSource.wrap(h2));
    assertThat(insert.attributes().keySet()).noneMatch(k -> k.startsWith("db.query.parameter"));
  }

  @Test
  void whenCapturedTheyAreRecordedByZeroBasedIndexSecretsRedactedAndLongOnesCut() throws SQLException {
    RecordedSpan insert = insertPayment(MintaroDataSource.builder(h2).captureParameters(true).maxParameterLength(20).build());
    assertThat(insert.attributes())
        .containsEntry("db.query.parameter.0", "7")
        .containsEntry("db.query.parameter.1", "19.99")
        .containsEntry("db.query.parameter.2", "2025-03-01")
        .containsEntry("db.query.parameter.3", "[REDACTED]")
        .containsEntry("db.query.parameter.4", "x".repeat(20) + "…")
        .containsEntry("db.query.parameter.5", "<3 bytes>");
  }

  @Test
  void aComparedColumnNamesTheValueAndMoreWordsCanBeSecret() throws SQLException {
    DataSource ds = MintaroDataSource.builder(h2).captureParameters(true).redactParameters("name").build();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ? AND password = ? AND id > ?")) {
      ps.setString(1, "ada");
      ps.setString(2, "pw1");
      ps.setNull(3, Types.INTEGER);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(mintaro.onlyTrace().span("SELECT users").attributes())
        .containsEntry("db.query.parameter.0", "[REDACTED]")
        .containsEntry("db.query.parameter.1", "[REDACTED]")
        .containsEntry("db.query.parameter.2", "NULL");
  }

  @Test
  void everyValueOfAStatementOnASecretTableIsRedacted() throws SQLException {
    try (Connection c = h2.getConnection()) {
      c.createStatement().execute("CREATE TABLE api_secrets (id INT, val VARCHAR(20))");
    }
    DataSource ds = MintaroDataSource.builder(h2).captureParameters(true).build();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO api_secrets VALUES (?, ?)")) {
      ps.setInt(1, 1);
      ps.setString(2, "sk_live_123");
      ps.executeUpdate();
    }
    assertThat(mintaro.onlyTrace().span("INSERT api_secrets").attributes())
        .containsEntry("db.query.parameter.0", "[REDACTED]")
        .containsEntry("db.query.parameter.1", "[REDACTED]");
  }

  /** An application's type whose toString must not be called. */
  static final class Money implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      throw new IllegalStateException("never called by Mintaro");
    }
  }

  @Test
  void aValueOfAnApplicationTypeIsRecordedByItsClassNotItsToString() throws SQLException {
    DataSource ds = MintaroDataSource.builder(h2).captureParameters(true).build();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ? IS NULL")) {
      ps.setObject(1, new Money(), Types.JAVA_OBJECT);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isFalse();
      }
    }
    assertThat(mintaro.onlyTrace().span("SELECT").attribute("db.query.parameter.0"))
        .isEqualTo("<" + Money.class.getName() + ">");
  }

  @Test
  void clearedParametersAreNotRecordedAgain() throws SQLException {
    DataSource ds = MintaroDataSource.builder(h2).captureParameters(true).build();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE users SET name = ? WHERE id = 1")) {
      ps.setString(1, "first");
      ps.executeUpdate();
      ps.clearParameters();
      ps.setString(1, "second");
      ps.executeUpdate();
    }
    assertThat(mintaro.onlyTrace().spans("UPDATE users"))
        .extracting(s -> s.attribute("db.query.parameter.0"))
        .containsExactly("first", "second");
  }
}
