package io.mintaro.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.Locale;

/**
 * The database a connection talks to, as OpenTelemetry names it: {@code db.system.name},
 * {@code db.namespace}, {@code server.address} and {@code server.port}. Read from the JDBC URL
 * (or, without one, the product name), once per data source or driver connection.
 */
public final class DbInfo {
  static final DbInfo UNKNOWN = new DbInfo("other_sql", null, null, -1);

  /** Prefixes of other wrapping drivers, skipped to reach the real subprotocol. */
  private static final String[] WRAPPERS = {"mintaro:", "p6spy:", "otel:", "tc:", "log4jdbc:"};

  public final String system;
  public final String namespace;
  public final String serverAddress;
  public final int serverPort;
  public final Dialect dialect;

  DbInfo(String system, String namespace, String serverAddress, int serverPort) {
    this.system = system;
    this.namespace = namespace == null || namespace.isEmpty() ? null : namespace;
    this.serverAddress = serverAddress == null || serverAddress.isEmpty() ? null : serverAddress;
    this.serverPort = serverPort;
    this.dialect = Dialect.of(system);
  }

  /** From the connection's metadata; never throws. */
  public static DbInfo of(Connection connection) {
    try {
      DatabaseMetaData md = connection.getMetaData();
      String url = md.getURL();
      DbInfo info = url == null ? UNKNOWN : fromUrl(url);
      if (info.system.equals("other_sql")) {
        String system = systemOfProduct(md.getDatabaseProductName());
        if (system != null) {
          info = new DbInfo(system, info.namespace, info.serverAddress, info.serverPort);
        }
      }
      return info;
    } catch (Exception | LinkageError e) {
      return UNKNOWN;
    }
  }

  /** From a JDBC URL such as {@code jdbc:postgresql://db:5432/orders}; never throws. */
  public static DbInfo fromUrl(String url) {
    try {
      return parse(url);
    } catch (RuntimeException e) {
      return UNKNOWN;
    }
  }

  private static DbInfo parse(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return UNKNOWN;
    }
    String rest = url.substring(5);
    boolean skipped = true;
    while (skipped) {
      skipped = false;
      for (String w : WRAPPERS) {
        if (rest.regionMatches(true, 0, w, 0, w.length())) {
          rest = rest.substring(w.length());
          skipped = true;
        }
      }
    }
    int colon = rest.indexOf(':');
    String sub = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    String tail = colon < 0 ? "" : rest.substring(colon + 1);
    switch (sub) {
      case "sqlite":
        return new DbInfo("sqlite", cut(tail, '?'), null, -1);
      case "h2":
        return embedded("h2database", cut(tail, ';'));
      case "hsqldb":
        return embedded("hsqldb", cut(tail, ';'));
      case "derby":
        return embedded("derby", cut(tail, ';'));
      case "postgresql":
      case "pgsql":
        return server("postgresql", tail);
      case "mysql":
        return server("mysql", tail);
      case "mariadb":
        return server("mariadb", tail);
      case "db2":
      case "as400":
        return server("ibm.db2", tail);
      case "clickhouse":
      case "ch":
        return server("clickhouse", tail);
      case "redshift":
        return server("aws.redshift", tail);
      case "trino":
        return server("trino", tail);
      case "sqlserver":
        return sqlServer(tail);
      case "jtds":
        return sqlServer(tail.startsWith("sqlserver:") ? tail.substring(10) : tail);
      case "oracle":
        return oracle(tail);
      default:
        return UNKNOWN;
    }
  }

  /** {@code mem:name}, {@code file:path}, {@code tcp://host:port/path} or a plain path. */
  private static DbInfo embedded(String system, String tail) {
    for (String scheme : new String[] {"tcp:", "ssl:", "hsql:", "hsqls:", "http:", "https:"}) {
      if (tail.startsWith(scheme) && tail.startsWith("//", scheme.length())) {
        return server(system, tail.substring(scheme.length()));
      }
    }
    if (tail.startsWith("//")) {
      return server(system, tail);
    }
    for (String scheme : new String[] {"mem:", "memory:", "file:", "zip:", "res:", "split:", "nio:", "async:"}) {
      if (tail.startsWith(scheme)) {
        tail = tail.substring(scheme.length());
        break;
      }
    }
    return new DbInfo(system, tail, null, -1);
  }

  /** {@code //host:port/database?params}, {@code //h1,h2/db}, {@code //[::1]:5432/db} or {@code database}. */
  private static DbInfo server(String system, String tail) {
    if (!tail.startsWith("//")) {
      return new DbInfo(system, cut(cut(tail, '?'), ';'), null, -1);
    }
    String rest = tail.substring(2);
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? cut(cut(rest, '?'), ';') : rest.substring(0, slash);
    String database = slash < 0 ? null : cut(cut(rest.substring(slash + 1), '?'), ';');
    String host = cut(hosts, ',');
    int at = host.lastIndexOf('@');
    if (at >= 0) {
      host = host.substring(at + 1); // user:password@host: never the credentials
    }
    String address = host;
    int port = -1;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      address = close < 0 ? host : host.substring(1, close);
      if (close >= 0 && host.startsWith(":", close + 1)) {
        port = port(host.substring(close + 2));
      }
    } else {
      int c = host.lastIndexOf(':');
      if (c >= 0) {
        address = host.substring(0, c);
        port = port(host.substring(c + 1));
      }
    }
    return new DbInfo(system, database, address, port);
  }

  /** {@code //host\instance:port;databaseName=db;...}. */
  private static DbInfo sqlServer(String tail) {
    String[] parts = tail.split(";");
    DbInfo base = server("microsoft.sql_server", parts[0].contains("/") ? parts[0] : parts[0] + "/");
    String database = base.namespace;
    String address = base.serverAddress;
    if (address != null && address.indexOf('\\') >= 0) {
      address = address.substring(0, address.indexOf('\\'));
    }
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        String key = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (key.equals("databasename") || key.equals("database")) {
          database = parts[i].substring(eq + 1).trim();
        }
      }
    }
    return new DbInfo("microsoft.sql_server", database, address, base.serverPort);
  }

  /** {@code thin:@host:port:SID}, {@code thin:@//host:port/service} or {@code thin:@host:port/service}. */
  private static DbInfo oracle(String tail) {
    int at = tail.indexOf('@');
    String target = at < 0 ? "" : tail.substring(at + 1);
    if (target.startsWith("(") || target.isEmpty()) {
      return new DbInfo("oracle.db", null, null, -1);
    }
    if (target.startsWith("//")) {
      return server("oracle.db", cut(target, '?'));
    }
    target = cut(target, '?');
    String[] parts = target.split("[:/]", 3);
    if (parts.length == 3) {
      return new DbInfo("oracle.db", parts[2], parts[0], port(parts[1]));
    }
    return new DbInfo("oracle.db", parts.length == 1 ? parts[0] : null, parts.length == 2 ? parts[0] : null,
        parts.length == 2 ? port(parts[1]) : -1);
  }

  private static String systemOfProduct(String product) {
    if (product == null) {
      return null;
    }
    String p = product.toLowerCase(Locale.ROOT);
    String[][] known = {
        {"postgresql", "postgresql"}, {"mariadb", "mariadb"}, {"mysql", "mysql"}, {"h2", "h2database"},
        {"sqlite", "sqlite"}, {"microsoft sql server", "microsoft.sql_server"}, {"oracle", "oracle.db"},
        {"hsql", "hsqldb"}, {"derby", "derby"}, {"db2", "ibm.db2"}, {"clickhouse", "clickhouse"}};
    for (String[] k : known) {
      if (p.contains(k[0])) {
        return k[1];
      }
    }
    return null;
  }

  private static String cut(String s, char c) {
    int i = s.indexOf(c);
    return i < 0 ? s : s.substring(0, i);
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s.trim());
      return p > 0 && p < 65536 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
