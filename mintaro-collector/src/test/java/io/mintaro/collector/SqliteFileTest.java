package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite store does: its file, its journal, its versions before and after Flyway. */
class SqliteFileTest {
    @TempDir
    Path dir;

    @Test
    void theDatabaseUsesWalAndRecordsItsSchemaVersion() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.dbPath(dir.resolve("mintaro.db")))) {
            try (Connection db = c.connect();
                 Statement st = db.createStatement()) {
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
                }
                try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("14");
                }
                // The versions are Flyway's: every migration from the first, each applied successfully.
                try (ResultSet rs = st.executeQuery(
                        "SELECT group_concat(version, ',') FROM (SELECT version FROM flyway_schema_history"
                                + " WHERE success ORDER BY installed_rank)")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("1,2,3,4,6,7,8,9,10,11,12,13,14");
                }
            }
        }
    }

    @Test
    void aDatabaseFromANewerCollectorIsRefused() throws Exception {
        Path db = dir.resolve("future.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            st.execute("INSERT INTO meta VALUES ('schema_version', '99')");
        }
        CollectorConfig config = CollectorConfig.builder().port(0).dbPath(db).apiKey(TestCollector.KEY).build();
        assertThatThrownBy(() -> Collector.start(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws Exception {
        Path db = dir.resolve("garbage.db");
        Files.writeString(db, "this is not sqlite ".repeat(100));
        CollectorConfig config = CollectorConfig.builder().port(0).dbPath(db).apiKey(TestCollector.KEY).build();
        assertThatThrownBy(() -> Collector.start(config)).isInstanceOf(IllegalStateException.class);
    }
}
