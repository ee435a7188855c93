package io.mintaro.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A prepared statement whose executions are client spans. Its SQL is analysed once, at its first
 * execution in a trace; bind values are kept only when parameter capture is on.
 */
public class TracedPreparedStatement extends TracedStatement implements PreparedStatement {
  final PreparedStatement ps;
  private final String rawSql;
  private Sql sql;
  /** Null unless parameters are captured. */
  final Parameters params;

  TracedPreparedStatement(TracedConnection connection, PreparedStatement ps, String rawSql) {
    super(connection, ps);
    this.ps = ps;
    this.rawSql = rawSql;
    this.params = connection.context.options.captureParameters ? new Parameters() : null;
  }

  private Sql sql() {
    Sql s = sql;
    if (s == null) {
      s = connection.sql(rawSql);
      sql = s;
    }
    return s;
  }

  private JdbcSpan span() {
    return JdbcSpan.of(connection.context, connection.db(), sql(), params);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (!tracing()) {
      return ps.executeQuery();
    }
    return query(span(), ps::executeQuery);
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (!tracing()) {
      return ps.executeUpdate();
    }
    return update(span(), ps::executeUpdate);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    if (!tracing()) {
      return ps.executeLargeUpdate();
    }
    return largeUpdate(span(), ps::executeLargeUpdate);
  }

  @Override
  public boolean execute() throws SQLException {
    if (!tracing()) {
      return ps.execute();
    }
    return execute(span(), ps::execute);
  }

  @Override
  public void addBatch() throws SQLException {
    ps.addBatch();
    batchCount++;
  }

  @Override
  JdbcSpan batchSpan() {
    int size = batchCount;
    resetBatch();
    Sql s = sql();
    return batch(connection.db(), size, s.text, s.operation, s.collection, s);
  }

  @Override
  public void clearParameters() throws SQLException {
    ps.clearParameters();
    if (params != null) {
      params.clear();
    }
  }

  // Plain delegation from here on; setters keep their value when parameters are captured.

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return ps.getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return ps.getParameterMetaData();
  }

  @Override
  public void setArray(int index, Array x) throws SQLException {
    ps.setArray(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setAsciiStream(int index, InputStream x) throws SQLException {
    ps.setAsciiStream(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
    ps.setAsciiStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
    ps.setAsciiStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBigDecimal(int index, BigDecimal x) throws SQLException {
    ps.setBigDecimal(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBinaryStream(int index, InputStream x) throws SQLException {
    ps.setBinaryStream(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
    ps.setBinaryStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
    ps.setBinaryStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBlob(int index, InputStream x) throws SQLException {
    ps.setBlob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBlob(int index, Blob x) throws SQLException {
    ps.setBlob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBlob(int index, InputStream x, long length) throws SQLException {
    ps.setBlob(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBoolean(int index, boolean x) throws SQLException {
    ps.setBoolean(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setByte(int index, byte x) throws SQLException {
    ps.setByte(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setBytes(int index, byte[] x) throws SQLException {
    ps.setBytes(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setCharacterStream(int index, Reader x) throws SQLException {
    ps.setCharacterStream(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setCharacterStream(int index, Reader x, int length) throws SQLException {
    ps.setCharacterStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setCharacterStream(int index, Reader x, long length) throws SQLException {
    ps.setCharacterStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setClob(int index, Reader x) throws SQLException {
    ps.setClob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setClob(int index, Clob x) throws SQLException {
    ps.setClob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setClob(int index, Reader x, long length) throws SQLException {
    ps.setClob(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setDate(int index, Date x) throws SQLException {
    ps.setDate(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setDate(int index, Date x, Calendar cal) throws SQLException {
    ps.setDate(index, x, cal);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setDouble(int index, double x) throws SQLException {
    ps.setDouble(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setFloat(int index, float x) throws SQLException {
    ps.setFloat(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setInt(int index, int x) throws SQLException {
    ps.setInt(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setLong(int index, long x) throws SQLException {
    ps.setLong(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNCharacterStream(int index, Reader x) throws SQLException {
    ps.setNCharacterStream(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNCharacterStream(int index, Reader x, long length) throws SQLException {
    ps.setNCharacterStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNClob(int index, Reader x) throws SQLException {
    ps.setNClob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNClob(int index, NClob x) throws SQLException {
    ps.setNClob(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNClob(int index, Reader x, long length) throws SQLException {
    ps.setNClob(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNString(int index, String x) throws SQLException {
    ps.setNString(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setNull(int index, int sqlType) throws SQLException {
    ps.setNull(index, sqlType);
    if (params != null) {
      params.setNull(index);
    }
  }

  @Override
  public void setNull(int index, int sqlType, String typeName) throws SQLException {
    ps.setNull(index, sqlType, typeName);
    if (params != null) {
      params.setNull(index);
    }
  }

  @Override
  public void setObject(int index, Object x) throws SQLException {
    ps.setObject(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setObject(int index, Object x, int targetSqlType) throws SQLException {
    ps.setObject(index, x, targetSqlType);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
    ps.setObject(index, x, targetSqlType);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    ps.setObject(index, x, targetSqlType, scaleOrLength);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setObject(int index, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    ps.setObject(index, x, targetSqlType, scaleOrLength);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setRef(int index, Ref x) throws SQLException {
    ps.setRef(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setRowId(int index, RowId x) throws SQLException {
    ps.setRowId(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setSQLXML(int index, SQLXML x) throws SQLException {
    ps.setSQLXML(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setShort(int index, short x) throws SQLException {
    ps.setShort(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setString(int index, String x) throws SQLException {
    ps.setString(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setTime(int index, Time x) throws SQLException {
    ps.setTime(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setTime(int index, Time x, Calendar cal) throws SQLException {
    ps.setTime(index, x, cal);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setTimestamp(int index, Timestamp x) throws SQLException {
    ps.setTimestamp(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
    ps.setTimestamp(index, x, cal);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Override
  public void setURL(int index, URL x) throws SQLException {
    ps.setURL(index, x);
    if (params != null) {
      params.set(index, x);
    }
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
    ps.setUnicodeStream(index, x, length);
    if (params != null) {
      params.set(index, x);
    }
  }
}
