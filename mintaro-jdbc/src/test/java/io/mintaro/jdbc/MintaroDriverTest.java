package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedSpan;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdbc:mintaro:} in front of any URL, for applications that use DriverManager. */
class MintaroDriverTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  @TempDir
  Path dir;

  @Test
  void theServiceLoaderRegistersTheDriverForThePrefixOnly() throws SQLException {
    Driver driver = DriverManager.getDriver("jdbc:mintaro:h2:mem:any");
    assertThat(driver).isInstanceOf(MintaroDriver.class);
    assertThat(driver.acceptsURL("jdbc:h2:mem:any")).isFalse();
    assertThat(driver.connect("jdbc:h2:mem:any", new Properties())).isNull();
  }

  @Test
  void anH2UrlWithThePrefixIsRecorded() throws SQLException {
    String name = Databases.name();
    try (Span request = Mintaro.startSpan("request");
        Connection c = DriverManager.getConnection("jdbc:mintaro:h2:mem:" + name);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INT)");
      assertThat(st.executeUpdate("INSERT INTO t VALUES (1), (2)")).isEqualTo(2);
      assertThat(c.unwrap(JdbcConnection.class)).isNotNull();
    }
    RecordedSpan insert = mintaro.onlyTrace().span("INSERT t");
    assertThat(insert.attributes())
        .containsEntry("db.system.name", "h2database")
        .containsEntry("db.namespace", name)
        .containsEntry("db.response.affected_rows", "2");
  }

  @Test
  void aSqliteUrlWithThePrefixIsRecorded() throws SQLException {
    Path file = dir.resolve("app.db");
    try (Span request = Mintaro.startSpan("request");
        Connection c = DriverManager.getConnection("jdbc:mintaro:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE kv (k TEXT, v TEXT)");
      st.executeUpdate("INSERT INTO kv VALUES ('a', '1')");
      try (ResultSet rs = st.executeQuery("SELECT v FROM kv WHERE k = 'a'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("1");
      }
    }
    RecordedSpan query = mintaro.onlyTrace().span("SELECT kv");
    assertThat(query.attributes())
        .containsEntry("db.system.name", "sqlite")
        .containsEntry("db.namespace", file.toString())
        .containsEntry("db.query.text", "SELECT v FROM kv WHERE k = ?")
        .containsEntry("db.response.returned_rows", "1");
  }

  @Test
  void credentialsInPropertiesReachTheRealDriver() throws SQLException {
    String url = "jdbc:mintaro:h2:mem:" + Databases.name() + ";USER=admin;PASSWORD=s3cret;DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(c.getMetaData().getUserName()).isEqualToIgnoringCase("admin");
    }
    Properties wrong = new Properties();
    wrong.setProperty("user", "admin");
    wrong.setProperty("password", "wrong");
    assertThatThrownBy(() -> DriverManager.getConnection(url.replace(";USER=admin;PASSWORD=s3cret", ""), wrong))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void aUrlNoDriverAcceptsFailsAsWithoutThePrefix() {
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mintaro:nosuchdb://x/y"))
        .isInstanceOf(SQLException.class);
  }
}
