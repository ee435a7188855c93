package io.mintaro.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/** A callable statement: executions as for prepared statements; values set by name are kept by name. */
public final class TracedCallableStatement extends TracedPreparedStatement implements CallableStatement {
  final CallableStatement cs;

  TracedCallableStatement(TracedConnection connection, CallableStatement cs, String rawSql) {
    super(connection, cs, rawSql);
    this.cs = cs;
  }

  // Plain delegation from here on; setters keep their value when parameters are captured.

  @Override
  public Array getArray(String name) throws SQLException {
    return cs.getArray(name);
  }

  @Override
  public Array getArray(int index) throws SQLException {
    return cs.getArray(index);
  }

  @Override
  public BigDecimal getBigDecimal(String name) throws SQLException {
    return cs.getBigDecimal(name);
  }

  @Override
  public BigDecimal getBigDecimal(int index) throws SQLException {
    return cs.getBigDecimal(index);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
    return cs.getBigDecimal(index, scale);
  }

  @Override
  public Blob getBlob(String name) throws SQLException {
    return cs.getBlob(name);
  }

  @Override
  public Blob getBlob(int index) throws SQLException {
    return cs.getBlob(index);
  }

  @Override
  public boolean getBoolean(String name) throws SQLException {
    return cs.getBoolean(name);
  }

  @Override
  public boolean getBoolean(int index) throws SQLException {
    return cs.getBoolean(index);
  }

  @Override
  public byte getByte(String name) throws SQLException {
    return cs.getByte(name);
  }

  @Override
  public byte getByte(int index) throws SQLException {
    return cs.getByte(index);
  }

  @Override
  public byte[] getBytes(String name) throws SQLException {
    return cs.getBytes(name);
  }

  @Override
  public byte[] getBytes(int index) throws SQLException {
    return cs.getBytes(index);
  }

  @Override
  public Reader getCharacterStream(String name) throws SQLException {
    return cs.getCharacterStream(name);
  }

  @Override
  public Reader getCharacterStream(int index) throws SQLException {
    return cs.getCharacterStream(index);
  }

  @Override
  public Clob getClob(String name) throws SQLException {
    return cs.getClob(name);
  }

  @Override
  public Clob getClob(int index) throws SQLException {
    return cs.getClob(index);
  }

  @Override
  public Date getDate(String name) throws SQLException {
    return cs.getDate(name);
  }

  @Override
  public Date getDate(int index) throws SQLException {
    return cs.getDate(index);
  }

  @Override
  public Date getDate(String name, Calendar cal) throws SQLException {
    return cs.getDate(name, cal);
  }

  @Override
  public Date getDate(int index, Calendar cal) throws SQLException {
    return cs.getDate(index, cal);
  }

  @Override
  public double getDouble(String name) throws SQLException {
    return cs.getDouble(name);
  }

  @Override
  public double getDouble(int index) throws SQLException {
    return cs.getDouble(index);
  }

  @Override
  public float getFloat(String name) throws SQLException {
    return cs.getFloat(name);
  }

  @Override
  public float getFloat(int index) throws SQLException {
    return cs.getFloat(index);
  }

  @Override
  public int getInt(String name) throws SQLException {
    return cs.getInt(name);
  }

  @Override
  public int getInt(int index) throws SQLException {
    return cs.getInt(index);
  }

  @Override
  public long getLong(String name) throws SQLException {
    return cs.getLong(name);
  }

  @Override
  public long getLong(int index) throws SQLException {
    return cs.getLong(index);
  }

  @Override
  public Reader getNCharacterStream(String name) throws SQLException {
    return cs.getNCharacterStream(name);
  }

  @Override
  public Reader getNCharacterStream(int index) throws SQLException {
    return cs.getNCharacterStream(index);
  }

  @Override
  public NClob getNClob(String name) throws SQLException {
    return cs.getNClob(name);
  }

  @Override
  public NClob getNClob(int index) throws SQLException {
    return cs.getNClob(index);
  }

  @Override
  public String getNString(String name) throws SQLException {
    return cs.getNString(name);
  }

  @Override
  public String getNString(int index) throws SQLException {
    return cs.getNString(index);
  }

  @Override
  public Object getObject(String name) throws SQLException {
    return cs.getObject(name);
  }

  @Override
  public Object getObject(int index) throws SQLException {
    return cs.getObject(index);
  }

  @Override
  public <T> T getObject(String name, Class<T> type) throws SQLException {
    return cs.getObject(name, type);
  }

  @Override
  public Object getObject(String name, Map<String, Class<?>> map) throws SQLException {
    return cs.getObject(name, map);
  }

  @Override
  public <T> T getObject(int index, Class<T> type) throws SQLException {
    return cs.getObject(index, type);
  }

  @Override
  public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
    return cs.getObject(index, map);
  }

  @Override
  public Ref getRef(String name) throws SQLException {
    return cs.getRef(name);
  }

  @Override
  public Ref getRef(int index) throws SQLException {
    return cs.getRef(index);
  }

  @Override
  public RowId getRowId(String name) throws SQLException {
    return cs.getRowId(name);
  }

  @Override
  public RowId getRowId(int index) throws SQLException {
    return cs.getRowId(index);
  }

  @Override
  public SQLXML getSQLXML(String name) throws SQLException {
    return cs.getSQLXML(name);
  }

  @Override
  public SQLXML getSQLXML(int index) throws SQLException {
    return cs.getSQLXML(index);
  }

  @Override
  public short getShort(String name) throws SQLException {
    return cs.getShort(name);
  }

  @Override
  public short getShort(int index) throws SQLException {
    return cs.getShort(index);
  }

  @Override
  public String getString(String name) throws SQLException {
    return cs.getString(name);
  }

  @Override
  public String getString(int index) throws SQLException {
    return cs.getString(index);
  }

  @Override
  public Time getTime(String name) throws SQLException {
    return cs.getTime(name);
  }

  @Override
  public Time getTime(int index) throws SQLException {
    return cs.getTime(index);
  }

  @Override
  public Time getTime(String name, Calendar cal) throws SQLException {
    return cs.getTime(name, cal);
  }

  @Override
  public Time getTime(int index, Calendar cal) throws SQLException {
    return cs.getTime(index, cal);
  }

  @Override
  public Timestamp getTimestamp(String name) throws SQLException {
    return cs.getTimestamp(name);
  }

  @Override
  public Timestamp getTimestamp(int index) throws SQLException {
    return cs.getTimestamp(index);
  }

  @Override
  public Timestamp getTimestamp(String name, Calendar cal) throws SQLException {
    return cs.getTimestamp(name, cal);
  }

  @Override
  public Timestamp getTimestamp(int index, Calendar cal) throws SQLException {
    return cs.getTimestamp(index, cal);
  }

  @Override
  public URL getURL(String name) throws SQLException {
    return cs.getURL(name);
  }

  @Override
  public URL getURL(int index) throws SQLException {
    return cs.getURL(index);
  }

  @Override
  public void registerOutParameter(String name, int sqlType) throws SQLException {
    cs.registerOutParameter(name, sqlType);
  }

  @Override
  public void registerOutParameter(String name, SQLType sqlType) throws SQLException {
    cs.registerOutParameter(name, sqlType);
  }

  @Override
  public void registerOutParameter(int index, int sqlType) throws SQLException {
    cs.registerOutParameter(index, sqlType);
  }

  @Override
  public void registerOutParameter(int index, SQLType sqlType) throws SQLException {
    cs.registerOutParameter(index, sqlType);
  }

  @Override
  public void registerOutParameter(String name, int sqlType, String typeName) throws SQLException {
    cs.registerOutParameter(name, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(String name, int sqlType, int scale) throws SQLException {
    cs.registerOutParameter(name, sqlType, scale);
  }

  @Override
  public void registerOutParameter(String name, SQLType sqlType, String typeName) throws SQLException {
    cs.registerOutParameter(name, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(String name, SQLType sqlType, int scale) throws SQLException {
    cs.registerOutParameter(name, sqlType, scale);
  }

  @Override
  public void registerOutParameter(int index, int sqlType, String typeName) throws SQLException {
    cs.registerOutParameter(index, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(int index, int sqlType, int scale) throws SQLException {
    cs.registerOutParameter(index, sqlType, scale);
  }

  @Override
  public void registerOutParameter(int index, SQLType sqlType, String typeName) throws SQLException {
    cs.registerOutParameter(index, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(int index, SQLType sqlType, int scale) throws SQLException {
    cs.registerOutParameter(index, sqlType, scale);
  }

  @Override
  public void setAsciiStream(String name, InputStream x) throws SQLException {
    cs.setAsciiStream(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setAsciiStream(String name, InputStream x, int length) throws SQLException {
    cs.setAsciiStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setAsciiStream(String name, InputStream x, long length) throws SQLException {
    cs.setAsciiStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBigDecimal(String name, BigDecimal x) throws SQLException {
    cs.setBigDecimal(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBinaryStream(String name, InputStream x) throws SQLException {
    cs.setBinaryStream(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBinaryStream(String name, InputStream x, int length) throws SQLException {
    cs.setBinaryStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBinaryStream(String name, InputStream x, long length) throws SQLException {
    cs.setBinaryStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBlob(String name, InputStream x) throws SQLException {
    cs.setBlob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBlob(String name, Blob x) throws SQLException {
    cs.setBlob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBlob(String name, InputStream x, long length) throws SQLException {
    cs.setBlob(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBoolean(String name, boolean x) throws SQLException {
    cs.setBoolean(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setByte(String name, byte x) throws SQLException {
    cs.setByte(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setBytes(String name, byte[] x) throws SQLException {
    cs.setBytes(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setCharacterStream(String name, Reader x) throws SQLException {
    cs.setCharacterStream(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setCharacterStream(String name, Reader x, int length) throws SQLException {
    cs.setCharacterStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setCharacterStream(String name, Reader x, long length) throws SQLException {
    cs.setCharacterStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setClob(String name, Reader x) throws SQLException {
    cs.setClob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setClob(String name, Clob x) throws SQLException {
    cs.setClob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setClob(String name, Reader x, long length) throws SQLException {
    cs.setClob(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setDate(String name, Date x) throws SQLException {
    cs.setDate(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setDate(String name, Date x, Calendar cal) throws SQLException {
    cs.setDate(name, x, cal);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setDouble(String name, double x) throws SQLException {
    cs.setDouble(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setFloat(String name, float x) throws SQLException {
    cs.setFloat(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setInt(String name, int x) throws SQLException {
    cs.setInt(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setLong(String name, long x) throws SQLException {
    cs.setLong(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNCharacterStream(String name, Reader x) throws SQLException {
    cs.setNCharacterStream(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNCharacterStream(String name, Reader x, long length) throws SQLException {
    cs.setNCharacterStream(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNClob(String name, Reader x) throws SQLException {
    cs.setNClob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNClob(String name, NClob x) throws SQLException {
    cs.setNClob(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNClob(String name, Reader x, long length) throws SQLException {
    cs.setNClob(name, x, length);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNString(String name, String x) throws SQLException {
    cs.setNString(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setNull(String name, int sqlType) throws SQLException {
    cs.setNull(name, sqlType);
    if (params != null) {
      params.setNull(name);
    }
  }

  @Override
  public void setNull(String name, int sqlType, String typeName) throws SQLException {
    cs.setNull(name, sqlType, typeName);
    if (params != null) {
      params.setNull(name);
    }
  }

  @Override
  public void setObject(String name, Object x) throws SQLException {
    cs.setObject(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setObject(String name, Object x, int targetSqlType) throws SQLException {
    cs.setObject(name, x, targetSqlType);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setObject(String name, Object x, SQLType targetSqlType) throws SQLException {
    cs.setObject(name, x, targetSqlType);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setObject(String name, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    cs.setObject(name, x, targetSqlType, scaleOrLength);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setObject(String name, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    cs.setObject(name, x, targetSqlType, scaleOrLength);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setRowId(String name, RowId x) throws SQLException {
    cs.setRowId(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setSQLXML(String name, SQLXML x) throws SQLException {
    cs.setSQLXML(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setShort(String name, short x) throws SQLException {
    cs.setShort(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setString(String name, String x) throws SQLException {
    cs.setString(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setTime(String name, Time x) throws SQLException {
    cs.setTime(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setTime(String name, Time x, Calendar cal) throws SQLException {
    cs.setTime(name, x, cal);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setTimestamp(String name, Timestamp x) throws SQLException {
    cs.setTimestamp(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setTimestamp(String name, Timestamp x, Calendar cal) throws SQLException {
    cs.setTimestamp(name, x, cal);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public void setURL(String name, URL x) throws SQLException {
    cs.setURL(name, x);
    if (params != null) {
      params.set(name, x);
    }
  }

  @Override
  public boolean wasNull() throws SQLException {
    return cs.wasNull();
  }
}
