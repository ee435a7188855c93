package io.mintaro.jdbc.internal;

import io.mintaro.Span;
import java.io.InputStream;
import java.io.Reader;
import java.util.Arrays;

/**
 * The bind values of one prepared statement, kept only when parameter capture is on. Values are
 * kept as set (strings, numbers, dates) and written as text when the statement executes; bytes,
 * streams and LOBs are kept as a short description, so no large value is held.
 */
public final class Parameters {
  /** At most this many values are recorded: a span holds 64 attributes. */
  static final int MAX = 32;
  static final String REDACTED = "[REDACTED]";
  private static final Object NULL = new Object();
  private static final String[] KEYS = new String[MAX];

  static {
    for (int i = 0; i < MAX; i++) {
      KEYS[i] = "db.query.parameter." + i;
    }
  }

  private Object[] positional = new Object[8];
  private String[] names;
  private Object[] named;
  private int namedCount;

  /** A value set at a 1-based JDBC index. */
  public void set(int index, Object value) {
    int i = index - 1;
    if (i < 0 || i >= MAX) {
      return;
    }
    if (i >= positional.length) {
      positional = Arrays.copyOf(positional, MAX);
    }
    positional[i] = keep(value);
  }

  /** {@code setNull(index, type)}. */
  public void setNull(int index) {
    set(index, NULL);
  }

  /** A value set by parameter name (callable statements). */
  public void set(String name, Object value) {
    if (name == null) {
      return;
    }
    if (names == null) {
      names = new String[4];
      named = new Object[4];
    }
    for (int i = 0; i < namedCount; i++) {
      if (names[i].equals(name)) {
        named[i] = keep(value);
        return;
      }
    }
    if (namedCount == MAX) {
      return;
    }
    if (namedCount == names.length) {
      names = Arrays.copyOf(names, namedCount * 2);
      named = Arrays.copyOf(named, namedCount * 2);
    }
    names[namedCount] = name;
    named[namedCount++] = keep(value);
  }

  public void setNull(String name) {
    set(name, NULL);
  }

  public void clear() {
    Arrays.fill(positional, null);
    if (names != null) {
      Arrays.fill(names, null);
      Arrays.fill(named, null);
      namedCount = 0;
    }
  }

  /**
   * Writes the values as {@code db.query.parameter.<0-based index>} or {@code .<name>}; values of
   * secret columns, or of statements on a secret table or procedure, become {@code [REDACTED]}.
   */
  void record(Span span, Sql sql, JdbcOptions options) {
    boolean all = options.isSecret(sql.collection) || options.isSecret(sql.procedure);
    int written = 0;
    for (int i = 0; i < positional.length && written < MAX; i++) {
      Object v = positional[i];
      if (v != null) {
        boolean secret = all || options.isSecret(sql.parameterName(i));
        span.attribute(KEYS[i], secret ? REDACTED : render(v, options.maxParameterLength));
        written++;
      }
    }
    for (int i = 0; i < namedCount && written < MAX; i++, written++) {
      boolean secret = all || options.isSecret(names[i]);
      span.attribute("db.query.parameter." + names[i], secret ? REDACTED : render(named[i], options.maxParameterLength));
    }
  }

  /** What is kept of a value: the value itself when it is small and immutable enough, else a description. */
  private static Object keep(Object v) {
    if (v == null) {
      return NULL;
    }
    if (v instanceof byte[]) {
      return "<" + ((byte[]) v).length + " bytes>";
    }
    if (v instanceof InputStream || v instanceof Reader) {
      return "<stream>";
    }
    if (v instanceof java.sql.Blob || v instanceof java.sql.Clob) {
      return "<lob>";
    }
    return v;
  }

  static String render(Object v, int max) {
    String s;
    if (v == NULL) {
      s = "NULL";
    } else if (v instanceof String) {
      s = (String) v;
    } else if (v.getClass().getName().startsWith("java.")) {
      s = String.valueOf(v); // numbers, dates, java.time, UUID, URL
    } else {
      // not toString(): an application's or driver's type may print anything, or fail
      s = "<" + v.getClass().getName() + ">";
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
