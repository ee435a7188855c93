package io.mintaro.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DbInfoTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      jdbc:sqlite:/var/data/app.db?journal_mode=WAL               | sqlite               | /var/data/app.db | -               | -1
      jdbc:sqlite::memory:                                        | sqlite               | :memory:         | -               | -1
      jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1                        | h2database           | orders           | -               | -1
      jdbc:h2:tcp://db.local:9092/~/shop                          | h2database           | ~/shop           | db.local        | 9092
      jdbc:h2:file:/data/h2/app                                   | h2database           | /data/h2/app     | -               | -1
      jdbc:postgresql://pg.internal:5433/billing?ssl=true         | postgresql           | billing          | pg.internal     | 5433
      jdbc:postgresql://[::1]:5432/billing                        | postgresql           | billing          | ::1             | 5432
      jdbc:postgresql:billing                                     | postgresql           | billing          | -               | -1
      jdbc:mysql://user:pw@mysql1,mysql2:3306/shop                | mysql                | shop             | mysql1          | -1
      jdbc:mariadb://maria/shop                                   | mariadb              | shop             | maria           | -1
      jdbc:sqlserver://sql1\\prod:1433;databaseName=Sales;encrypt=true | microsoft.sql_server | Sales       | sql1            | 1433
      jdbc:oracle:thin:@ora:1521:ORCL                             | oracle.db            | ORCL             | ora             | 1521
      jdbc:oracle:thin:@//ora:1521/sales.example                  | oracle.db            | sales.example    | ora             | 1521
      jdbc:mintaro:postgresql://pg/billing                        | postgresql           | billing          | pg              | -1
      jdbc:p6spy:mysql://m/shop                                   | mysql                | shop             | m               | -1
      jdbc:derby:memory:demo;create=true                          | derby                | demo             | -               | -1
      jdbc:somethingelse://x/y                                    | other_sql            | -                | -               | -1
      not a url                                                   | other_sql            | -                | -               | -1
      """)
  void readsTheDatabaseFromTheUrl(String url, String system, String namespace, String address, int port) {
    DbInfo info = DbInfo.fromUrl(url);
    assertThat(info.system).isEqualTo(system);
    assertThat(info.namespace).isEqualTo(namespace);
    assertThat(info.serverAddress).isEqualTo(address);
    assertThat(info.serverPort).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource({"mysql,MYSQL", "mariadb,MYSQL", "postgresql,POSTGRESQL", "microsoft.sql_server,SQLSERVER",
      "sqlite,SQLITE", "h2database,H2", "oracle.db,STANDARD", "other_sql,STANDARD"})
  void eachSystemLexesInItsDialect(String system, Dialect dialect) {
    assertThat(Dialect.of(system)).isEqualTo(dialect);
  }
}
