package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bind values of columns the SDK was told are secret are redacted, however the SDK was configured. */
class SdkRedactionTest {
  @RegisterExtension
  static final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.redactFields("iban"));

  @Test
  void aColumnNamedByTheSdksRedactFieldsIsRedacted() throws SQLException {
    JdbcDataSource h2 = Databases.h2();
    try (Connection c = h2.getConnection()) {
      c.createStatement().execute("CREATE TABLE accounts (id INT, owner_iban VARCHAR(40), owner VARCHAR(40))");
    }
    DataSource ds = MintaroDataSource.builder(h2).captureParameters(true).build();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, owner_iban, owner) VALUES (?, ?, ?)")) {
      ps.setInt(1, 1);
      ps.setString(2, "DE89370400440532013000");
      ps.setString(3, "ann");
      ps.executeUpdate();
    }

    RecordedSpan insert = mintaro.onlyTrace().span("INSERT accounts");
    assertThat(insert.attribute("db.query.parameter.0")).isEqualTo("1");
    assertThat(insert.attribute("db.query.parameter.1")).isEqualTo("[REDACTED]");
    assertThat(insert.attribute("db.query.parameter.2")).isEqualTo("ann");
  }
}
