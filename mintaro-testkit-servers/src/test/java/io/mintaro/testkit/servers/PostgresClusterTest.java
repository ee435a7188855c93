package io.mintaro.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClusterTest {

  @Test
  void a_started_cluster_accepts_connections_and_creates_databases() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      assertThat(pg.running()).isTrue();
      assertThat(pg.host()).isEqualTo("127.0.0.1");
      assertThat(pg.user()).isEqualTo("mintaro");
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");

      String url = pg.createDatabase("orders");

      assertThat(url).isEqualTo(pg.jdbcUrl("orders"));
      try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
           Statement s = c.createStatement()) {
        s.execute("create table item (id int primary key, name text)");
        s.execute("insert into item values (1, 'book')");
        assertThat(single(s, "select name from item where id = 1")).isEqualTo("book");
        assertThat(single(s, "select current_database()")).isEqualTo("orders");
        assertThat(single(s, "select current_user")).isEqualTo("mintaro");
        assertThat(single(s, "show fsync")).isEqualTo("off");
        assertThat(single(s, "show max_connections")).isEqualTo("200");
        assertThat(single(s, "show listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(single(s, "select version()")).contains("PostgreSQL " + pg.majorVersion());
      }
      assertThat(pg.logFile()).exists();
      assertThat(Files.readString(pg.logFile())).contains("ready to accept connections");
    }
  }

  @Test
  void a_dropped_database_is_gone_even_with_connections_open() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      String url = pg.createDatabase("scratch");
      Connection open = DriverManager.getConnection(url, pg.user(), pg.password());

      pg.dropDatabase("scratch");

      assertThatThrownBy(() -> DriverManager.getConnection(url, pg.user(), pg.password()))
          .isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
      open.close();
      pg.dropDatabase("scratch"); // again: nothing to drop, no error
      assertThatThrownBy(() -> pg.createDatabase("no'quotes"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void a_killed_cluster_restarts_on_the_same_port_with_its_committed_data() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      int port = pg.port();
      String url = pg.createDatabase("crash");
      Connection before = DriverManager.getConnection(url, pg.user(), pg.password());
      try (Statement s = before.createStatement()) {
        s.execute("create table t (v int)");
        // synchronous_commit=off lets a commit return before its WAL is written: a crash may lose
        // it. A crash test that expects its data back asks for the commit to be written.
        s.execute("set synchronous_commit = on");
        s.execute("insert into t values (42)");
      }

      pg.kill();

      assertThat(pg.running()).isFalse();
      assertThatThrownBy(() -> {
        try (Statement s = before.createStatement()) {
          s.executeQuery("select 1");
        }
      }).isInstanceOf(SQLException.class);
      before.close();

      pg.restart();

      assertThat(pg.running()).isTrue();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection after = DriverManager.getConnection(url, pg.user(), pg.password());
           Statement s = after.createStatement()) {
        assertThat(single(s, "select v from t")).isEqualTo("42");
      }
      assertThat(Files.readString(pg.logFile())).contains("database system was interrupted");
    }
  }

  @Test
  void a_stopped_cluster_restarts_and_close_leaves_no_server_and_no_directory() throws Exception {
    Path directory;
    ProcessHandle postmaster;
    try (PostgresCluster pg = PostgresCluster.start()) {
      directory = pg.socketDirectory();
      if (Os.isRoot()) {
        // PostgreSQL refuses root: the cluster belongs to, and runs as, the OS user postgres.
        assertThat(Files.getOwner(pg.dataDirectory()).getName()).isEqualTo("postgres");
      }

      pg.stop();
      assertThat(pg.running()).isFalse();
      assertThat(Os.accepts(pg.port())).isFalse();
      pg.stop(); // again: nothing to do

      pg.restart();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
           Statement s = c.createStatement()) {
        assertThat(single(s, "select 1")).isEqualTo("1");
      }
      postmaster = ProcessHandle.of(Long.parseLong(
          Files.readAllLines(pg.dataDirectory().resolve("postmaster.pid")).get(0).strip())).orElseThrow();
    }
    assertThat(Os.alive(postmaster)).isFalse();
    assertThat(directory).doesNotExist();
  }

  @Test
  void without_the_server_binaries_the_error_names_the_debian_package(@TempDir Path empty) {
    assertThatThrownBy(() -> PostgresCluster.builder().binDir(empty).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`postgresql`");
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
