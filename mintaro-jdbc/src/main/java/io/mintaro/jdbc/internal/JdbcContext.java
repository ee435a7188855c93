package io.mintaro.jdbc.internal;

import java.sql.Connection;

/** What the connections of one data source (or one driver connection) share: options and database. */
public final class JdbcContext {
  public final JdbcOptions options;
  private volatile DbInfo db;

  /** @param db the database when the URL is known up front; null to read it from the first connection */
  public JdbcContext(JdbcOptions options, DbInfo db) {
    this.options = options;
    this.db = db;
  }

  /** The database, read from {@code connection}'s metadata the first time; never throws. */
  DbInfo db(Connection connection) {
    DbInfo d = db;
    if (d == null) {
      d = DbInfo.of(connection);
      db = d;
    }
    return d;
  }
}
