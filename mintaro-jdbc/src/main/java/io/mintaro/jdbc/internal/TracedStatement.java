package io.mintaro.jdbc.internal;

import io.mintaro.Mintaro;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement whose executions are client spans of the current trace. Outside a trace each call
 * costs one check ({@link Mintaro#inTrace()}) before it goes to the driver's statement.
 */
public class TracedStatement implements Statement {
  /** At most this many distinct statements of a batch are named in its span. */
  private static final int MAX_BATCH_STATEMENTS = 10;

  final Statement st;
  final TracedConnection connection;
  /** The span of the last query while its result set is read. */
  private JdbcSpan open;
  private TracedResultSet openResult;
  int batchCount;
  private Sql[] batch;
  private int batchDistinct;
  private boolean batchIncomplete;

  TracedStatement(TracedConnection connection, Statement st) {
    this.connection = connection;
    this.st = st;
  }

  /**
   * Called first by every execution: the driver closes the previous result set now, so its span
   * ends. True inside a trace.
   */
  final boolean tracing() {
    if (open != null) {
      endOpen();
    }
    return Mintaro.inTrace();
  }

  final void endOpen() {
    JdbcSpan span = open;
    open = null;
    openResult = null;
    if (span != null) {
      span.end();
    }
  }

  final JdbcSpan span(String sql) {
    return JdbcSpan.of(connection.context, connection.db(), connection.sql(sql), null);
  }

  final ResultSet query(JdbcSpan span, SqlCall<ResultSet> call) throws SQLException {
    ResultSet rs = span.run(call);
    if (rs == null) {
      span.end();
      return null;
    }
    span.keepOpen(connection);
    open = span;
    return openResult = new TracedResultSet(rs, this, span);
  }

  final boolean execute(JdbcSpan span, SqlCall<Boolean> call) throws SQLException {
    boolean hasResultSet = span.run(call);
    if (hasResultSet) {
      span.keepOpen(connection);
      open = span;
    } else {
      span.end(); // its count is the application's to read, once: not asked for here
    }
    return hasResultSet;
  }

  static int update(JdbcSpan span, SqlCall<Integer> call) throws SQLException {
    int n = span.run(call);
    span.affected(n);
    return n;
  }

  static long largeUpdate(JdbcSpan span, SqlCall<Long> call) throws SQLException {
    long n = span.run(call);
    span.affected(n);
    return n;
  }

  /** The span of a batch, from what was added to it; the batch is empty afterwards. */
  JdbcSpan batchSpan() {
    int size = batchCount;
    Sql[] sqls = batch;
    int distinct = batchDistinct;
    boolean incomplete = batchIncomplete;
    resetBatch();
    DbInfo db = connection.db();
    if (size == 1 && distinct == 1) {
      return JdbcSpan.of(connection.context, db, sqls[0], null);
    }
    String operation = null;
    String collection = null;
    String text = null;
    if (!incomplete && distinct > 0) {
      operation = sqls[0].operation;
      collection = sqls[0].collection;
      StringBuilder texts = new StringBuilder(sqls[0].text);
      for (int i = 1; i < distinct; i++) {
        if (operation != null && !operation.equals(sqls[i].operation)) {
          operation = null;
        }
        if (collection != null && !collection.equals(sqls[i].collection)) {
          collection = null;
        }
        texts.append("; ").append(sqls[i].text);
      }
      text = texts.toString();
    }
    return batch(db, size, text, operation, collection, null);
  }

  final JdbcSpan batch(DbInfo db, int size, String text, String operation, String collection, Sql sql) {
    if (size < 2) {
      // a batch of one is one operation, as OpenTelemetry counts
      return sql != null ? JdbcSpan.of(connection.context, db, sql, null)
          : new JdbcSpan(connection.context, db, operation, text, operation, collection, null, size, null, null);
    }
    String op = operation == null ? "BATCH" : "BATCH " + operation;
    String name = collection == null ? op : op + " " + collection;
    return new JdbcSpan(connection.context, db, name, text, op, collection, null, size, null, null);
  }

  final void resetBatch() {
    batchCount = 0;
    batch = null;
    batchDistinct = 0;
    batchIncomplete = false;
  }

  private void batchStatement(String sql) {
    Sql q = connection.sql(sql);
    for (int i = 0; i < batchDistinct; i++) {
      if (batch[i].text.equals(q.text)) {
        return;
      }
    }
    if (batchDistinct == MAX_BATCH_STATEMENTS) {
      return;
    }
    if (batch == null) {
      batch = new Sql[MAX_BATCH_STATEMENTS];
    }
    batch[batchDistinct++] = q;
  }

  static long sum(int[] counts) {
    long sum = -1;
    if (counts != null) {
      for (int c : counts) {
        if (c >= 0) {
          sum = Math.max(sum, 0) + c;
        }
      }
    }
    return sum;
  }

  static long sum(long[] counts) {
    long sum = -1;
    if (counts != null) {
      for (long c : counts) {
        if (c >= 0) {
          sum = Math.max(sum, 0) + c;
        }
      }
    }
    return sum;
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    if (!tracing()) {
      return st.executeQuery(sql);
    }
    return query(span(sql), () -> st.executeQuery(sql));
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    if (!tracing()) {
      return st.executeUpdate(sql);
    }
    return update(span(sql), () -> st.executeUpdate(sql));
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    if (!tracing()) {
      return st.executeUpdate(sql, autoGeneratedKeys);
    }
    return update(span(sql), () -> st.executeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    if (!tracing()) {
      return st.executeUpdate(sql, columnIndexes);
    }
    return update(span(sql), () -> st.executeUpdate(sql, columnIndexes));
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    if (!tracing()) {
      return st.executeUpdate(sql, columnNames);
    }
    return update(span(sql), () -> st.executeUpdate(sql, columnNames));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    if (!tracing()) {
      return st.executeLargeUpdate(sql);
    }
    return largeUpdate(span(sql), () -> st.executeLargeUpdate(sql));
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    if (!tracing()) {
      return st.executeLargeUpdate(sql, autoGeneratedKeys);
    }
    return largeUpdate(span(sql), () -> st.executeLargeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    if (!tracing()) {
      return st.executeLargeUpdate(sql, columnIndexes);
    }
    return largeUpdate(span(sql), () -> st.executeLargeUpdate(sql, columnIndexes));
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    if (!tracing()) {
      return st.executeLargeUpdate(sql, columnNames);
    }
    return largeUpdate(span(sql), () -> st.executeLargeUpdate(sql, columnNames));
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    if (!tracing()) {
      return st.execute(sql);
    }
    return execute(span(sql), () -> st.execute(sql));
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    if (!tracing()) {
      return st.execute(sql, autoGeneratedKeys);
    }
    return execute(span(sql), () -> st.execute(sql, autoGeneratedKeys));
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    if (!tracing()) {
      return st.execute(sql, columnIndexes);
    }
    return execute(span(sql), () -> st.execute(sql, columnIndexes));
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    if (!tracing()) {
      return st.execute(sql, columnNames);
    }
    return execute(span(sql), () -> st.execute(sql, columnNames));
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    st.addBatch(sql);
    batchCount++;
    if (Mintaro.inTrace()) {
      batchStatement(sql);
    } else {
      batchIncomplete = true;
    }
  }

  @Override
  public void clearBatch() throws SQLException {
    resetBatch();
    st.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    if (!tracing()) {
      resetBatch();
      return st.executeBatch();
    }
    JdbcSpan span = batchSpan();
    int[] counts = span.run(st::executeBatch);
    span.affected(sum(counts));
    return counts;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    if (!tracing()) {
      resetBatch();
      return st.executeLargeBatch();
    }
    JdbcSpan span = batchSpan();
    long[] counts = span.run(st::executeLargeBatch);
    span.affected(sum(counts));
    return counts;
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    ResultSet rs = st.getResultSet();
    JdbcSpan span = open;
    if (rs == null || span == null) {
      return rs;
    }
    TracedResultSet wrapped = openResult;
    if (wrapped != null && wrapped.rs == rs) {
      return wrapped;
    }
    return openResult = new TracedResultSet(rs, this, span);
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    endOpen();
    return st.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    endOpen();
    return st.getMoreResults(current);
  }

  /** Its result set was closed: so ends the span, if it is still this statement's. */
  final void resultClosed(JdbcSpan span) {
    if (open == span) {
      open = null;
      openResult = null;
    }
    span.end();
  }

  @Override
  public void close() throws SQLException {
    try {
      st.close();
    } finally {
      endOpen();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    st.getConnection(); // what the driver would throw on a closed statement, it throws here
    return connection;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(st) ? type.cast(st) : st.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(st) || st.isWrapperFor(type);
  }

  // Plain delegation from here on.

  @Override
  public void cancel() throws SQLException {
    st.cancel();
  }

  @Override
  public void clearWarnings() throws SQLException {
    st.clearWarnings();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    st.closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String value, boolean value2) throws SQLException {
    return st.enquoteIdentifier(value, value2);
  }

  @Override
  public String enquoteLiteral(String value) throws SQLException {
    return st.enquoteLiteral(value);
  }

  @Override
  public String enquoteNCharLiteral(String value) throws SQLException {
    return st.enquoteNCharLiteral(value);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return st.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return st.getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return st.getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return st.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return st.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return st.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return st.getMaxRows();
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return st.getQueryTimeout();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return st.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return st.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return st.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return st.getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return st.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return st.isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return st.isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return st.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String value) throws SQLException {
    return st.isSimpleIdentifier(value);
  }

  @Override
  public void setCursorName(String value) throws SQLException {
    st.setCursorName(value);
  }

  @Override
  public void setEscapeProcessing(boolean value) throws SQLException {
    st.setEscapeProcessing(value);
  }

  @Override
  public void setFetchDirection(int n) throws SQLException {
    st.setFetchDirection(n);
  }

  @Override
  public void setFetchSize(int n) throws SQLException {
    st.setFetchSize(n);
  }

  @Override
  public void setLargeMaxRows(long n) throws SQLException {
    st.setLargeMaxRows(n);
  }

  @Override
  public void setMaxFieldSize(int n) throws SQLException {
    st.setMaxFieldSize(n);
  }

  @Override
  public void setMaxRows(int n) throws SQLException {
    st.setMaxRows(n);
  }

  @Override
  public void setPoolable(boolean value) throws SQLException {
    st.setPoolable(value);
  }

  @Override
  public void setQueryTimeout(int n) throws SQLException {
    st.setQueryTimeout(n);
  }
}
