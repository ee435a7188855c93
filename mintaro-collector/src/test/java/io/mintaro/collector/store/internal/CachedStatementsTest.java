package io.mintaro.collector.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.GroupQuery;
import io.mintaro.collector.store.GroupRow;
import io.mintaro.collector.store.TraceSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer prepares each statement once and reuses it; a failed write does not spoil later writes. */
class CachedStatementsTest {
    static final String AGENT = "a000000000000001";
    static final String SERVICE = "orders";
    static final long T0_US = 1_763_700_000_000_000L;
    static final long AT_MS = 1_763_700_000_123L;

    @TempDir
    Path dir;

    @Test
    void theWriterPreparesEachStatementOnceHoweverManyBatchesItStores() throws Exception {
        try (JdbcStorage store = JdbcStorage.open(Database.sqlite(dir.resolve("mintaro.db")))) {
            // One round stores a trace of each kind, so it runs every statement of the write path.
            storeRound(store, 0);
            int afterOneRound = store.writerStatementsPrepared();

            for (int round = 1; round <= 30; round++) {
                storeRound(store, round);
            }

            assertThat(afterOneRound).isPositive();
            assertThat(store.writerStatementsPrepared()).isEqualTo(afterOneRound);
            TraceSummary last = store.traces().get(traceId(30, 2)).orElseThrow().summary();
            List<GroupRow> groups = store.groups().find(
                    new GroupQuery(null, null, null, null, null, null, "show", null, 10, 0)).groups();
            // Per round: two stored traces of the exception, one counted trace not stored and two
            // occurrences without ids.
            assertThat(groups).extracting(g -> g.problem() + ": " + g.count() + " of " + g.occurrences())
                    .containsExactlyInAnyOrder("java.lang.IllegalStateException: 62 of 155", "java.io.IOException: 31 of 31",
                            "HTTP 503: 31 of 31");
            assertThat(last.status()).isEqualTo("error");
            assertThat(last.complete()).isTrue();
            assertThat(last.spanCount()).isEqualTo(1);
            assertThat(last.messageCount()).isEqualTo(1);
        }
    }

    @Test
    void aStatementSpoiledByAFailedWriteIsPreparedAgainForTheNextOne() throws Exception {
        Path file = dir.resolve("mintaro.db");
        try (JdbcStorage store = JdbcStorage.open(Database.sqlite(file));
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = other.createStatement()) {
            String t = traceId(1, 0);
            store.ingest().store(batch(t, "error", spanJson("java.lang.IllegalStateException"), null, null), SERVICE, AT_MS);
            // A log insert that fails (a trigger aborts it); sqlite-jdbc then finalizes the statement.
            st.executeUpdate("CREATE TRIGGER refuse_logs BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'refused'); END");
            Batch more = batch(t, null, null, logJson(), null);
            assertThatThrownBy(() -> store.ingest().store(more, SERVICE, AT_MS)).isInstanceOf(SQLException.class);

            st.executeUpdate("DROP TRIGGER refuse_logs");
            store.ingest().store(more, SERVICE, AT_MS);

            assertThat(store.traces().get(t).orElseThrow().summary().logCount()).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT group_problem FROM traces WHERE trace_id = '" + t + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("java.lang.IllegalStateException");
            }
        }
    }

    @Test
    void aStatementIsPreparedOnceAndClosedWithTheCache() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            CachedStatements statements = new CachedStatements(c);
            PreparedStatement first = statements.get("SELECT ?");
            PreparedStatement again = statements.get("SELECT ?");
            PreparedStatement other = statements.get("SELECT ? + 1");

            assertThat(again).isSameAs(first);
            assertThat(other).isNotSameAs(first);
            assertThat(statements.prepared()).isEqualTo(2);

            statements.close();
            assertThat(first.isClosed()).isTrue();
            assertThat(other.isClosed()).isTrue();
            assertThat(statements.get("SELECT ?")).isNotSameAs(first);
            assertThat(statements.prepared()).isEqualTo(3);
            statements.close();
        }
    }

    /**
     * Stores three traces (an exception, a logged error, a 5xx answer: the three ways an error
     * group gets its problem) and marks them complete; then counted triggers: one of a stored
     * trace, one of a trace stored next, one whose count window ends, and occurrences without ids.
     */
    private static void storeRound(JdbcStorage store, int round) throws SQLException {
        String failedSpan = traceId(round, 0);
        store.ingest().store(batch(failedSpan, "error", spanJson("java.lang.IllegalStateException"), null, null),
                SERVICE, AT_MS);
        String loggedError = traceId(round, 1);
        store.ingest().store(batch(loggedError, "error", spanJson(null), logJson(), null), SERVICE, AT_MS);
        String answered5xx = traceId(round, 2);
        store.ingest().store(batch(answered5xx, "slow", spanJson(null), null, messageJson()), SERVICE, AT_MS);
        String storedNext = traceId(round, 3);
        store.ingest().store(counted(List.of(failedSpan, storedNext, traceId(round, 4)), 2), SERVICE, AT_MS);
        store.ingest().store(batch(storedNext, "error", spanJson("java.lang.IllegalStateException"), null, null), SERVICE,
                AT_MS);
        assertThat(store.ingest().forgetCounted(AT_MS, 0)).isEqualTo(1);
    }

    /** A batch of counted triggers only: the exception's group, with these trace ids and {@code more}. */
    private static Batch counted(List<String> traceIds, long more) {
        List<Batch.CountedTrace> traces = traceIds.stream().map(t -> new Batch.CountedTrace(t, AT_MS)).toList();
        return new Batch(AGENT, List.of(), List.of(), List.of(new Batch.Counted("error", "GET /orders",
                "java.lang.IllegalStateException", traces, more, AT_MS)));
    }

    private static String traceId(int round, int n) {
        return String.format("%030x%02x", round, n);
    }

    /** A batch with the trace's trigger (when {@code kind} is given) and whichever records are given. */
    private static Batch batch(String traceId, String kind, String spanJson, String logJson, String messageJson) {
        List<Batch.Trigger> triggers = kind == null ? List.of() : List.of(new Batch.Trigger(traceId, kind, "", AT_MS));
        List<Batch.Span> spans = spanJson == null ? List.of()
                : List.of(new Batch.Span("0000000000000001", null, "GET /orders", "server", "failed", T0_US,
                        T0_US + 5_000, object(spanJson)));
        List<Batch.Log> logs = logJson == null ? List.of()
                : List.of(new Batch.Log(1, "0000000000000001", T0_US + 10, "ERROR", "app", "boom", object(logJson)));
        List<Batch.Message> messages = messageJson == null ? List.of()
                : List.of(new Batch.Message(2, "0000000000000001", "inbound", "GET", "http://orders/", 503, T0_US,
                        5_000L, null, null, object(messageJson)));
        List<Batch.Breadcrumb> crumbs = List.of(new Batch.Breadcrumb("server", null, "orders:8080", null));
        return new Batch(AGENT, triggers,
                List.of(new Batch.TraceEntry(traceId, false, spans, messages, logs, crumbs)));
    }

    private static String spanJson(String errorType) {
        return errorType == null ? "{\"error\":{\"type\":\"HTTP 503\"}}"
                : "{\"error\":{\"type\":\"" + errorType + "\"}}";
    }

    private static String logJson() {
        return "{\"error\":{\"type\":\"java.io.IOException\"}}";
    }

    private static String messageJson() {
        return "{\"status\":503}";
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
