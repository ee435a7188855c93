package io.mintaro.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcCallableStatement;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcPreparedStatement;
import org.h2.jdbc.JdbcResultSet;
import org.h2.jdbc.JdbcStatement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The wrappers let the application reach the driver's objects, and lead back to the wrappers. */
class WrapperTest {
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
  void unwrapReachesTheDriversObjectsAtEveryLevel() throws SQLException {
    assertThat(ds.unwrap(JdbcDataSource.class)).isSameAs(h2);
    assertThat(ds.isWrapperFor(JdbcDataSource.class)).isTrue();
    assertThat(ds.isWrapperFor(String.class)).isFalse();
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM users");
        CallableStatement cs = c.prepareCall("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      assertThat(c).isNotInstanceOf(JdbcConnection.class);
      assertThat(c.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
      assertThat(c.unwrap(Connection.class)).isInstanceOf(JdbcConnection.class);
      assertThat(c.isWrapperFor(JdbcConnection.class)).isTrue();
      assertThat(st.unwrap(JdbcStatement.class)).isInstanceOf(JdbcStatement.class);
      assertThat(ps.unwrap(JdbcPreparedStatement.class)).isInstanceOf(JdbcPreparedStatement.class);
      assertThat(cs.unwrap(JdbcCallableStatement.class)).isInstanceOf(JdbcCallableStatement.class);
      assertThat(rs).isNotInstanceOf(JdbcResultSet.class);
      assertThat(rs.unwrap(JdbcResultSet.class)).isInstanceOf(JdbcResultSet.class);
      assertThat(rs.isWrapperFor(JdbcResultSet.class)).isTrue();
    }
  }

  @Test
  void statementsAndResultSetsLeadBackToTheWrappers() throws SQLException {
    try (Span request = Mintaro.startSpan("request");
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM users");
        CallableStatement cs = c.prepareCall("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      assertThat(st.getConnection()).isSameAs(c);
      assertThat(ps.getConnection()).isSameAs(c);
      assertThat(cs.getConnection()).isSameAs(c);
      assertThat(rs.getStatement()).isSameAs(ps);
    }
  }

  @Test
  void wrappingTwiceIsWrappingOnce() {
    assertThat(MintaroDataSource.wrap(ds)).isSameAs(ds);
  }

  @Test
  void everythingElseIsTheDriversOwn() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      assertThat(c.getAutoCommit()).isFalse();
      try (Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM users");
      }
      c.rollback();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
      assertThat(c.nativeSQL("SELECT {fn NOW()}")).isEqualTo(h2.getConnection().nativeSQL("SELECT {fn NOW()}"));
    }
  }
}
