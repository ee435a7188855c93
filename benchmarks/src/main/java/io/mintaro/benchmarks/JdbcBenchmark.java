package io.mintaro.benchmarks;

import io.mintaro.jdbc.MintaroDataSource;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One prepared statement against an in-memory H2 database, prepared, executed and closed as an
 * application does per query: a SELECT of one row by primary key (read to its end), and an
 * UPDATE of one row (auto-commit). Through the plain H2 {@code DataSource}, through
 * {@code MintaroDataSource.wrap} in a current Mintaro trace, and through
 * {@code JdbcTelemetry.create(otel).wrap} in a current OpenTelemetry trace. Each measuring thread
 * holds one connection from its side's {@code DataSource}, opened at setup as a pool opens its
 * connections, and works on rows of its own, so that two threads never wait for each other's row
 * locks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class JdbcBenchmark {
  static final String SELECT = "SELECT status, cents FROM orders WHERE id = ?";
  static final String UPDATE = "UPDATE orders SET cents = ? WHERE id = ?";
  static final int ROWS_PER_THREAD = 256;

  /** The database: one table of orders, {@code ROWS_PER_THREAD} rows for each of up to 8 threads. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Database {
    JdbcDataSource h2;
    private Connection keepAlive;

    @Setup
    public void setup() throws SQLException {
      h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
      keepAlive = h2.getConnection();
      try (Statement s = keepAlive.createStatement()) {
        s.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(16) NOT NULL, cents INT NOT NULL)");
      }
      try (PreparedStatement insert = keepAlive.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
        for (int id = 0; id < 8 * ROWS_PER_THREAD; id++) {
          insert.setInt(1, id);
          insert.setString(2, "charged");
          insert.setInt(3, 4200 + id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }

    @TearDown
    public void tearDown() throws SQLException {
      try (Statement s = keepAlive.createStatement()) {
        s.execute("DROP ALL OBJECTS");
      }
      keepAlive.close();
    }
  }

  /** One side's connection on one measuring thread, and the rows that thread uses. */
  abstract static class Session {
    Connection connection;
    private int first;
    private int next;

    void open(DataSource dataSource, ThreadParams thread) throws SQLException {
      connection = dataSource.getConnection();
      first = thread.getThreadIndex() * ROWS_PER_THREAD;
      if (select(this) < 0 || update(this) != 1) {
        throw new IllegalStateException("the benchmark's statements do not work");
      }
    }

    int nextId() {
      int id = first + next;
      next = (next + 1) % ROWS_PER_THREAD;
      return id;
    }

    @TearDown
    public void close() throws SQLException {
      connection.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Plain extends Session {
    @Setup
    public void setup(Database db, ThreadParams thread) throws SQLException {
      open(db.h2, thread);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class WithMintaro extends Session {
    @Setup
    public void setup(Database db, SpanBenchmark.MintaroState sdk, ThreadParams thread) throws SQLException {
      open(MintaroDataSource.wrap(db.h2), thread);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class WithOtel extends Session {
    @Setup
    public void setup(Database db, Traces.OtelSdk sdk, ThreadParams thread) throws SQLException {
      open(JdbcTelemetry.create(sdk.otel).wrap(db.h2), thread);
    }
  }

  /** The row's cents plus its status's length, or -1 without a row. */
  static int select(Session session) throws SQLException {
    try (PreparedStatement ps = session.connection.prepareStatement(SELECT)) {
      ps.setInt(1, session.nextId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1).length() + rs.getInt(2) : -1;
      }
    }
  }

  static int update(Session session) throws SQLException {
    try (PreparedStatement ps = session.connection.prepareStatement(UPDATE)) {
      int id = session.nextId();
      ps.setInt(1, 4300 + id);
      ps.setInt(2, id);
      return ps.executeUpdate();
    }
  }

  @Benchmark
  public int selectPlain(Plain session) throws SQLException {
    return select(session);
  }

  @Benchmark
  public int selectMintaro(WithMintaro session, Traces.InMintaroTrace trace) throws SQLException {
    return select(session);
  }

  @Benchmark
  public int selectOtel(WithOtel session, Traces.InOtelTrace trace) throws SQLException {
    return select(session);
  }

  @Benchmark
  public int updatePlain(Plain session) throws SQLException {
    return update(session);
  }

  @Benchmark
  public int updateMintaro(WithMintaro session, Traces.InMintaroTrace trace) throws SQLException {
    return update(session);
  }

  @Benchmark
  public int updateOtel(WithOtel session, Traces.InOtelTrace trace) throws SQLException {
    return update(session);
  }
}
