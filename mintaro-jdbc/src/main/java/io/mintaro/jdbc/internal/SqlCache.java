package io.mintaro.jdbc.internal;

/**
 * The analyses of recently executed SQL texts, so that a statement run again is not lexed again.
 * Direct-mapped: each text has one slot, chosen by its hash, and a newer text takes the slot of an
 * older one. Lock-free (entries are immutable, a lost race costs one analysis) and bounded: at most
 * {@link #SLOTS} entries of texts up to {@link #MAX_CACHED_LENGTH} characters.
 */
public final class SqlCache {
  static final int SLOTS = 1024;
  static final int MAX_CACHED_LENGTH = 16 * 1024;

  private static final Entry[] TABLE = new Entry[SLOTS];

  private SqlCache() {}

  /** The analysis of {@code sql}; never throws. */
  public static Sql get(String sql, Dialect dialect) {
    if (sql == null) {
      return Sql.EMPTY;
    }
    if (sql.length() > MAX_CACHED_LENGTH) {
      return analyze(sql, dialect);
    }
    int h = sql.hashCode();
    int slot = (h ^ (h >>> 16) ^ dialect.ordinal()) & (SLOTS - 1);
    Entry e = TABLE[slot];
    if (e != null && e.dialect == dialect && (e.sql == sql || e.sql.equals(sql))) {
      return e.result;
    }
    Sql result = analyze(sql, dialect);
    TABLE[slot] = new Entry(sql, dialect, result);
    return result;
  }

  private static Sql analyze(String sql, Dialect dialect) {
    try {
      return SqlAnalyzer.analyze(sql, dialect);
    } catch (RuntimeException | StackOverflowError e) {
      return Sql.EMPTY; // a bug of ours must not reach the application; nothing is recorded of it
    }
  }

  private static final class Entry {
    final String sql;
    final Dialect dialect;
    final Sql result;

    Entry(String sql, Dialect dialect, Sql result) {
      this.sql = sql;
      this.dialect = dialect;
      this.result = result;
    }
  }
}
