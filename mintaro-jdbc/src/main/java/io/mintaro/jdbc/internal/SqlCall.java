package io.mintaro.jdbc.internal;

import java.sql.SQLException;

/** One call into the driver. */
@FunctionalInterface
public interface SqlCall<T> {
  T call() throws SQLException;
}
