package io.mintaro.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SqlAnalyzerTest {

  private static String normalize(String sql) {
    return SqlAnalyzer.normalize(sql, Dialect.STANDARD);
  }

  @Nested
  class Normalising {

    @Test
    void replacesStringAndNumberLiteralsWithPlaceholders() {
      assertThat(normalize("SELECT * FROM users WHERE name = 'alice' AND age > 42 AND score < 3.75"))
          .isEqualTo("SELECT * FROM users WHERE name = ? AND age > ? AND score < ?");
    }

    @Test
    void collapsesWhitespaceAndTrimsIt() {
      assertThat(normalize("  SELECT\n\tid ,  name\r\n  FROM   users  "))
          .isEqualTo("SELECT id , name FROM users");
    }

    @Test
    void keepsAQuoteDoubledInsideAStringInsideTheLiteral() {
      assertThat(normalize("INSERT INTO t VALUES ('O''Brien', 'it''s -- not a comment', '')"))
          .isEqualTo("INSERT INTO t VALUES (?, ?, ?)");
    }

    @Test
    void dropsLineAndBlockComments() {
      assertThat(normalize("SELECT a -- the 'first' column\nFROM t /* a 'quoted' */ WHERE b = 1"))
          .isEqualTo("SELECT a FROM t WHERE b = ?");
    }

    @Test
    void aCommentBetweenTwoWordsStillSeparatesThem() {
      assertThat(normalize("SELECT/**/a/*x*/FROM t")).isEqualTo("SELECT a FROM t");
    }

    @Test
    void commentMarkersInsideStringsAreText() {
      assertThat(normalize("SELECT '/* no */', '-- no' FROM t WHERE x = 1"))
          .isEqualTo("SELECT ?, ? FROM t WHERE x = ?");
    }

    @Test
    void quotedIdentifiersAreKeptVerbatim() {
      assertThat(normalize("SELECT \"Order Id\", `weird``name` FROM \"my \"\"table\"\" \" WHERE \"x\" = 'v'"))
          .isEqualTo("SELECT \"Order Id\", `weird``name` FROM \"my \"\"table\"\" \" WHERE \"x\" = ?");
    }

    @Test
    void collapsesInListsOfAnyLengthToOnePlaceholder() {
      assertThat(normalize("SELECT * FROM t WHERE id IN (1, 2, 3) AND name NOT IN ('a','b') AND k IN (?, ?, ?)"))
          .isEqualTo("SELECT * FROM t WHERE id IN (?) AND name NOT IN (?) AND k IN (?)");
      assertThat(normalize("SELECT * FROM t WHERE id IN (7)")).isEqualTo(normalize("SELECT * FROM t WHERE id IN (7, 8, 9, 10)"));
    }

    @Test
    void leavesASubqueryInAnInListAlone() {
      assertThat(normalize("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE v = 5)"))
          .isEqualTo("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE v = ?)");
    }

    @Test
    void negativeNumbersAreOneLiteralButSubtractionStays() {
      assertThat(normalize("SELECT -1, x-2, y - 3 FROM t WHERE a = -4 AND b > -5.5 AND c IN (-1, -2) LIMIT -1"))
          .isEqualTo("SELECT ?, x-?, y - ? FROM t WHERE a = ? AND b > ? AND c IN (?) LIMIT ?");
      assertThat(normalize("SELECT (a)-1, f(b)+2 FROM t")).isEqualTo("SELECT (a)-?, f(b)+? FROM t");
    }

    @Test
    void numbersOfEveryShape() {
      assertThat(normalize("SELECT 0, 42, 3.14, .5, 1e10, 2.5E-3, 1_000_000, 10L FROM t"))
          .isEqualTo("SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM t");
    }

    @Test
    void digitsInsideIdentifiersAreNotNumbers() {
      assertThat(normalize("SELECT col1, t2.c3 FROM table9 t2")).isEqualTo("SELECT col1, t2.c3 FROM table9 t2");
    }

    @Test
    void hexAndBinaryLiterals() {
      assertThat(normalize("SELECT 0x1F, 0XABCDEF, X'0A0B', x'ff', B'0101' FROM t"))
          .isEqualTo("SELECT ?, ?, ?, ?, ? FROM t");
    }

    @Test
    void nationalAndCharsetStringsAreLiterals() {
      assertThat(SqlAnalyzer.normalize("SELECT N'ünïcode', _utf8mb4'x' FROM t", Dialect.MYSQL))
          .isEqualTo("SELECT ?, ? FROM t");
    }

    @Test
    void postgresEscapeStringsHonourBackslashes() {
      assertThat(SqlAnalyzer.normalize("SELECT E'it\\'s', e'a\\\\' , 'plain' FROM t", Dialect.POSTGRESQL))
          .isEqualTo("SELECT ?, ? , ? FROM t");
    }

    @Test
    void aBackslashEndsNothingInAStandardString() {
      assertThat(normalize("SELECT 'C:\\', 'x' FROM t")).isEqualTo("SELECT ?, ? FROM t");
    }

    @Test
    void dollarQuotedStringsWithAndWithoutTags() {
      assertThat(SqlAnalyzer.normalize(
          "SELECT $$it's $ here$$, $fn$ body with $$ and 'quotes' $fn$, $1 FROM t", Dialect.POSTGRESQL))
          .isEqualTo("SELECT ?, ?, $1 FROM t");
    }

    @Test
    void postgresCastsAndPlaceholdersAreKept() {
      assertThat(SqlAnalyzer.normalize("SELECT '5'::int, $2::text, ? FROM t WHERE a = :name", Dialect.POSTGRESQL))
          .isEqualTo("SELECT ?::int, $2::text, ? FROM t WHERE a = :name");
    }

    @Test
    void nestedBlockCommentsInPostgres() {
      assertThat(SqlAnalyzer.normalize("SELECT /* outer /* inner 'x' */ still comment */ 1", Dialect.POSTGRESQL))
          .isEqualTo("SELECT ?");
    }

    @Test
    void mysqlDoubleQuotedStringsBackslashesAndHashComments() {
      assertThat(SqlAnalyzer.normalize(
          "SELECT \"secret\", 'it\\'s' FROM t # trailing 'x'\nWHERE a = \"b\\\"c\"", Dialect.MYSQL))
          .isEqualTo("SELECT ?, ? FROM t WHERE a = ?");
    }

    @Test
    void sqlServerBracketIdentifiers() {
      assertThat(SqlAnalyzer.normalize("SELECT [Order Id], [a]]b] FROM [dbo].[Orders] WHERE x = N'y'", Dialect.SQLSERVER))
          .isEqualTo("SELECT [Order Id], [a]]b] FROM [dbo].[Orders] WHERE x = ?");
    }

    @Test
    void anUnterminatedStringHidesEverythingAfterIt() {
      assertThat(normalize("SELECT * FROM t WHERE password = 'hunter2 AND 1=1")).isEqualTo("SELECT * FROM t WHERE password = ?");
      assertThat(normalize("SELECT 1 /* never closed 'secret'")).isEqualTo("SELECT ?");
    }

    @Test
    void jdbcEscapesKeepTheirShape() {
      assertThat(normalize("SELECT {fn UCASE(name)}, {ts '2024-01-02 03:04:05'} FROM t"))
          .isEqualTo("SELECT {fn UCASE(name)}, {ts ?} FROM t");
    }

    @Test
    void booleansAndNullAreKeywordsNotLiterals() {
      assertThat(normalize("UPDATE t SET a = TRUE, b = NULL WHERE c IS NOT NULL"))
          .isEqualTo("UPDATE t SET a = TRUE, b = NULL WHERE c IS NOT NULL");
    }

    @Test
    void nothingButACommentIsEmpty() {
      assertThat(normalize("-- only a comment")).isEmpty();
      assertThat(normalize("")).isEmpty();
      assertThat(normalize(null)).isEmpty();
    }
  }

  @Nested
  class OperationAndCollection {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SELECT * FROM users WHERE id = 1                                   | SELECT | users          | SELECT users
        select u.name from public.users u join orders o on o.uid = u.id    | SELECT | public.users   | SELECT public.users
        SELECT EXTRACT(YEAR FROM d), (SELECT 1 FROM x) FROM events         | SELECT | events         | SELECT events
        SELECT * FROM (SELECT 1) sub                                       | SELECT |                | SELECT
        SELECT 1                                                           | SELECT |                | SELECT
        INSERT INTO orders (id) VALUES (1)                                 | INSERT | orders         | INSERT orders
        INSERT OR REPLACE INTO kv VALUES (1, 2)                            | INSERT | kv             | INSERT kv
        INSERT IGNORE INTO kv VALUES (1, 2)                                | INSERT | kv             | INSERT kv
        update users set name = 'x'                                        | UPDATE | users          | UPDATE users
        UPDATE ONLY accounts SET x = 1                                     | UPDATE | accounts       | UPDATE accounts
        DELETE FROM "Order Lines" WHERE id = 3                             | DELETE | "Order Lines"  | DELETE "Order Lines"
        MERGE INTO stock USING src ON (1 = 1)                              | MERGE  | stock          | MERGE stock
        CREATE TABLE IF NOT EXISTS users (id INT)                          | CREATE | users          | CREATE users
        CREATE TEMPORARY TABLE tmp (id INT)                                | CREATE | tmp            | CREATE tmp
        DROP TABLE IF EXISTS users                                         | DROP   | users          | DROP users
        ALTER TABLE users ADD COLUMN x INT                                 | ALTER  | users          | ALTER users
        TRUNCATE TABLE logs                                                | TRUNCATE | logs         | TRUNCATE logs
        WITH recent AS (SELECT * FROM orders) SELECT * FROM recent         | SELECT | recent         | SELECT recent
        WITH d AS (SELECT 1) DELETE FROM users WHERE id IN (SELECT * FROM d) | DELETE | users        | DELETE users
        (SELECT a FROM t1) UNION (SELECT a FROM t2)                        | SELECT | t1             | SELECT t1
        COMMIT                                                             | COMMIT |                | COMMIT
        PRAGMA journal_mode = WAL                                          | PRAGMA |                | PRAGMA
        """)
    void findsTheOperationAndTheFirstTable(String sql, String operation, String collection, String spanName) {
      Sql s = SqlAnalyzer.analyze(sql, Dialect.STANDARD);
      assertThat(s.operation).isEqualTo(operation);
      assertThat(s.collection).isEqualTo(collection);
      assertThat(s.spanName).isEqualTo(spanName);
    }

    @Test
    void callsNameTheirProcedure() {
      Sql call = SqlAnalyzer.analyze("{call reserve_stock(?, ?)}", Dialect.STANDARD);
      assertThat(call.operation).isEqualTo("CALL");
      assertThat(call.procedure).isEqualTo("reserve_stock");
      assertThat(call.spanName).isEqualTo("CALL reserve_stock");
      Sql function = SqlAnalyzer.analyze("{? = call inventory.count_items(?)}", Dialect.STANDARD);
      assertThat(function.spanName).isEqualTo("CALL inventory.count_items");
      assertThat(SqlAnalyzer.analyze("EXEC dbo.Archive @days = 30", Dialect.SQLSERVER).spanName)
          .isEqualTo("EXEC dbo.Archive");
    }

    @Test
    void textThatIsNotAStatementHasNoOperation() {
      assertThat(SqlAnalyzer.analyze("'just a string'", Dialect.STANDARD).operation).isNull();
      assertThat(SqlAnalyzer.analyze("42", Dialect.STANDARD).spanName).isNull();
    }
  }

  @Nested
  class ParameterNames {

    @Test
    void aPlaceholderComparedWithAColumnIsNamedAfterIt() {
      Sql s = SqlAnalyzer.analyze(
          "SELECT * FROM users u WHERE u.email = ? AND u.password_hash <> ? AND ? = token AND age >= ?",
          Dialect.STANDARD);
      assertThat(names(s, 4)).containsExactly("email", "password_hash", "token", "age");
    }

    @Test
    void setClausesLikeInListsAndBetween() {
      Sql s = SqlAnalyzer.analyze(
          "UPDATE users SET api_token = ?, name = ? WHERE login LIKE ? AND id IN (?, ?) AND d NOT BETWEEN ? AND ?",
          Dialect.STANDARD);
      assertThat(names(s, 7)).containsExactly("api_token", "name", "login", "id", "id", "d", "d");
    }

    @Test
    void insertValuesFollowTheColumnList() {
      Sql s = SqlAnalyzer.analyze(
          "INSERT INTO accounts (name, \"Secret\", note) VALUES (?, lower(?), ?), (?, ?, ?)", Dialect.STANDARD);
      assertThat(names(s, 6)).containsExactly("name", "Secret", "note", "name", "Secret", "note");
    }

    @Test
    void placeholdersInsideStringsOrCommentsAreNotParameters() {
      Sql s = SqlAnalyzer.analyze("SELECT '?' FROM t /* ? */ WHERE password = ? -- ?", Dialect.STANDARD);
      assertThat(s.parameterName(0)).isEqualTo("password");
      assertThat(s.parameterName(1)).isNull();
    }

    @Test
    void namedArgumentsAndUnknownPositions() {
      Sql s = SqlAnalyzer.analyze("SELECT f(secret_key => ?), g(?)", Dialect.POSTGRESQL);
      assertThat(names(s, 2)).containsExactly("secret_key", null);
    }

    private String[] names(Sql s, int n) {
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        out[i] = s.parameterName(i);
      }
      return out;
    }
  }

  @Test
  void theCacheAnswersTheSameAnalysisForTheSameText() {
    String sql = "SELECT * FROM cached WHERE id = 12";
    Sql first = SqlCache.get(sql, Dialect.H2);
    assertThat(SqlCache.get(new String(sql.toCharArray()), Dialect.H2)).isSameAs(first);
    assertThat(SqlCache.get(sql, Dialect.MYSQL).text).isEqualTo(first.text);
  }
}
