package io.mintaro.jdbc.internal;

/** The few lexical differences between SQL dialects that decide where a literal ends. */
public enum Dialect {
  /** SQL standard: {@code ''} escapes, {@code "..."} identifiers, dollar quotes allowed. */
  STANDARD(false, false, false, true, false, false),
  /** MySQL and MariaDB: backslash escapes, {@code "..."} strings, {@code #} comments. */
  MYSQL(true, true, true, false, false, false),
  /** PostgreSQL: dollar quotes and nested block comments. */
  POSTGRESQL(false, false, false, true, false, true),
  /** SQL Server: {@code [...]} identifiers. */
  SQLSERVER(false, false, false, false, true, false),
  /** SQLite: {@code [...]} identifiers. */
  SQLITE(false, false, false, false, true, false),
  /** H2: {@code $$...$$} strings. */
  H2(false, false, false, true, false, false);

  final boolean backslashEscapes;
  final boolean doubleQuotedStrings;
  final boolean hashComments;
  final boolean dollarQuotes;
  final boolean bracketIdentifiers;
  final boolean nestedComments;

  Dialect(boolean backslashEscapes, boolean doubleQuotedStrings, boolean hashComments,
      boolean dollarQuotes, boolean bracketIdentifiers, boolean nestedComments) {
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.hashComments = hashComments;
    this.dollarQuotes = dollarQuotes;
    this.bracketIdentifiers = bracketIdentifiers;
    this.nestedComments = nestedComments;
  }

  /** The dialect of an OpenTelemetry {@code db.system.name}. */
  public static Dialect of(String system) {
    if (system == null) {
      return STANDARD;
    }
    switch (system) {
      case "mysql":
      case "mariadb":
        return MYSQL;
      case "postgresql":
      case "cockroachdb":
      case "aws.redshift":
        return POSTGRESQL;
      case "microsoft.sql_server":
        return SQLSERVER;
      case "sqlite":
        return SQLITE;
      case "h2database":
        return H2;
      default:
        return STANDARD;
    }
  }
}
