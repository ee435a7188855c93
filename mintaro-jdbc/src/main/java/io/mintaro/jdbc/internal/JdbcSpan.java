package io.mintaro.jdbc.internal;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import java.sql.SQLException;

/**
 * The client span of one statement execution. It is never current (a detached span: its start is
 * recorded at once, so a trace collected while it runs shows it), and stays open for as long as
 * its result set is read:
 *
 * <ul>
 *   <li>an update or batch ends when the driver returns, with the affected rows;</li>
 *   <li>a query ends when its rows run out ({@code next()} is false), when its result set, its
 *       statement or its connection is closed, or when the statement executes again, whichever
 *       comes first, with the rows the application read;</li>
 *   <li>a failed execution ends at once, the driver's exception recorded as a handled error.</li>
 * </ul>
 *
 * Every method is safe to call in any order and more than once; none throws.
 */
public final class JdbcSpan {
  private final JdbcContext context;
  private final DbInfo db;
  private final String name;
  private final String text;
  private final String operation;
  private final String collection;
  private final String procedure;
  private final int batchSize;
  private final Sql parameterSql;
  private final Parameters parameters;
  private Span span;
  private long rows = -1;
  private boolean ended;
  private TracedConnection openOn;

  JdbcSpan(JdbcContext context, DbInfo db, String name, String text, String operation, String collection,
      String procedure, int batchSize, Sql parameterSql, Parameters parameters) {
    this.context = context;
    this.db = db;
    this.name = name != null ? name : db.system;
    this.text = text;
    this.operation = operation;
    this.collection = collection;
    this.procedure = procedure;
    this.batchSize = batchSize;
    this.parameterSql = parameterSql;
    this.parameters = parameters;
  }

  /** One statement's execution, with its bind values when they are captured. */
  static JdbcSpan of(JdbcContext context, DbInfo db, Sql sql, Parameters parameters) {
    return new JdbcSpan(context, db, sql.spanName, sql.text, sql.operation, sql.collection, sql.procedure,
        0, sql, parameters);
  }

  /**
   * Calls the driver with this span started, and leaves it open. Whatever the driver throws is
   * rethrown as it is, the same object.
   */
  <T> T run(SqlCall<T> call) throws SQLException {
    start();
    try {
      return call.call();
    } catch (SQLException | RuntimeException e) {
      failed(e);
      throw e;
    } catch (Error e) {
      try {
        failed(e);
      } catch (Throwable ignored) {
        // the driver's error matters, not ours
      }
      throw e;
    } catch (Exception e) {
      // a driver that throws an undeclared checked exception: it still reaches the caller as it is
      failed(e);
      throw JdbcSpan.<RuntimeException>rethrow(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable e) throws E {
    throw (E) e;
  }

  private void start() {
    try {
      Span s = Mintaro.startDetachedSpan(name, Span.Kind.CLIENT);
      span = s;
      s.attribute("db.system.name", db.system);
      if (db.namespace != null) {
        s.attribute("db.namespace", db.namespace);
      }
      if (db.serverAddress != null) {
        s.attribute("server.address", db.serverAddress);
        if (db.serverPort > 0) {
          s.attribute("server.port", db.serverPort);
        }
      }
      if (text != null && !text.isEmpty()) {
        s.attribute("db.query.text", text);
      }
      if (operation != null) {
        s.attribute("db.operation.name", operation);
      }
      if (collection != null) {
        s.attribute("db.collection.name", collection);
      }
      if (procedure != null) {
        s.attribute("db.stored_procedure.name", procedure);
      }
      if (batchSize > 1) {
        s.attribute("db.operation.batch.size", batchSize);
      }
      if (parameters != null && parameterSql != null) {
        parameters.record(s, parameterSql, context.options);
      }
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /** The driver threw: recorded as a handled error (the application may well handle it), then ended. */
  void failed(Throwable e) {
    Span s = span;
    if (s != null) {
      try {
        s.recordError(e);
        if (context.options.triggerOnError) {
          String message = e.getMessage();
          if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "…";
          }
          Mintaro.trigger("SQL error in " + name + ": " + e.getClass().getName()
              + (message == null ? "" : ": " + message));
        }
      } catch (RuntimeException ignored) {
        // never into the application
      }
    }
    end();
  }

  /** An update returned: its count, then the end. */
  void affected(long count) {
    Span s = span;
    if (s != null && count >= 0) {
      try {
        s.attribute("db.response.affected_rows", count);
      } catch (RuntimeException ignored) {
        // never into the application
      }
    }
    end();
  }

  /** A query returned: the span stays open while its rows are read, until the connection closes at the latest. */
  void keepOpen(TracedConnection connection) {
    rows = 0;
    synchronized (this) {
      if (ended) {
        return;
      }
      openOn = connection;
    }
    connection.opened(this);
  }

  void row() {
    rows++;
  }

  void end() {
    TracedConnection connection;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      connection = openOn;
      openOn = null;
    }
    Span s = span;
    if (s != null) {
      try {
        if (rows >= 0) {
          s.attribute("db.response.returned_rows", rows);
        }
        s.close();
      } catch (RuntimeException ignored) {
        // never into the application
      }
    }
    if (connection != null) {
      connection.closed(this);
    }
  }
}
