/**
 * Mintaro for JDBC: {@code MintaroDataSource.wrap(dataSource)}, or the {@code jdbc:mintaro:} URL
 * prefix for {@code DriverManager}; every statement becomes a client span of the current trace.
 */
module io.mintaro.jdbc {
  requires io.mintaro;
  requires transitive java.sql;

  exports io.mintaro.jdbc;

  uses java.sql.Driver;
  provides java.sql.Driver with io.mintaro.jdbc.MintaroDriver;
}
