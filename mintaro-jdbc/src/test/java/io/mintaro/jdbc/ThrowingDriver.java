package io.mintaro.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A misbehaving driver of our own: {@code jdbc:throwing:<h2 url>} connects to H2, and then every
 * statement execution, or every {@code ResultSet.next()}, throws {@link #failure} when it is set.
 */
final class ThrowingDriver implements Driver {
  static final String PREFIX = "jdbc:throwing:";
  static final ThrowingDriver INSTANCE = new ThrowingDriver();
  /** What executions throw; null for none. */
  static final AtomicReference<Throwable> failure = new AtomicReference<>();
  /** What {@code ResultSet.next()} throws; null for none. */
  static final AtomicReference<Throwable> nextFailure = new AtomicReference<>();

  static {
    try {
      DriverManager.registerDriver(INSTANCE);
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static void reset() {
    failure.set(null);
    nextFailure.set(null);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Connection h2 = new org.h2.Driver().connect("jdbc:" + url.substring(PREFIX.length()), info);
    return proxy(Connection.class, h2, (target, method, args) -> {
      Object result = invoke(target, method, args);
      if (result instanceof PreparedStatement) {
        return proxy(PreparedStatement.class, result, ThrowingDriver::statement);
      }
      if (result instanceof Statement) {
        return proxy(Statement.class, result, ThrowingDriver::statement);
      }
      return result;
    });
  }

  private static Object statement(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    Throwable t = failure.get();
    if (t != null && method.getName().startsWith("execute")) {
      throw t;
    }
    Object result = invoke(target, method, args);
    if (result instanceof ResultSet) {
      return proxy(ResultSet.class, result, (rs, m, a) -> {
        Throwable n = nextFailure.get();
        if (n != null && m.getName().equals("next")) {
          throw n;
        }
        return invoke(rs, m, a);
      });
    }
    return result;
  }

  interface Call {
    Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Call call) {
    InvocationHandler h = (p, m, a) -> call.call(target, m, a);
    return type.cast(Proxy.newProxyInstance(ThrowingDriver.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("throwing");
  }
}
