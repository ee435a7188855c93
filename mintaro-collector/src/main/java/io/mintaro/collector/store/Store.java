package io.mintaro.collector.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.Batch;
import io.mintaro.collector.agent.Registration;
import io.mintaro.collector.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite store (schema in {@code docs/storage.md}).
 *
 * <p>One writer connection behind a lock serialises every write; a small pool of reader
 * connections serves queries concurrently, which WAL mode allows. A batch is one transaction, and
 * the summary of each trace it touched is recomputed inside it, so readers never see records
 * without their summary.
 */
public final class Store implements AutoCloseable {
    /** Version stored in {@code meta.schema_version}. */
    public static final int SCHEMA_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final int READERS = 4;
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final String url;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private volatile boolean closed;

    private Store(Path file) throws SQLException {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.writer = open(false);
        try {
            createSchema();
            for (int i = 0; i < READERS; i++) {
                Connection c = open(true);
                allReaders.add(c);
                readers.add(c);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @throws SQLException if the file is not a usable SQLite database, or has a newer schema
     */
    public static Store open(Path file) throws SQLException, IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new Store(file);
    }

    private Connection open(boolean readOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a batch acknowledged to an agent survives a power cut, not just a process crash.
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(10_000);
        cfg.setEncoding(SQLiteConfig.Encoding.UTF8);
        Connection c = DriverManager.getConnection(url, cfg.toProperties());
        if (readOnly) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = true");
            }
        }
        return c;
    }

    private void createSchema() throws SQLException {
        try (Statement st = writer.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    log.warn("SQLite journal mode is {} instead of wal: readers may wait for writers", mode);
                }
            }
            Integer version = null;
            try (ResultSet rs = st.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
                if (rs.next()) {
                    try (ResultSet v = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                        version = v.next() ? Integer.valueOf(v.getString(1)) : null;
                    }
                }
            }
            if (version != null && version > SCHEMA_VERSION) {
                throw new SQLException("database schema version " + version
                        + " is newer than this collector supports (" + SCHEMA_VERSION + ")");
            }
            if (version != null) {
                return;
            }
            writer.setAutoCommit(false);
            try {
                for (String ddl : Schema.V1) {
                    st.execute(ddl);
                }
                st.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
                writer.commit();
            } catch (SQLException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /** A unit of work on the writer connection inside one transaction. */
    private interface WriteTx<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T write(WriteTx<T> work) throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Returns the key generated on an earlier start, or stores a new one from {@code generator}. */
    public String generatedApiKey(Supplier<String> generator) throws SQLException {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'generated_api_key'");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            String key = generator.get();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meta(key, value) VALUES ('generated_api_key', ?)")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return key;
        });
    }

    /**
     * Marks traces left incomplete by an earlier run as complete: their collection state was in
     * memory and is gone, so nobody will finish them.
     */
    public int closeInterruptedCollections(long nowMs) throws SQLException {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE traces SET completed_at_ms = ?, updated_at_ms = ? WHERE completed_at_ms IS NULL")) {
                ps.setLong(1, nowMs);
                ps.setLong(2, nowMs);
                return ps.executeUpdate();
            }
        });
    }

    /** Records (or refreshes) an agent's registration. */
    public void upsertAgent(Registration r, long nowMs) throws SQLException {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO agents(agent_id, service, host, pid, sdk, authorities, registered_at_ms, last_seen_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET service = excluded.service, host = excluded.host,
                      pid = excluded.pid, sdk = excluded.sdk, authorities = excluded.authorities,
                      registered_at_ms = excluded.registered_at_ms, last_seen_at_ms = excluded.last_seen_at_ms
                    """)) {
                ps.setString(1, r.agentId());
                ps.setString(2, r.service());
                ps.setString(3, r.host());
                if (r.pid() == null) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setLong(4, r.pid());
                }
                ps.setString(5, r.sdk());
                ps.setString(6, new String(Json.bytes(r.authorities()), java.nio.charset.StandardCharsets.UTF_8));
                ps.setLong(7, nowMs);
                ps.setLong(8, nowMs);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Stores agents' last-seen times (flushed periodically rather than on every poll). */
    public void touchAgents(Map<String, Long> lastSeenByAgent) throws SQLException {
        if (lastSeenByAgent.isEmpty()) {
            return;
        }
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agents SET last_seen_at_ms = max(last_seen_at_ms, ?) WHERE agent_id = ?")) {
                for (Map.Entry<String, Long> e : lastSeenByAgent.entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setString(2, e.getKey());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Sets {@code completed_at_ms} unless the trace is already complete. */
    public void markComplete(String traceId, long completedAtMs) throws SQLException {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE traces SET completed_at_ms = ?, updated_at_ms = ? WHERE trace_id = ? AND completed_at_ms IS NULL")) {
                ps.setLong(1, completedAtMs);
                ps.setLong(2, completedAtMs);
                ps.setString(3, traceId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Stores a validated batch in one transaction.
     *
     * <p>Triggers create their trace. An entry is stored only when its trace is known (stored
     * before, or triggered in this batch); otherwise it is dropped. Spans are upserted so that a
     * finished span replaces a {@code started} one but never the reverse; messages and logs are
     * deduplicated by {@code (traceId, agentId, seq)}. The records' JSON objects get
     * {@code service} and {@code agentId} added.
     */
    public IngestResult ingest(Batch batch, String service, long nowMs) throws SQLException {
        return write(c -> {
            Map<String, IngestResult.Known> before = new LinkedHashMap<>();
            Set<String> touched = new LinkedHashSet<>();
            Set<String> kept = new LinkedHashSet<>();
            Set<String> dropped = new LinkedHashSet<>();
            String agentId = batch.agentId();
            int accepted = 0;
            try (PreparedStatement known = c.prepareStatement("SELECT completed_at_ms FROM traces WHERE trace_id = ?");
                 PreparedStatement newTrace = c.prepareStatement("""
                         INSERT INTO traces(trace_id, status, services, triggered_at_ms, updated_at_ms)
                         VALUES (?, 'ok', '[]', ?, ?) ON CONFLICT(trace_id) DO NOTHING""");
                 PreparedStatement trigger = c.prepareStatement("""
                         INSERT OR IGNORE INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms)
                         VALUES (?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement span = c.prepareStatement("""
                         INSERT INTO spans(trace_id, span_id, agent_id, service, parent_span_id, name, kind, status,
                                           start_us, end_us, json)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                         ON CONFLICT(trace_id, span_id) DO UPDATE SET agent_id = excluded.agent_id,
                           service = excluded.service, parent_span_id = excluded.parent_span_id, name = excluded.name,
                           kind = excluded.kind, status = excluded.status, start_us = excluded.start_us,
                           end_us = excluded.end_us, json = excluded.json
                         WHERE spans.status = 'started' AND excluded.status <> 'started'""");
                 PreparedStatement message = c.prepareStatement("""
                         INSERT OR IGNORE INTO messages(trace_id, agent_id, seq, service, span_id, direction, method, url,
                                                        status, start_us, duration_us, request_body, response_body, json)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement logRow = c.prepareStatement("""
                         INSERT OR IGNORE INTO logs(trace_id, agent_id, seq, service, span_id, time_us, level, logger,
                                                    message, json)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement crumb = c.prepareStatement("""
                         INSERT OR IGNORE INTO breadcrumbs(trace_id, agent_id, service, role, peer_agent_id, authority, span_id)
                         VALUES (?, ?, ?, ?, ?, ?, ?)""")) {

                for (Batch.Trigger t : batch.triggers()) {
                    before.computeIfAbsent(t.traceId(), id -> knownState(known, id));
                    newTrace.setString(1, t.traceId());
                    newTrace.setLong(2, t.atMs());
                    newTrace.setLong(3, nowMs);
                    newTrace.executeUpdate();
                    trigger.setString(1, t.traceId());
                    trigger.setString(2, agentId);
                    trigger.setString(3, service);
                    trigger.setString(4, t.kind());
                    trigger.setString(5, t.reason() == null ? "" : t.reason());
                    trigger.setLong(6, t.atMs());
                    trigger.setLong(7, nowMs);
                    trigger.executeUpdate();
                    touched.add(t.traceId());
                }
                Set<String> triggered = new LinkedHashSet<>(touched);

                for (Batch.TraceEntry e : batch.traces()) {
                    String traceId = e.traceId();
                    IngestResult.Known state = before.computeIfAbsent(traceId, id -> knownState(known, id));
                    if (state == IngestResult.Known.UNKNOWN && !triggered.contains(traceId)) {
                        dropped.add(traceId);
                        continue;
                    }
                    kept.add(traceId);
                    touched.add(traceId);
                    for (Batch.Span s : e.spans()) {
                        span.setString(1, traceId);
                        span.setString(2, s.spanId());
                        span.setString(3, agentId);
                        span.setString(4, service);
                        span.setString(5, s.parentSpanId());
                        span.setString(6, s.name());
                        span.setString(7, s.kind());
                        span.setString(8, s.status());
                        span.setLong(9, s.startUs());
                        setLong(span, 10, s.endUs());
                        span.setString(11, stored(s.json(), service, agentId));
                        accepted += span.executeUpdate();
                    }
                    for (Batch.Message m : e.messages()) {
                        message.setString(1, traceId);
                        message.setString(2, agentId);
                        message.setLong(3, m.seq());
                        message.setString(4, service);
                        message.setString(5, m.spanId());
                        message.setString(6, m.direction());
                        message.setString(7, m.method());
                        message.setString(8, m.url());
                        message.setInt(9, m.status());
                        message.setLong(10, m.startUs());
                        setLong(message, 11, m.durationUs());
                        message.setString(12, m.requestBodyText());
                        message.setString(13, m.responseBodyText());
                        message.setString(14, stored(m.json(), service, agentId));
                        accepted += message.executeUpdate();
                    }
                    for (Batch.Log l : e.logs()) {
                        logRow.setString(1, traceId);
                        logRow.setString(2, agentId);
                        logRow.setLong(3, l.seq());
                        logRow.setString(4, service);
                        logRow.setString(5, l.spanId());
                        logRow.setLong(6, l.timeUs());
                        logRow.setString(7, l.level());
                        logRow.setString(8, l.logger());
                        logRow.setString(9, l.message());
                        logRow.setString(10, stored(l.json(), service, agentId));
                        accepted += logRow.executeUpdate();
                    }
                    for (Batch.Breadcrumb b : e.breadcrumbs()) {
                        crumb.setString(1, traceId);
                        crumb.setString(2, agentId);
                        crumb.setString(3, service);
                        crumb.setString(4, b.role());
                        crumb.setString(5, b.agentId() == null ? "" : b.agentId());
                        crumb.setString(6, b.authority() == null ? "" : b.authority());
                        crumb.setString(7, b.spanId() == null ? "" : b.spanId());
                        crumb.executeUpdate();
                    }
                }
            } catch (UncheckedSqlException e) {
                throw e.getCause();
            }
            for (String traceId : touched) {
                Summaries.recompute(c, traceId, nowMs);
            }
            return new IngestResult(accepted, before, kept, dropped);
        });
    }

    private static IngestResult.Known knownState(PreparedStatement known, String traceId) {
        try {
            known.setString(1, traceId);
            try (ResultSet rs = known.executeQuery()) {
                if (!rs.next()) {
                    return IngestResult.Known.UNKNOWN;
                }
                rs.getLong(1);
                return rs.wasNull() ? IngestResult.Known.COLLECTING : IngestResult.Known.COMPLETE;
            }
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        }
    }

    private static String stored(ObjectNode json, String service, String agentId) {
        json.put("service", service);
        json.put("agentId", agentId);
        return Json.string(json);
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    /** Lets a lambda inside a write transaction rethrow an SQLException. */
    private static final class UncheckedSqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    // ---------------------------------------------------------------- reads

    private interface ReadTx<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(ReadTx<T> work) throws SQLException {
        ensureOpen();
        Connection c;
        try {
            c = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        if (c == null) {
            throw new SQLException("no database connection available");
        }
        try {
            // One read transaction, so the queries of one request see one snapshot.
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            readers.offer(c);
        }
    }

    /** Agents that contributed anything (records, triggers, breadcrumbs) to a trace. */
    public Set<String> contributors(String traceId) throws SQLException {
        return read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id FROM spans WHERE trace_id = ?1
                    UNION SELECT agent_id FROM messages WHERE trace_id = ?1
                    UNION SELECT agent_id FROM logs WHERE trace_id = ?1
                    UNION SELECT agent_id FROM triggers WHERE trace_id = ?1
                    UNION SELECT agent_id FROM breadcrumbs WHERE trace_id = ?1""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Searches trace summaries, newest start first. */
    public List<TraceSummary> findTraces(TraceQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(SUMMARY_COLUMNS).append(" FROM traces t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.status() != null) {
            sql.append(" AND t.status = ?");
            args.add(q.status());
        }
        if (q.service() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM json_each(t.services) WHERE json_each.value = ?)");
            args.add(q.service());
        }
        if (q.fromUs() != null) {
            sql.append(" AND t.started_at_us >= ?");
            args.add(q.fromUs());
        }
        if (q.toUs() != null) {
            sql.append(" AND t.started_at_us < ?");
            args.add(q.toUs());
        }
        if (q.text() != null) {
            String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" ").append("""
                     AND (t.name LIKE ? ESCAPE '\\'
                      OR EXISTS (SELECT 1 FROM triggers g WHERE g.trace_id = t.trace_id AND g.reason LIKE ? ESCAPE '\\')
                      OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.name LIKE ? ESCAPE '\\')
                      OR EXISTS (SELECT 1 FROM logs l WHERE l.trace_id = t.trace_id AND l.message LIKE ? ESCAPE '\\')
                      OR EXISTS (SELECT 1 FROM messages m WHERE m.trace_id = t.trace_id
                                 AND (m.url LIKE ? ESCAPE '\\' OR m.request_body LIKE ? ESCAPE '\\'
                                      OR m.response_body LIKE ? ESCAPE '\\')))""");
            for (int i = 0; i < 7; i++) {
                args.add(like);
            }
        }
        sql.append(" ORDER BY t.started_at_us DESC, t.trace_id DESC LIMIT ?");
        args.add(q.limit());
        return read(c -> {
            List<TraceSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                }
            }
            return out;
        });
    }

    /** A whole trace, or empty when unknown. */
    public Optional<TraceDetail> trace(String traceId) throws SQLException {
        return read(c -> {
            TraceSummary summary;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + SUMMARY_COLUMNS + " FROM traces t WHERE t.trace_id = ?")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = summary(rs);
                }
            }
            List<String> spans = jsonColumn(c, "SELECT json FROM spans WHERE trace_id = ? ORDER BY start_us, span_id", traceId);
            List<String> messages = jsonColumn(c,
                    "SELECT json FROM messages WHERE trace_id = ? ORDER BY start_us, agent_id, seq", traceId);
            List<String> logs = jsonColumn(c,
                    "SELECT json FROM logs WHERE trace_id = ? ORDER BY time_us, agent_id, seq", traceId);
            List<TraceDetail.TriggerRow> triggers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id, service, kind, reason, at_ms, received_at_ms FROM triggers
                    WHERE trace_id = ? ORDER BY at_ms, received_at_ms, agent_id""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String reason = rs.getString(4);
                        triggers.add(new TraceDetail.TriggerRow(rs.getString(1), rs.getString(2), rs.getString(3),
                                reason == null || reason.isEmpty() ? null : reason, rs.getLong(5), rs.getLong(6)));
                    }
                }
            }
            List<TraceDetail.BreadcrumbRow> crumbs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id, service, role, peer_agent_id, authority, span_id FROM breadcrumbs
                    WHERE trace_id = ? ORDER BY service, agent_id, role, peer_agent_id, authority, span_id""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        crumbs.add(new TraceDetail.BreadcrumbRow(rs.getString(1), rs.getString(2), rs.getString(3),
                                emptyToNull(rs.getString(4)), emptyToNull(rs.getString(5)),
                                emptyToNull(rs.getString(6))));
                    }
                }
            }
            return Optional.of(new TraceDetail(summary, spans, messages, logs, triggers, crumbs));
        });
    }

    /** Services with registered agents, by name. */
    public List<ServiceRow> services() throws SQLException {
        return read(c -> {
            List<ServiceRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT service, max(last_seen_at_ms) FROM agents GROUP BY service ORDER BY service");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ServiceRow(rs.getString(1), rs.getLong(2)));
                }
            }
            return out;
        });
    }

    private static final String SUMMARY_COLUMNS = "t.trace_id, t.name, t.status, t.services, t.started_at_us, "
            + "t.duration_us, t.trigger_kind, t.trigger_reason, t.trigger_service, t.triggered_at_ms, "
            + "t.completed_at_ms, t.updated_at_ms, t.span_count, t.message_count, t.log_count";

    private static TraceSummary summary(ResultSet rs) throws SQLException {
        List<String> services;
        try {
            services = Json.MAPPER.readValue(rs.getString(4), STRING_LIST);
        } catch (IOException e) {
            services = List.of();
        }
        return new TraceSummary(rs.getString(1), rs.getString(2), rs.getString(3), services,
                nullableLong(rs, 5), nullableLong(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9),
                nullableLong(rs, 10), nullableLong(rs, 11), rs.getLong(12), rs.getInt(13), rs.getInt(14),
                rs.getInt(15));
    }

    private static List<String> jsonColumn(Connection c, String sql, String traceId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // ---------------------------------------------------------------- lifecycle

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("store is closed");
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeQuietly() {
        Map<Connection, Boolean> all = new HashMap<>();
        for (Connection c : allReaders) {
            all.put(c, true);
        }
        all.put(writer, true);
        for (Connection c : all.keySet()) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("closing database connection failed: {}", e.getMessage());
            }
        }
    }
}
