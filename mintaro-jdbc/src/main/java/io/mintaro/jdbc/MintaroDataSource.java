package io.mintaro.jdbc;

import io.mintaro.jdbc.internal.JdbcContext;
import io.mintaro.jdbc.internal.JdbcOptions;
import io.mintaro.jdbc.internal.TracedConnection;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.sql.ShardingKeyBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose statements record each execution as a client span of the current
 * trace, named like OpenTelemetry's ({@code SELECT users}), with OpenTelemetry's attributes:
 * {@code db.system.name}, {@code db.namespace}, {@code db.query.text} (literals replaced by
 * {@code ?}), {@code db.operation.name}, {@code db.collection.name},
 * {@code db.response.returned_rows}, {@code db.response.affected_rows} and
 * {@code db.operation.batch.size}.
 *
 * <pre>{@code
 * dataSource = MintaroDataSource.wrap(dataSource);
 * }</pre>
 *
 * Outside a trace nothing is recorded. A query's span lasts until its rows are read or its result
 * set is closed; a failing statement's exception is recorded on its span and rethrown unchanged.
 * Bind values are not recorded unless {@link Builder#captureParameters(boolean)} (or
 * {@code MINTARO_JDBC_CAPTURE_PARAMETERS=true}) says so.
 */
public final class MintaroDataSource implements DataSource {
  private final DataSource delegate;
  private final JdbcContext context;

  private MintaroDataSource(DataSource delegate, JdbcOptions options) {
    this.delegate = delegate;
    this.context = new JdbcContext(options, null);
  }

  /**
   * Wraps {@code dataSource} with the options of the environment
   * ({@code MINTARO_JDBC_TRIGGER_ON_ERROR}, {@code MINTARO_JDBC_CAPTURE_PARAMETERS}). Wrapping a
   * wrapped data source returns it unchanged.
   */
  public static DataSource wrap(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof MintaroDataSource) {
      return dataSource;
    }
    return new MintaroDataSource(dataSource, JdbcOptions.environment());
  }

  /** Starts from the options of the environment; each method of the builder overrides one. */
  public static Builder builder(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof MintaroDataSource) {
      dataSource = ((MintaroDataSource) dataSource).delegate;
    }
    return new Builder(dataSource);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    return connection == null ? null : new TracedConnection(connection, context);
  }

  @Override
  public ConnectionBuilder createConnectionBuilder() throws SQLException {
    ConnectionBuilder builder = delegate.createConnectionBuilder();
    return new ConnectionBuilder() {
      @Override
      public ConnectionBuilder user(String username) {
        builder.user(username);
        return this;
      }

      @Override
      public ConnectionBuilder password(String password) {
        builder.password(password);
        return this;
      }

      @Override
      public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        builder.shardingKey(shardingKey);
        return this;
      }

      @Override
      public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        builder.superShardingKey(superShardingKey);
        return this;
      }

      @Override
      public Connection build() throws SQLException {
        return wrap(builder.build());
      }
    };
  }

  @Override
  public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    return delegate.createShardingKeyBuilder();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  /** The wrapped data source itself, or what it unwraps to. */
  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(delegate) ? type.cast(delegate) : delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(delegate) || delegate.isWrapperFor(type);
  }

  @Override
  public String toString() {
    return "MintaroDataSource[" + delegate + "]";
  }

  /** Options of one wrapped data source; those not set come from the environment. */
  public static final class Builder {
    private final DataSource dataSource;
    private final JdbcOptions environment = JdbcOptions.environment();
    private boolean triggerOnError = environment.triggerOnError;
    private boolean captureParameters = environment.captureParameters;
    private int maxParameterLength = environment.maxParameterLength;
    private final List<String> redactParameters = new ArrayList<>();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Collect the trace when a statement fails (a manual trigger naming the statement). Default
     * off, or {@code MINTARO_JDBC_TRIGGER_ON_ERROR}: a failing statement is often handled, such
     * as a duplicate key that is retried; the exception is recorded on its span either way.
     */
    public Builder triggerOnError(boolean on) {
      this.triggerOnError = on;
      return this;
    }

    /**
     * Record bind values as {@code db.query.parameter.<0-based index>} (or {@code .<name>} for
     * callable statements set by name). Default off, or {@code MINTARO_JDBC_CAPTURE_PARAMETERS}.
     * Values of columns whose name contains {@code password}, {@code token}, {@code secret} (or a
     * word of {@code MINTARO_REDACT_FIELDS} or {@link #redactParameters}) are {@code [REDACTED]}.
     */
    public Builder captureParameters(boolean on) {
      this.captureParameters = on;
      return this;
    }

    /** The most characters kept of each bind value, 1 to 8192; longer ones are cut. Default 256. */
    public Builder maxParameterLength(int chars) {
      if (chars < 1 || chars > 8192) {
        throw new IllegalArgumentException("maxParameterLength must be between 1 and 8192, got: " + chars);
      }
      this.maxParameterLength = chars;
      return this;
    }

    /** Adds words that mark a column or parameter as secret, as core's {@code redactFields}. */
    public Builder redactParameters(String... words) {
      for (String w : words) {
        if (w == null || w.isBlank()) {
          throw new IllegalArgumentException("a redacted word must not be blank: " + Arrays.toString(words));
        }
        redactParameters.add(w.trim());
      }
      return this;
    }

    public DataSource build() {
      return new MintaroDataSource(dataSource,
          environment.with(triggerOnError, captureParameters, maxParameterLength, redactParameters));
    }
  }
}
