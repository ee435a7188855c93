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
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The result set of a query executed in a trace: counts the rows the application reads with
 * {@link #next()} and ends the query's span when they run out or the result set is closed.
 */
public final class TracedResultSet implements ResultSet {
  final ResultSet rs;
  private final TracedStatement statement;
  private final JdbcSpan span;

  TracedResultSet(ResultSet rs, TracedStatement statement, JdbcSpan span) {
    this.rs = rs;
    this.statement = statement;
    this.span = span;
  }

  @Override
  public boolean next() throws SQLException {
    boolean more;
    try {
      more = rs.next();
    } catch (SQLException | RuntimeException e) {
      span.failed(e);
      throw e;
    }
    if (more) {
      span.row();
    } else {
      span.end();
    }
    return more;
  }

  @Override
  public void close() throws SQLException {
    try {
      rs.close();
    } finally {
      statement.resultClosed(span);
    }
  }

  @Override
  public Statement getStatement() throws SQLException {
    rs.getStatement(); // what the driver would throw on a closed result set, it throws here
    return statement;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(rs) ? type.cast(rs) : rs.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(rs) || rs.isWrapperFor(type);
  }

  // Plain delegation from here on.

  @Override
  public boolean absolute(int n) throws SQLException {
    return rs.absolute(n);
  }

  @Override
  public void afterLast() throws SQLException {
    rs.afterLast();
  }

  @Override
  public void beforeFirst() throws SQLException {
    rs.beforeFirst();
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    rs.cancelRowUpdates();
  }

  @Override
  public void clearWarnings() throws SQLException {
    rs.clearWarnings();
  }

  @Override
  public void deleteRow() throws SQLException {
    rs.deleteRow();
  }

  @Override
  public int findColumn(String name) throws SQLException {
    return rs.findColumn(name);
  }

  @Override
  public boolean first() throws SQLException {
    return rs.first();
  }

  @Override
  public Array getArray(String name) throws SQLException {
    return rs.getArray(name);
  }

  @Override
  public Array getArray(int index) throws SQLException {
    return rs.getArray(index);
  }

  @Override
  public InputStream getAsciiStream(String name) throws SQLException {
    return rs.getAsciiStream(name);
  }

  @Override
  public InputStream getAsciiStream(int index) throws SQLException {
    return rs.getAsciiStream(index);
  }

  @Override
  public BigDecimal getBigDecimal(String name) throws SQLException {
    return rs.getBigDecimal(name);
  }

  @Override
  public BigDecimal getBigDecimal(int index) throws SQLException {
    return rs.getBigDecimal(index);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(String name, int scale) throws SQLException {
    return rs.getBigDecimal(name, scale);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
    return rs.getBigDecimal(index, scale);
  }

  @Override
  public InputStream getBinaryStream(String name) throws SQLException {
    return rs.getBinaryStream(name);
  }

  @Override
  public InputStream getBinaryStream(int index) throws SQLException {
    return rs.getBinaryStream(index);
  }

  @Override
  public Blob getBlob(String name) throws SQLException {
    return rs.getBlob(name);
  }

  @Override
  public Blob getBlob(int index) throws SQLException {
    return rs.getBlob(index);
  }

  @Override
  public boolean getBoolean(String name) throws SQLException {
    return rs.getBoolean(name);
  }

  @Override
  public boolean getBoolean(int index) throws SQLException {
    return rs.getBoolean(index);
  }

  @Override
  public byte getByte(String name) throws SQLException {
    return rs.getByte(name);
  }

  @Override
  public byte getByte(int index) throws SQLException {
    return rs.getByte(index);
  }

  @Override
  public byte[] getBytes(String name) throws SQLException {
    return rs.getBytes(name);
  }

  @Override
  public byte[] getBytes(int index) throws SQLException {
    return rs.getBytes(index);
  }

  @Override
  public Reader getCharacterStream(String name) throws SQLException {
    return rs.getCharacterStream(name);
  }

  @Override
  public Reader getCharacterStream(int index) throws SQLException {
    return rs.getCharacterStream(index);
  }

  @Override
  public Clob getClob(String name) throws SQLException {
    return rs.getClob(name);
  }

  @Override
  public Clob getClob(int index) throws SQLException {
    return rs.getClob(index);
  }

  @Override
  public int getConcurrency() throws SQLException {
    return rs.getConcurrency();
  }

  @Override
  public String getCursorName() throws SQLException {
    return rs.getCursorName();
  }

  @Override
  public Date getDate(String name) throws SQLException {
    return rs.getDate(name);
  }

  @Override
  public Date getDate(int index) throws SQLException {
    return rs.getDate(index);
  }

  @Override
  public Date getDate(String name, Calendar cal) throws SQLException {
    return rs.getDate(name, cal);
  }

  @Override
  public Date getDate(int index, Calendar cal) throws SQLException {
    return rs.getDate(index, cal);
  }

  @Override
  public double getDouble(String name) throws SQLException {
    return rs.getDouble(name);
  }

  @Override
  public double getDouble(int index) throws SQLException {
    return rs.getDouble(index);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return rs.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return rs.getFetchSize();
  }

  @Override
  public float getFloat(String name) throws SQLException {
    return rs.getFloat(name);
  }

  @Override
  public float getFloat(int index) throws SQLException {
    return rs.getFloat(index);
  }

  @Override
  public int getHoldability() throws SQLException {
    return rs.getHoldability();
  }

  @Override
  public int getInt(String name) throws SQLException {
    return rs.getInt(name);
  }

  @Override
  public int getInt(int index) throws SQLException {
    return rs.getInt(index);
  }

  @Override
  public long getLong(String name) throws SQLException {
    return rs.getLong(name);
  }

  @Override
  public long getLong(int index) throws SQLException {
    return rs.getLong(index);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return rs.getMetaData();
  }

  @Override
  public Reader getNCharacterStream(String name) throws SQLException {
    return rs.getNCharacterStream(name);
  }

  @Override
  public Reader getNCharacterStream(int index) throws SQLException {
    return rs.getNCharacterStream(index);
  }

  @Override
  public NClob getNClob(String name) throws SQLException {
    return rs.getNClob(name);
  }

  @Override
  public NClob getNClob(int index) throws SQLException {
    return rs.getNClob(index);
  }

  @Override
  public String getNString(String name) throws SQLException {
    return rs.getNString(name);
  }

  @Override
  public String getNString(int index) throws SQLException {
    return rs.getNString(index);
  }

  @Override
  public Object getObject(String name) throws SQLException {
    return rs.getObject(name);
  }

  @Override
  public Object getObject(int index) throws SQLException {
    return rs.getObject(index);
  }

  @Override
  public <T> T getObject(String name, Class<T> type) throws SQLException {
    return rs.getObject(name, type);
  }

  @Override
  public Object getObject(String name, Map<String, Class<?>> map) throws SQLException {
    return rs.getObject(name, map);
  }

  @Override
  public <T> T getObject(int index, Class<T> type) throws SQLException {
    return rs.getObject(index, type);
  }

  @Override
  public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
    return rs.getObject(index, map);
  }

  @Override
  public Ref getRef(String name) throws SQLException {
    return rs.getRef(name);
  }

  @Override
  public Ref getRef(int index) throws SQLException {
    return rs.getRef(index);
  }

  @Override
  public int getRow() throws SQLException {
    return rs.getRow();
  }

  @Override
  public RowId getRowId(String name) throws SQLException {
    return rs.getRowId(name);
  }

  @Override
  public RowId getRowId(int index) throws SQLException {
    return rs.getRowId(index);
  }

  @Override
  public SQLXML getSQLXML(String name) throws SQLException {
    return rs.getSQLXML(name);
  }

  @Override
  public SQLXML getSQLXML(int index) throws SQLException {
    return rs.getSQLXML(index);
  }

  @Override
  public short getShort(String name) throws SQLException {
    return rs.getShort(name);
  }

  @Override
  public short getShort(int index) throws SQLException {
    return rs.getShort(index);
  }

  @Override
  public String getString(String name) throws SQLException {
    return rs.getString(name);
  }

  @Override
  public String getString(int index) throws SQLException {
    return rs.getString(index);
  }

  @Override
  public Time getTime(String name) throws SQLException {
    return rs.getTime(name);
  }

  @Override
  public Time getTime(int index) throws SQLException {
    return rs.getTime(index);
  }

  @Override
  public Time getTime(String name, Calendar cal) throws SQLException {
    return rs.getTime(name, cal);
  }

  @Override
  public Time getTime(int index, Calendar cal) throws SQLException {
    return rs.getTime(index, cal);
  }

  @Override
  public Timestamp getTimestamp(String name) throws SQLException {
    return rs.getTimestamp(name);
  }

  @Override
  public Timestamp getTimestamp(int index) throws SQLException {
    return rs.getTimestamp(index);
  }

  @Override
  public Timestamp getTimestamp(String name, Calendar cal) throws SQLException {
    return rs.getTimestamp(name, cal);
  }

  @Override
  public Timestamp getTimestamp(int index, Calendar cal) throws SQLException {
    return rs.getTimestamp(index, cal);
  }

  @Override
  public int getType() throws SQLException {
    return rs.getType();
  }

  @Override
  public URL getURL(String name) throws SQLException {
    return rs.getURL(name);
  }

  @Override
  public URL getURL(int index) throws SQLException {
    return rs.getURL(index);
  }

  @Deprecated
  @Override
  public InputStream getUnicodeStream(String name) throws SQLException {
    return rs.getUnicodeStream(name);
  }

  @Deprecated
  @Override
  public InputStream getUnicodeStream(int index) throws SQLException {
    return rs.getUnicodeStream(index);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return rs.getWarnings();
  }

  @Override
  public void insertRow() throws SQLException {
    rs.insertRow();
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return rs.isAfterLast();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return rs.isBeforeFirst();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return rs.isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return rs.isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return rs.isLast();
  }

  @Override
  public boolean last() throws SQLException {
    return rs.last();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    rs.moveToCurrentRow();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    rs.moveToInsertRow();
  }

  @Override
  public boolean previous() throws SQLException {
    return rs.previous();
  }

  @Override
  public void refreshRow() throws SQLException {
    rs.refreshRow();
  }

  @Override
  public boolean relative(int n) throws SQLException {
    return rs.relative(n);
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return rs.rowDeleted();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return rs.rowInserted();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return rs.rowUpdated();
  }

  @Override
  public void setFetchDirection(int index) throws SQLException {
    rs.setFetchDirection(index);
  }

  @Override
  public void setFetchSize(int index) throws SQLException {
    rs.setFetchSize(index);
  }

  @Override
  public void updateArray(String name, Array x) throws SQLException {
    rs.updateArray(name, x);
  }

  @Override
  public void updateArray(int index, Array x) throws SQLException {
    rs.updateArray(index, x);
  }

  @Override
  public void updateAsciiStream(String name, InputStream x) throws SQLException {
    rs.updateAsciiStream(name, x);
  }

  @Override
  public void updateAsciiStream(int index, InputStream x) throws SQLException {
    rs.updateAsciiStream(index, x);
  }

  @Override
  public void updateAsciiStream(String name, InputStream x, int length) throws SQLException {
    rs.updateAsciiStream(name, x, length);
  }

  @Override
  public void updateAsciiStream(String name, InputStream x, long length) throws SQLException {
    rs.updateAsciiStream(name, x, length);
  }

  @Override
  public void updateAsciiStream(int index, InputStream x, int length) throws SQLException {
    rs.updateAsciiStream(index, x, length);
  }

  @Override
  public void updateAsciiStream(int index, InputStream x, long length) throws SQLException {
    rs.updateAsciiStream(index, x, length);
  }

  @Override
  public void updateBigDecimal(String name, BigDecimal x) throws SQLException {
    rs.updateBigDecimal(name, x);
  }

  @Override
  public void updateBigDecimal(int index, BigDecimal x) throws SQLException {
    rs.updateBigDecimal(index, x);
  }

  @Override
  public void updateBinaryStream(String name, InputStream x) throws SQLException {
    rs.updateBinaryStream(name, x);
  }

  @Override
  public void updateBinaryStream(int index, InputStream x) throws SQLException {
    rs.updateBinaryStream(index, x);
  }

  @Override
  public void updateBinaryStream(String name, InputStream x, int length) throws SQLException {
    rs.updateBinaryStream(name, x, length);
  }

  @Override
  public void updateBinaryStream(String name, InputStream x, long length) throws SQLException {
    rs.updateBinaryStream(name, x, length);
  }

  @Override
  public void updateBinaryStream(int index, InputStream x, int length) throws SQLException {
    rs.updateBinaryStream(index, x, length);
  }

  @Override
  public void updateBinaryStream(int index, InputStream x, long length) throws SQLException {
    rs.updateBinaryStream(index, x, length);
  }

  @Override
  public void updateBlob(String name, InputStream x) throws SQLException {
    rs.updateBlob(name, x);
  }

  @Override
  public void updateBlob(String name, Blob x) throws SQLException {
    rs.updateBlob(name, x);
  }

  @Override
  public void updateBlob(int index, InputStream x) throws SQLException {
    rs.updateBlob(index, x);
  }

  @Override
  public void updateBlob(int index, Blob x) throws SQLException {
    rs.updateBlob(index, x);
  }

  @Override
  public void updateBlob(String name, InputStream x, long length) throws SQLException {
    rs.updateBlob(name, x, length);
  }

  @Override
  public void updateBlob(int index, InputStream x, long length) throws SQLException {
    rs.updateBlob(index, x, length);
  }

  @Override
  public void updateBoolean(String name, boolean x) throws SQLException {
    rs.updateBoolean(name, x);
  }

  @Override
  public void updateBoolean(int index, boolean x) throws SQLException {
    rs.updateBoolean(index, x);
  }

  @Override
  public void updateByte(String name, byte x) throws SQLException {
    rs.updateByte(name, x);
  }

  @Override
  public void updateByte(int index, byte x) throws SQLException {
    rs.updateByte(index, x);
  }

  @Override
  public void updateBytes(String name, byte[] x) throws SQLException {
    rs.updateBytes(name, x);
  }

  @Override
  public void updateBytes(int index, byte[] x) throws SQLException {
    rs.updateBytes(index, x);
  }

  @Override
  public void updateCharacterStream(String name, Reader x) throws SQLException {
    rs.updateCharacterStream(name, x);
  }

  @Override
  public void updateCharacterStream(int index, Reader x) throws SQLException {
    rs.updateCharacterStream(index, x);
  }

  @Override
  public void updateCharacterStream(String name, Reader x, int length) throws SQLException {
    rs.updateCharacterStream(name, x, length);
  }

  @Override
  public void updateCharacterStream(String name, Reader x, long length) throws SQLException {
    rs.updateCharacterStream(name, x, length);
  }

  @Override
  public void updateCharacterStream(int index, Reader x, int length) throws SQLException {
    rs.updateCharacterStream(index, x, length);
  }

  @Override
  public void updateCharacterStream(int index, Reader x, long length) throws SQLException {
    rs.updateCharacterStream(index, x, length);
  }

  @Override
  public void updateClob(String name, Reader x) throws SQLException {
    rs.updateClob(name, x);
  }

  @Override
  public void updateClob(String name, Clob x) throws SQLException {
    rs.updateClob(name, x);
  }

  @Override
  public void updateClob(int index, Reader x) throws SQLException {
    rs.updateClob(index, x);
  }

  @Override
  public void updateClob(int index, Clob x) throws SQLException {
    rs.updateClob(index, x);
  }

  @Override
  public void updateClob(String name, Reader x, long length) throws SQLException {
    rs.updateClob(name, x, length);
  }

  @Override
  public void updateClob(int index, Reader x, long length) throws SQLException {
    rs.updateClob(index, x, length);
  }

  @Override
  public void updateDate(String name, Date x) throws SQLException {
    rs.updateDate(name, x);
  }

  @Override
  public void updateDate(int index, Date x) throws SQLException {
    rs.updateDate(index, x);
  }

  @Override
  public void updateDouble(String name, double x) throws SQLException {
    rs.updateDouble(name, x);
  }

  @Override
  public void updateDouble(int index, double x) throws SQLException {
    rs.updateDouble(index, x);
  }

  @Override
  public void updateFloat(String name, float x) throws SQLException {
    rs.updateFloat(name, x);
  }

  @Override
  public void updateFloat(int index, float x) throws SQLException {
    rs.updateFloat(index, x);
  }

  @Override
  public void updateInt(String name, int x) throws SQLException {
    rs.updateInt(name, x);
  }

  @Override
  public void updateInt(int index, int x) throws SQLException {
    rs.updateInt(index, x);
  }

  @Override
  public void updateLong(String name, long x) throws SQLException {
    rs.updateLong(name, x);
  }

  @Override
  public void updateLong(int index, long x) throws SQLException {
    rs.updateLong(index, x);
  }

  @Override
  public void updateNCharacterStream(String name, Reader x) throws SQLException {
    rs.updateNCharacterStream(name, x);
  }

  @Override
  public void updateNCharacterStream(int index, Reader x) throws SQLException {
    rs.updateNCharacterStream(index, x);
  }

  @Override
  public void updateNCharacterStream(String name, Reader x, long length) throws SQLException {
    rs.updateNCharacterStream(name, x, length);
  }

  @Override
  public void updateNCharacterStream(int index, Reader x, long length) throws SQLException {
    rs.updateNCharacterStream(index, x, length);
  }

  @Override
  public void updateNClob(String name, Reader x) throws SQLException {
    rs.updateNClob(name, x);
  }

  @Override
  public void updateNClob(String name, NClob x) throws SQLException {
    rs.updateNClob(name, x);
  }

  @Override
  public void updateNClob(int index, Reader x) throws SQLException {
    rs.updateNClob(index, x);
  }

  @Override
  public void updateNClob(int index, NClob x) throws SQLException {
    rs.updateNClob(index, x);
  }

  @Override
  public void updateNClob(String name, Reader x, long length) throws SQLException {
    rs.updateNClob(name, x, length);
  }

  @Override
  public void updateNClob(int index, Reader x, long length) throws SQLException {
    rs.updateNClob(index, x, length);
  }

  @Override
  public void updateNString(String name, String x) throws SQLException {
    rs.updateNString(name, x);
  }

  @Override
  public void updateNString(int index, String x) throws SQLException {
    rs.updateNString(index, x);
  }

  @Override
  public void updateNull(String name) throws SQLException {
    rs.updateNull(name);
  }

  @Override
  public void updateNull(int index) throws SQLException {
    rs.updateNull(index);
  }

  @Override
  public void updateObject(String name, Object x) throws SQLException {
    rs.updateObject(name, x);
  }

  @Override
  public void updateObject(int index, Object x) throws SQLException {
    rs.updateObject(index, x);
  }

  @Override
  public void updateObject(String name, Object x, int scaleOrLength) throws SQLException {
    rs.updateObject(name, x, scaleOrLength);
  }

  @Override
  public void updateObject(String name, Object x, SQLType targetSqlType) throws SQLException {
    rs.updateObject(name, x, targetSqlType);
  }

  @Override
  public void updateObject(int index, Object x, int scaleOrLength) throws SQLException {
    rs.updateObject(index, x, scaleOrLength);
  }

  @Override
  public void updateObject(int index, Object x, SQLType targetSqlType) throws SQLException {
    rs.updateObject(index, x, targetSqlType);
  }

  @Override
  public void updateObject(String name, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    rs.updateObject(name, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void updateObject(int index, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    rs.updateObject(index, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void updateRef(String name, Ref x) throws SQLException {
    rs.updateRef(name, x);
  }

  @Override
  public void updateRef(int index, Ref x) throws SQLException {
    rs.updateRef(index, x);
  }

  @Override
  public void updateRow() throws SQLException {
    rs.updateRow();
  }

  @Override
  public void updateRowId(String name, RowId x) throws SQLException {
    rs.updateRowId(name, x);
  }

  @Override
  public void updateRowId(int index, RowId x) throws SQLException {
    rs.updateRowId(index, x);
  }

  @Override
  public void updateSQLXML(String name, SQLXML x) throws SQLException {
    rs.updateSQLXML(name, x);
  }

  @Override
  public void updateSQLXML(int index, SQLXML x) throws SQLException {
    rs.updateSQLXML(index, x);
  }

  @Override
  public void updateShort(String name, short x) throws SQLException {
    rs.updateShort(name, x);
  }

  @Override
  public void updateShort(int index, short x) throws SQLException {
    rs.updateShort(index, x);
  }

  @Override
  public void updateString(String name, String x) throws SQLException {
    rs.updateString(name, x);
  }

  @Override
  public void updateString(int index, String x) throws SQLException {
    rs.updateString(index, x);
  }

  @Override
  public void updateTime(String name, Time x) throws SQLException {
    rs.updateTime(name, x);
  }

  @Override
  public void updateTime(int index, Time x) throws SQLException {
    rs.updateTime(index, x);
  }

  @Override
  public void updateTimestamp(String name, Timestamp x) throws SQLException {
    rs.updateTimestamp(name, x);
  }

  @Override
  public void updateTimestamp(int index, Timestamp x) throws SQLException {
    rs.updateTimestamp(index, x);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return rs.wasNull();
  }
}
