package io.mintaro.jdbc;

import io.mintaro.jdbc.internal.DbInfo;
import io.mintaro.jdbc.internal.JdbcContext;
import io.mintaro.jdbc.internal.JdbcOptions;
import io.mintaro.jdbc.internal.TracedConnection;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * The {@code jdbc:mintaro:} URL prefix, for applications that connect through
 * {@link DriverManager} or configure a pool with a URL: {@code jdbc:mintaro:postgresql://db/orders}
 * connects with the driver of {@code jdbc:postgresql://db/orders} and records what the connection
 * executes, as {@link MintaroDataSource} does, with the options of the environment.
 *
 * <p>Registered with {@link DriverManager} when loaded, which the service loader does
 * ({@code META-INF/services/java.sql.Driver}); pools that want a class name can use this one.
 */
public final class MintaroDriver implements Driver {
  /** The prefix that sends a URL through Mintaro. */
  public static final String PREFIX = "jdbc:mintaro:";

  static {
    try {
      DriverManager.registerDriver(new MintaroDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** For the service loader and {@code Class.forName}; applications do not need one. */
  public MintaroDriver() {}

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /** @return null for a URL without the prefix, as {@link DriverManager} expects of drivers */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String target = targetUrl(url);
    Connection connection = driverFor(target).connect(target, info);
    if (connection == null) {
      throw new SQLException("the driver for " + target + " did not accept it", "08001");
    }
    return new TracedConnection(connection, new JdbcContext(JdbcOptions.environment(), DbInfo.fromUrl(target)));
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return new DriverPropertyInfo[0];
    }
    String target = targetUrl(url);
    return driverFor(target).getPropertyInfo(target, info);
  }

  /** {@code jdbc:mintaro:h2:mem:x} → {@code jdbc:h2:mem:x}; a repeated prefix is dropped too. */
  static String targetUrl(String url) {
    String rest = url.substring(PREFIX.length());
    while (rest.regionMatches(true, 0, "mintaro:", 0, 8)) {
      rest = rest.substring(8);
    }
    return "jdbc:" + rest;
  }

  private static Driver driverFor(String url) throws SQLException {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException notVisibleHere) {
      // DriverManager offers only drivers visible to this class's loader; in a container the
      // application's driver may be in the context class loader instead
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader != null) {
        try {
          Iterator<Driver> drivers = ServiceLoader.load(Driver.class, loader).iterator();
          while (drivers.hasNext()) {
            Driver d = drivers.next();
            if (!(d instanceof MintaroDriver) && d.acceptsURL(url)) {
              return d;
            }
          }
        } catch (ServiceConfigurationError | RuntimeException ignored) {
          // report the DriverManager's answer below
        }
      }
      throw notVisibleHere;
    }
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  /** A wrapper is as compliant as the driver it wraps, which it cannot know in general. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("java.util.logging is not used");
  }
}
