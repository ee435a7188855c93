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
import java.util.Arrays;
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
 * connections serves queries concurrently, which WAL mode allows. Writes that arrive while another
 * commits are committed together (group commit, see {@link #write}): each batch is all or nothing
 * in its own savepoint, and the summary of each trace it touched is recomputed inside it, so
 * readers never see records without their summary.
 */
public final class Store implements AutoCloseable {
    /** Version stored in {@code meta.schema_version}. */
    public static final int SCHEMA_VERSION = 4;
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final int READERS = 4;
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final String url;
    private final Connection writer;
    /** The writer's prepared statements, reused across writes; guarded by {@link #writeLock}. */
    private final WriterStatements statements;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private volatile boolean closed;

    private Store(Path file) throws SQLException {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.writer = open(false);
        this.statements = new WriterStatements(writer);
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
            if (version != null && version == SCHEMA_VERSION) {
                return;
            }
            // Creation and every migration step commit together: a failed migration leaves the
            // database as it was.
            writer.setAutoCommit(false);
            try {
                if (version == null) {
                    for (String ddl : Schema.V1) {
                        st.execute(ddl);
                    }
                    version = 1;
                } else {
                    log.info("migrating the database from schema version {} to {}", version, SCHEMA_VERSION);
                }
                if (version == 1) {
                    migrateV1ToV2(st);
                    version = 2;
                }
                if (version == 2) {
                    for (String ddl : Schema.V2_TO_V3) {
                        st.execute(ddl);
                    }
                    version = 3;
                }
                if (version == 3) {
                    for (String ddl : Schema.V3_TO_V4) {
                        st.execute(ddl);
                    }
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

    private void migrateV1ToV2(Statement st) throws SQLException {
        long started = System.nanoTime();
        for (String ddl : Schema.V1_TO_V2) {
            st.execute(ddl);
        }
        // A trace's creation time was not kept in version 1; its first trigger's arrival is the same moment.
        st.execute("""
                UPDATE traces SET created_at_ms = coalesce(
                  (SELECT min(g.received_at_ms) FROM triggers g WHERE g.trace_id = traces.trace_id), updated_at_ms)""");
        record Row(String traceId, String status, String name) {
        }
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT trace_id, status, name FROM traces")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        for (Row row : rows) {
            Summaries.regroup(statements, row.traceId(), row.status(), row.name());
        }
        if (!rows.isEmpty()) {
            log.info("grouped {} stored trace(s) in {} ms", rows.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * A unit of work on the writer connection inside one transaction. It takes its statements from
     * {@code w} and does not close them.
     */
    private interface WriteTx<T> {
        T run(WriterStatements w) throws SQLException;
    }

    /** Most writes committed together in one group commit. */
    static final int MAX_GROUP = 256;

    /** A write waiting for (or done by) a group commit; its fields are guarded by {@link #writeLock}. */
    private static final class Pending<T> {
        final WriteTx<T> work;
        T result;
        Throwable error;
        boolean done;

        Pending(WriteTx<T> work) {
            this.work = work;
        }
    }

    /** Writes queued for the next group commit, in arrival order. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Pending<?>> pendingWrites =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Runs {@code work} in a transaction and returns once it is committed (durable: synchronous
     * FULL), or throws what failed it.
     *
     * <p>Group commit: the write is queued; whoever holds the write lock next takes every queued
     * write (up to {@value #MAX_GROUP}) and runs them one after the other in one transaction, each
     * inside its own savepoint, then commits once (one fsync for all). A write that fails is rolled
     * back to its savepoint and reports its own error; its neighbours still commit. When the
     * transaction as a whole cannot go on (a failed savepoint rollback, a failed commit), it is
     * rolled back and each write that had not failed on its own runs again alone, in its own
     * transaction, as before group commit. So each write stays all or nothing, and is acknowledged
     * only after the commit that holds it. See {@code RATIONALE-storage.md}.
     */
    private <T> T write(WriteTx<T> work) throws SQLException {
        Pending<T> mine = new Pending<>(work);
        pendingWrites.add(mine);
        writeLock.lock();
        try {
            if (!mine.done) {
                runGroup();
            }
        } finally {
            writeLock.unlock();
        }
        if (mine.error instanceof SQLException e) {
            throw e;
        }
        if (mine.error instanceof RuntimeException e) {
            throw e;
        }
        if (mine.error instanceof Error e) {
            throw e;
        }
        return mine.result;
    }

    /** Under the write lock: commits the queued writes as one group (see {@link #write}). */
    private void runGroup() {
        List<Pending<?>> group = new ArrayList<>();
        for (Pending<?> p; group.size() < MAX_GROUP && (p = pendingWrites.poll()) != null; ) {
            group.add(p);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            ensureOpen();
        } catch (SQLException e) {
            for (Pending<?> p : group) {
                finish(p, null, e);
            }
            return;
        }
        if (group.size() == 1) {
            runAlone(group.get(0));
            return;
        }
        Map<String, long[]> counters = exportCounters();
        boolean broken = false;
        Throwable groupError = null;
        try {
            writer.setAutoCommit(false);
            try (Statement st = writer.createStatement()) {
                for (Pending<?> p : group) {
                    Map<String, long[]> before = exportCounters();
                    st.execute("SAVEPOINT batch");
                    try {
                        runInto(p);
                        st.execute("RELEASE batch");
                    } catch (SQLException | RuntimeException e) {
                        statements.clear();
                        restoreExportCounters(before);
                        p.error = e;
                        try {
                            st.execute("ROLLBACK TO batch");
                            st.execute("RELEASE batch");
                        } catch (SQLException transactionGone) {
                            // SQLite rolled the whole transaction back (I/O error, disk full...):
                            // the writes before this one are gone too.
                            e.addSuppressed(transactionGone);
                            broken = true;
                            break;
                        }
                    }
                }
                if (!broken) {
                    writer.commit();
                }
            }
        } catch (SQLException | RuntimeException e) {
            broken = true;
            groupError = e;
        }
        if (broken) {
            statements.clear();
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                if (groupError != null) {
                    groupError.addSuppressed(suppressed);
                }
            }
        }
        try {
            writer.setAutoCommit(true);
        } catch (SQLException e) {
            log.warn("cannot restore autocommit on the writer connection: {}", e.getMessage());
        }
        if (broken) {
            restoreExportCounters(counters);
            log.debug("group commit of {} writes failed ({}): each runs alone", group.size(),
                    groupError == null ? "rollback to savepoint failed" : groupError.toString());
            for (Pending<?> p : group) {
                if (p.error == null) {
                    runAlone(p);
                } else {
                    p.done = true;
                }
            }
        } else {
            for (Pending<?> p : group) {
                p.done = true;
            }
        }
    }

    /** Runs one write in its own transaction (the protocol before group commit). */
    private void runAlone(Pending<?> p) {
        Map<String, long[]> counters = exportCounters();
        try {
            writer.setAutoCommit(false);
            try {
                runInto(p);
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                // sqlite-jdbc finalizes a statement on most errors (one that cannot run again
                // still reports itself open): the next write prepares its statements afresh.
                statements.clear();
                restoreExportCounters(counters);
                p.result = null;
                p.error = e;
                try {
                    writer.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (p.error == null) {
                p.error = e;
            }
        }
        p.done = true;
    }

    private <T> void runInto(Pending<T> p) throws SQLException {
        p.result = null;
        p.error = null;
        p.result = p.work.run(statements);
    }

    private static <T> void finish(Pending<T> p, T result, Throwable error) {
        p.result = result;
        p.error = error;
        p.done = true;
    }

    /** A copy of the export queue counters, to undo a rolled-back write's changes to them. */
    private Map<String, long[]> exportCounters() {
        Map<String, long[]> copy = new HashMap<>();
        for (Map.Entry<String, long[]> e : exportPending.entrySet()) {
            copy.put(e.getKey(), e.getValue().clone());
        }
        return copy;
    }

    private void restoreExportCounters(Map<String, long[]> copy) {
        for (Map.Entry<String, long[]> e : exportPending.entrySet()) {
            long[] saved = copy.get(e.getKey());
            if (saved != null) {
                System.arraycopy(saved, 0, e.getValue(), 0, saved.length);
            }
        }
    }

    /** Returns the key generated on an earlier start, or stores a new one from {@code generator}. */
    public String generatedApiKey(Supplier<String> generator) throws SQLException {
        return write(w -> {
            try (ResultSet rs = w.get("SELECT value FROM meta WHERE key = 'generated_api_key'").executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            String key = generator.get();
            PreparedStatement ps = w.get("INSERT INTO meta(key, value) VALUES ('generated_api_key', ?)");
            ps.setString(1, key);
            ps.executeUpdate();
            return key;
        });
    }

    /**
     * Marks traces left incomplete by an earlier run as complete: their collection state was in
     * memory and is gone, so nobody will finish them.
     */
    public int closeInterruptedCollections(long nowMs) throws SQLException {
        return write(w -> {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = w.get("SELECT trace_id FROM traces WHERE completed_at_ms IS NULL").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            PreparedStatement ps = w.get(
                    "UPDATE traces SET completed_at_ms = ?, updated_at_ms = ? WHERE completed_at_ms IS NULL");
            ps.setLong(1, nowMs);
            ps.setLong(2, nowMs);
            int n = ps.executeUpdate();
            enqueueExports(w, ids, nowMs);
            return n;
        });
    }

    /** Records (or refreshes) an agent's registration. */
    public void upsertAgent(Registration r, long nowMs) throws SQLException {
        write(w -> {
            PreparedStatement ps = w.get("""
                    INSERT INTO agents(agent_id, service, host, pid, sdk, authorities, registered_at_ms, last_seen_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET service = excluded.service, host = excluded.host,
                      pid = excluded.pid, sdk = excluded.sdk, authorities = excluded.authorities,
                      registered_at_ms = excluded.registered_at_ms, last_seen_at_ms = excluded.last_seen_at_ms
                    """);
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
            return null;
        });
    }

    /** Stores agents' last-seen times (flushed periodically rather than on every poll). */
    public void touchAgents(Map<String, Long> lastSeenByAgent) throws SQLException {
        if (lastSeenByAgent.isEmpty()) {
            return;
        }
        write(w -> {
            PreparedStatement ps = w.get("UPDATE agents SET last_seen_at_ms = max(last_seen_at_ms, ?) WHERE agent_id = ?");
            for (Map.Entry<String, Long> e : lastSeenByAgent.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Sets {@code completed_at_ms} unless the trace is already complete; in the same transaction,
     * queues the trace for every exporter (see {@link #exportTo}).
     */
    public void markComplete(String traceId, long completedAtMs) throws SQLException {
        boolean queued = write(w -> {
            PreparedStatement ps = w.get(
                    "UPDATE traces SET completed_at_ms = ?, updated_at_ms = ? WHERE trace_id = ? AND completed_at_ms IS NULL");
            ps.setLong(1, completedAtMs);
            ps.setLong(2, completedAtMs);
            ps.setString(3, traceId);
            return ps.executeUpdate() > 0 && enqueueExports(w, List.of(traceId), completedAtMs);
        });
        if (queued) {
            exportListener.run();
        }
    }

    /**
     * Stores a validated batch in one transaction.
     *
     * <p>Triggers create their trace. An entry is stored only when its trace is known (stored
     * before, or triggered in this batch); otherwise it is dropped. Spans are upserted so that a
     * finished span replaces a {@code started} one but never the reverse; messages and logs are
     * deduplicated by {@code (traceId, agentId, seq)}. The records' JSON objects get
     * {@code service} and {@code agentId} added. New records of a trace that was complete before
     * the batch are late data: the trace is queued again for the exporters that re-export (see
     * {@link #exportTo}).
     *
     * <p>Counted triggers ({@link Batch#counted()}): one whose trace is stored becomes a trigger of
     * it (an extra reason; no occurrence of its own, the trace is the occurrence). Another is one
     * occurrence in {@code group_counts} at once, and waits in {@code counted_triggers} for its
     * trace until {@link #forgetCounted}: a trace created meanwhile takes its counted triggers as
     * triggers, and their occurrence is taken back. See {@code Counts}.
     */
    public IngestResult ingest(Batch batch, String service, long nowMs) throws SQLException {
        boolean[] requeued = new boolean[1];
        IngestResult result = write(w -> {
            Map<String, IngestResult.Known> before = new LinkedHashMap<>();
            Set<String> touched = new LinkedHashSet<>();
            Set<String> kept = new LinkedHashSet<>();
            Set<String> dropped = new LinkedHashSet<>();
            Set<String> late = new LinkedHashSet<>();
            String agentId = batch.agentId();
            int accepted = 0;
            PreparedStatement known = w.get("SELECT completed_at_ms FROM traces WHERE trace_id = ?");
            PreparedStatement newTrace = w.get("""
                    INSERT INTO traces(trace_id, status, services, triggered_at_ms, updated_at_ms, created_at_ms)
                    VALUES (?, 'ok', '[]', ?, ?, ?) ON CONFLICT(trace_id) DO NOTHING""");
            PreparedStatement trigger = w.get("""
                    INSERT OR IGNORE INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""");
            PreparedStatement span = w.get("""
                    INSERT INTO spans(trace_id, span_id, agent_id, service, parent_span_id, name, kind, status,
                                      start_us, end_us, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(trace_id, span_id) DO UPDATE SET agent_id = excluded.agent_id,
                      service = excluded.service, parent_span_id = excluded.parent_span_id, name = excluded.name,
                      kind = excluded.kind, status = excluded.status, start_us = excluded.start_us,
                      end_us = excluded.end_us, json = excluded.json
                    WHERE spans.status = 'started' AND excluded.status <> 'started'""");
            PreparedStatement message = w.get("""
                    INSERT OR IGNORE INTO messages(trace_id, agent_id, seq, service, span_id, direction, method, url,
                                                   status, start_us, duration_us, request_body, response_body, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
            PreparedStatement logRow = w.get("""
                    INSERT OR IGNORE INTO logs(trace_id, agent_id, seq, service, span_id, time_us, level, logger,
                                               message, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
            PreparedStatement crumb = w.get("""
                    INSERT OR IGNORE INTO breadcrumbs(trace_id, agent_id, service, role, peer_agent_id, authority, span_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""");
            try {
                for (Batch.Trigger t : batch.triggers()) {
                    before.computeIfAbsent(t.traceId(), id -> knownState(known, id));
                    newTrace.setString(1, t.traceId());
                    newTrace.setLong(2, t.atMs());
                    newTrace.setLong(3, nowMs);
                    newTrace.setLong(4, nowMs);
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
                Counts.Deltas deltas = new Counts.Deltas();
                for (String traceId : triggered) {
                    if (before.get(traceId) == IngestResult.Known.UNKNOWN) {
                        Counts.absorb(w, traceId, deltas);
                    }
                }
                for (Batch.Counted counted : batch.counted()) {
                    Counts.store(w, counted, agentId, service, nowMs, touched, deltas);
                }
                deltas.apply(w);

                for (Batch.TraceEntry e : batch.traces()) {
                    String traceId = e.traceId();
                    IngestResult.Known state = before.computeIfAbsent(traceId, id -> knownState(known, id));
                    if (state == IngestResult.Known.UNKNOWN && !triggered.contains(traceId)) {
                        dropped.add(traceId);
                        continue;
                    }
                    kept.add(traceId);
                    touched.add(traceId);
                    int acceptedBefore = accepted;
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
                    if (state == IngestResult.Known.COMPLETE && accepted > acceptedBefore) {
                        late.add(traceId);
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
                Summaries.recompute(w, traceId, nowMs);
            }
            requeued[0] = requeueLate(w, late, nowMs);
            return new IngestResult(accepted, before, kept, dropped);
        });
        if (requeued[0]) {
            exportListener.run();
        }
        return result;
    }

    // ---------------------------------------------------------------- counted triggers

    /** Traces whose count window one {@link #forgetCounted} call ends, at most: one short transaction each. */
    public static final int FORGET_CHUNK = 5_000;

    /**
     * Ends the count window of the counted triggers that arrived more than {@code windowMs} before
     * {@code nowMs}: their ids are forgotten, so their trace, should it still be stored, can no
     * longer take them as triggers (it is then one occurrence more). Their occurrences stay
     * counted: they are in {@code group_counts} since they arrived. A trace's rows go together,
     * at most {@value #FORGET_CHUNK} traces per call, by the index of arrival times.
     *
     * @return the rows forgotten; {@value #FORGET_CHUNK} or more means more may be due
     */
    public int forgetCounted(long nowMs, long windowMs) throws SQLException {
        return write(w -> Counts.forget(w, nowMs - windowMs, FORGET_CHUNK));
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

    // ---------------------------------------------------------------- export queue

    /**
     * Names the exporters that completed traces are queued for, and bounds each one's queue:
     * past {@code maxPending} waiting traces, a newly completed trace is not queued for that
     * exporter (it stays stored; the skip is counted and logged). Rows of exporters not named are
     * kept, untouched, for when they are configured again.
     *
     * @param reexportLate the exporters (of {@code exporters}) that get a trace again, whole, when
     *     late records of it are stored: queued again when it was sent already, and, while it
     *     waits, its row is marked so that an export in flight does not remove it. A dead letter
     *     stays one.
     */
    public void exportTo(List<String> exporters, java.util.Collection<String> reexportLate, long maxPending)
            throws SQLException {
        write(w -> {
            Map<String, long[]> counts = new LinkedHashMap<>();
            PreparedStatement ps = w.get(
                    "SELECT count(*) FROM export_queue WHERE exporter = ? AND next_attempt_at_ms IS NOT NULL");
            for (String e : exporters) {
                ps.setString(1, e);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.put(e, new long[] {rs.getLong(1), 0});
                }
            }
            this.exportPending = counts;
            this.exportLate = List.copyOf(reexportLate);
            this.exportMaxPending = maxPending;
            return null;
        });
    }

    /** Guarded by writeLock: per exporter, {pending rows, traces skipped because the queue was full}. */
    private Map<String, long[]> exportPending = Map.of();
    /** Guarded by writeLock: exporters that get late records (a subset of exportPending's keys). */
    private List<String> exportLate = List.of();
    private long exportMaxPending;
    private long lastFullWarningMs;

    /** Called after a commit that queued exports (outside the write lock). */
    public void onExportQueued(Runnable listener) {
        this.exportListener = listener;
    }

    private volatile Runnable exportListener = () -> { };

    private boolean enqueueExports(WriterStatements w, List<String> traceIds, long nowMs) throws SQLException {
        if (exportPending.isEmpty() || traceIds.isEmpty()) {
            return false;
        }
        boolean queued = false;
        for (String exporter : exportPending.keySet()) {
            for (String traceId : traceIds) {
                queued |= enqueue(w, exporter, traceId, nowMs);
            }
        }
        return queued;
    }

    /** Queues one trace for one exporter unless a row (pending or dead) exists or the queue is full. */
    private boolean enqueue(WriterStatements w, String exporter, String traceId, long nowMs) throws SQLException {
        long[] c = exportPending.get(exporter);
        if (c[0] >= exportMaxPending) {
            c[1]++;
            if (nowMs - lastFullWarningMs > 10_000) {
                lastFullWarningMs = nowMs;
                log.warn("export queue of {} is full ({} traces waiting): trace {} is stored but not "
                        + "exported ({} skipped so far)", exporter, c[0], traceId, c[1]);
            }
            return false;
        }
        PreparedStatement ps = w.get("""
                INSERT OR IGNORE INTO export_queue(trace_id, exporter, enqueued_at_ms, attempts, next_attempt_at_ms)
                VALUES (?, ?, ?, 0, ?)""");
        ps.setString(1, traceId);
        ps.setString(2, exporter);
        ps.setLong(3, nowMs);
        ps.setLong(4, nowMs);
        int n = ps.executeUpdate();
        c[0] += n;
        return n > 0;
    }

    /**
     * Late records of complete traces: each exporter that re-exports gets the trace again. A
     * waiting row gets a later {@code enqueued_at_ms}, always a new value, which is what
     * {@link #exportsDone} compares: an export that read the trace before these records does not
     * remove the row.
     */
    private boolean requeueLate(WriterStatements w, Set<String> traceIds, long nowMs) throws SQLException {
        if (exportLate.isEmpty() || traceIds.isEmpty()) {
            return false;
        }
        boolean queued = false;
        PreparedStatement touch = w.get("""
                UPDATE export_queue SET enqueued_at_ms = max(?, enqueued_at_ms + 1)
                WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
        for (String exporter : exportLate) {
            for (String traceId : traceIds) {
                touch.setLong(1, nowMs);
                touch.setString(2, traceId);
                touch.setString(3, exporter);
                if (touch.executeUpdate() > 0) {
                    queued = true;
                } else {
                    queued |= enqueue(w, exporter, traceId, nowMs);
                }
            }
        }
        return queued;
    }

    /** A queued export: its trace and how many attempts failed so far. */
    public record QueuedExport(String traceId, int attempts, long enqueuedAtMs) {
    }

    /** Up to {@code limit} exports of {@code exporter} due at {@code nowMs}, oldest due first. */
    public List<QueuedExport> dueExports(String exporter, long nowMs, int limit) throws SQLException {
        return read(c -> {
            List<QueuedExport> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT trace_id, attempts, enqueued_at_ms FROM export_queue INDEXED BY export_queue_due
                    WHERE exporter = ? AND next_attempt_at_ms IS NOT NULL AND next_attempt_at_ms <= ?
                    ORDER BY next_attempt_at_ms LIMIT ?""")) {
                ps.setString(1, exporter);
                ps.setLong(2, nowMs);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new QueuedExport(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Removes exports that are done (sent, or filtered out), each as {@link #dueExports} read it: a
     * row queued again since (late records) stays.
     */
    public void exportsDone(String exporter, java.util.Collection<QueuedExport> done) throws SQLException {
        write(w -> {
            PreparedStatement ps = w.get("""
                    DELETE FROM export_queue WHERE trace_id = ? AND exporter = ? AND enqueued_at_ms = ?
                      AND next_attempt_at_ms IS NOT NULL""");
            long removed = 0;
            for (QueuedExport q : done) {
                ps.setString(1, q.traceId());
                ps.setString(2, exporter);
                ps.setLong(3, q.enqueuedAtMs());
                removed += ps.executeUpdate();
            }
            long[] c = exportPending.get(exporter);
            if (c != null) {
                c[0] = Math.max(0, c[0] - removed);
            }
            return null;
        });
    }

    /** Counts a failed attempt; the export is due again at {@code nextAttemptAtMs}. */
    public void exportsRetry(String exporter, java.util.Collection<String> traceIds, long nextAttemptAtMs,
                             String error) throws SQLException {
        write(w -> {
            PreparedStatement ps = w.get("""
                    UPDATE export_queue SET attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?
                    WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
            for (String id : traceIds) {
                ps.setLong(1, nextAttemptAtMs);
                ps.setString(2, cut(error));
                ps.setString(3, id);
                ps.setString(4, exporter);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Most dead letters kept per exporter; older ones are deleted. */
    static final int MAX_DEAD_LETTERS = 10_000;

    /** Gives up on exports: they stay as dead letters (at most {@value #MAX_DEAD_LETTERS} per exporter). */
    public void exportsDead(String exporter, java.util.Collection<String> traceIds, String error, long nowMs)
            throws SQLException {
        write(w -> {
            PreparedStatement ps = w.get("""
                    UPDATE export_queue SET attempts = attempts + 1, next_attempt_at_ms = NULL, last_error = ?,
                      dead_at_ms = ?
                    WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
            long moved = 0;
            for (String id : traceIds) {
                ps.setString(1, cut(error));
                ps.setLong(2, nowMs);
                ps.setString(3, id);
                ps.setString(4, exporter);
                moved += ps.executeUpdate();
            }
            long[] c = exportPending.get(exporter);
            if (c != null) {
                c[0] = Math.max(0, c[0] - moved);
            }
            PreparedStatement prune = w.get("""
                    DELETE FROM export_queue WHERE rowid IN (SELECT rowid FROM export_queue INDEXED BY export_queue_dead
                      WHERE exporter = ? AND dead_at_ms IS NOT NULL ORDER BY dead_at_ms DESC LIMIT -1 OFFSET ?)""");
            prune.setString(1, exporter);
            prune.setInt(2, MAX_DEAD_LETTERS);
            prune.executeUpdate();
            return null;
        });
    }

    /** The state of one exporter's queue. */
    public record ExportQueueStats(long pending, long deadLetters, Long oldestPendingEnqueuedAtMs, long skipped) {
    }

    /** Counts of {@code exporter}'s queue; reads the database. */
    public ExportQueueStats exportQueueStats(String exporter) throws SQLException {
        long skipped;
        writeLock.lock();
        try {
            long[] c = exportPending.get(exporter);
            skipped = c == null ? 0 : c[1];
        } finally {
            writeLock.unlock();
        }
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(next_attempt_at_ms), count(*) - count(next_attempt_at_ms),
                      min(CASE WHEN next_attempt_at_ms IS NOT NULL THEN enqueued_at_ms END)
                    FROM export_queue WHERE exporter = ?""")) {
                ps.setString(1, exporter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new ExportQueueStats(rs.getLong(1), rs.getLong(2), nullableLong(rs, 3), skipped);
                }
            }
        });
    }

    private static String cut(String error) {
        return error == null || error.length() <= 2_000 ? error : error.substring(0, 2_000);
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

    /** Searches trace summaries, newest start first, one page at a time. */
    public TracePage findTraces(TraceQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.status() != null) {
            where.append(" AND t.status = ?");
            args.add(q.status());
        }
        if (q.fingerprint() != null) {
            where.append(" AND t.fingerprint = ?");
            args.add(q.fingerprint());
        }
        traceFilters(where, args, q.service(), q.text(), q.fromUs(), q.toUs());
        String page = "SELECT " + SUMMARY_COLUMNS + " FROM traces t" + where
                + " ORDER BY t.started_at_us DESC, t.trace_id DESC LIMIT ? OFFSET ?";
        String count = "SELECT count(*) FROM traces t" + where;
        return read(c -> {
            List<TraceSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(page)) {
                int i = bind(ps, args);
                ps.setInt(i++, q.limit());
                ps.setLong(i, q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                }
            }
            long total;
            if (q.offset() == 0 && out.size() < q.limit()) {
                total = out.size();
            } else {
                total = count(c, count, args);
            }
            return new TracePage(out, total);
        });
    }

    /** The filters traces and groups share; {@code t} is the {@code traces} table. */
    private static void traceFilters(StringBuilder where, List<Object> args, String service, String text, Long fromUs,
                                     Long toUs) {
        if (service != null) {
            // services is a JSON array of strings written by the same mapper: the quoted name
            // occurs in it exactly when the service is an element.
            where.append(" AND instr(t.services, ?) > 0");
            args.add(new String(Json.bytes(service), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (fromUs != null) {
            where.append(" AND t.started_at_us >= ?");
            args.add(fromUs);
        }
        if (toUs != null) {
            where.append(" AND t.started_at_us < ?");
            args.add(toUs);
        }
        if (text != null) {
            String like = like(text);
            where.append(" ").append("""
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
    }

    /** Binds {@code args} from parameter 1; returns the next parameter index. */
    /** Runs a {@code SELECT count(*)} with the same filter arguments as the page it counts. */
    private static long count(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return args.size() + 1;
    }

    /**
     * Searches error groups, newest last occurrence first, one page at a time. The filters select
     * stored traces and counted occurrences (see {@link GroupQuery}); a group is made of those
     * selected, and listed when it has any.
     */
    public GroupPage findGroups(GroupQuery q) throws SQLException {
        List<Object> args = new ArrayList<>();
        // Stored traces, aggregated per group by walking traces_by_fingerprint.
        StringBuilder traceWhere = new StringBuilder(" WHERE t.fingerprint IS NOT NULL");
        if (q.fingerprint() != null) {
            traceWhere.append(" AND t.fingerprint = ?");
            args.add(q.fingerprint());
        }
        traceFilters(traceWhere, args, q.service(), q.text(), q.fromUs(), q.toUs());
        String traces = """
                SELECT t.fingerprint AS fp, min(t.group_service) AS service, min(t.group_endpoint) AS endpoint,
                  min(t.group_problem) AS problem, min(t.group_kind) AS kind, count(*) AS traces,
                  count(*) AS occurrences, total(t.created_at_ms > coalesce(tr.updated_at_ms, -1)) AS new,
                  min(t.started_at_us) AS first_us, max(t.started_at_us) AS last_us,
                  max(printf('%020d', coalesce(t.started_at_us, 0)) || t.trace_id) AS last_key
                FROM traces t LEFT JOIN triage tr ON tr.fingerprint = t.fingerprint""" + traceWhere
                + " GROUP BY t.fingerprint";
        // Counted occurrences, per group and minute: a minute is selected whole when any of it is in range.
        StringBuilder countedWhere = new StringBuilder(" WHERE 1 = 1");
        countFilters(countedWhere, args, q);
        String counted = """
                SELECT g.fingerprint, min(g.service), min(g.endpoint), min(g.problem), min(g.kind), 0,
                  sum(g.occurrences), 0, min(g.first_at_ms) * 1000, max(g.last_at_ms) * 1000, NULL
                FROM group_counts g""" + countedWhere + " GROUP BY g.fingerprint";
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (q.status() != null) {
            switch (q.status()) {
                case "error" -> where.append(" AND o.kind = 'error' AND coalesce(tr.mark, 'none') <> 'crash'");
                case "crash" -> where.append(" AND tr.mark = 'crash'");
                case "ok" -> where.append(" AND o.kind <> 'error'");
                default -> throw new IllegalArgumentException("status " + q.status());
            }
        }
        if (q.speed() != null) {
            switch (q.speed()) {
                case "slow" -> where.append(" AND o.kind = 'slow'");
                case "fast" -> where.append(" AND o.kind <> 'slow'");
                default -> throw new IllegalArgumentException("speed " + q.speed());
            }
        }
        switch (q.silenced() == null ? "hide" : q.silenced()) {
            case "hide" -> where.append(" AND coalesce(tr.mark, 'none') <> 'silenced'");
            case "only" -> where.append(" AND tr.mark = 'silenced'");
            case "show" -> {
            }
            default -> throw new IllegalArgumentException("silenced " + q.silenced());
        }
        String from = " FROM (" + traces + " UNION ALL " + counted
                + ") o LEFT JOIN triage tr ON tr.fingerprint = o.fp" + where + " GROUP BY o.fp";
        // The group columns are equal on all rows of a group (the fingerprint is their hash), and
        // so is the joined triage. The last trace is the greatest (start, id), as in trace lists.
        String page = """
                SELECT o.fp, min(o.service), min(o.endpoint), min(o.problem), min(o.kind), sum(o.traces),
                  sum(o.occurrences), sum(o.new), min(o.first_us), max(o.last_us), substr(max(o.last_key), 21),
                  min(tr.mark), min(tr.level), min(tr.note), min(tr.updated_at_ms), count(*) OVER ()""" + from
                + " ORDER BY max(o.last_us) DESC, o.fp DESC LIMIT ? OFFSET ?";
        String count = "SELECT count(*) FROM (SELECT o.fp" + from + ")";
        return read(c -> {
            List<GroupRow> out = new ArrayList<>();
            long total = -1;
            try (PreparedStatement ps = c.prepareStatement(page)) {
                int i = bind(ps, args);
                ps.setInt(i++, q.limit());
                ps.setLong(i, q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String mark = rs.getString(12);
                        Triage triage = mark == null ? Triage.NONE
                                : new Triage(mark, rs.getString(13), rs.getString(14), nullableLong(rs, 15));
                        out.add(new GroupRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), nullableLong(rs, 9),
                                nullableLong(rs, 10), rs.getString(11), triage));
                        total = rs.getLong(16);
                    }
                }
            }
            if (total < 0) {
                // A page past the end has no row to carry the total.
                total = count(c, count, args);
            }
            return new GroupPage(out, total);
        });
    }

    /**
     * The filters of counted occurrences ({@code group_counts g}), whose group is all that is known
     * of them: the service is the group's (the origin), the text is matched against its endpoint
     * and problem, and the time range against each minute's {@code [first_at_ms, last_at_ms]}
     * (milliseconds; the range is in microseconds).
     */
    private static void countFilters(StringBuilder where, List<Object> args, GroupQuery q) {
        if (q.fingerprint() != null) {
            where.append(" AND g.fingerprint = ?");
            args.add(q.fingerprint());
        }
        if (q.service() != null) {
            where.append(" AND g.service = ?");
            args.add(q.service());
        }
        if (q.fromUs() != null) {
            where.append(" AND g.last_at_ms * 1000 >= ?");
            args.add(q.fromUs());
        }
        if (q.toUs() != null) {
            where.append(" AND g.first_at_ms * 1000 < ?");
            args.add(q.toUs());
        }
        if (q.text() != null) {
            where.append(" AND (g.endpoint LIKE ? ESCAPE '\\' OR g.problem LIKE ? ESCAPE '\\')");
            args.add(like(q.text()));
            args.add(like(q.text()));
        }
    }

    /** A LIKE pattern matching {@code text} anywhere, with a backslash as the escape character. */
    private static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** One error group over all its traces and counts, or empty when nothing has that fingerprint. */
    public Optional<GroupRow> group(String fingerprint) throws SQLException {
        List<GroupRow> found = findGroups(GroupQuery.of(fingerprint)).groups();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Changes the triage of a group; the change time is {@code nowMs} even when no value changed
     * (a triage is also an acknowledgement of the traces so far).
     *
     * @return false, changing nothing, when no stored trace and no counted occurrence has that
     *     fingerprint
     */
    public boolean updateTriage(String fingerprint, TriageUpdate update, long nowMs) throws SQLException {
        return write(w -> {
            PreparedStatement exists = w.get("""
                    SELECT 1 FROM traces WHERE fingerprint = ?1
                    UNION ALL SELECT 1 FROM group_counts WHERE fingerprint = ?1 LIMIT 1""");
            exists.setString(1, fingerprint);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            PreparedStatement ps = w.get("""
                    INSERT INTO triage(fingerprint, mark, level, note, updated_at_ms)
                    VALUES (?1, coalesce(?2, 'none'), coalesce(?3, 'none'), ?5, ?6)
                    ON CONFLICT(fingerprint) DO UPDATE SET mark = coalesce(?2, mark), level = coalesce(?3, level),
                      note = CASE WHEN ?4 THEN ?5 ELSE note END, updated_at_ms = ?6""");
            ps.setString(1, fingerprint);
            ps.setString(2, update.mark());
            ps.setString(3, update.level());
            ps.setBoolean(4, update.noteGiven());
            ps.setString(5, update.note());
            ps.setLong(6, nowMs);
            ps.executeUpdate();
            return true;
        });
    }

    /**
     * Duration statistics of the finished spans starting in {@code [fromUs, toUs)}, per service,
     * name and kind.
     *
     * @param toUs exclusive upper bound, or null for none
     * @param service only this service, or null
     */
    public List<SpanStats> spanStats(long fromUs, Long toUs, String service) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                SELECT service, name, kind, group_concat(end_us - start_us)
                FROM spans INDEXED BY spans_for_stats
                WHERE start_us >= ? AND end_us IS NOT NULL""");
        List<Object> args = new ArrayList<>();
        args.add(fromUs);
        if (toUs != null) {
            sql.append(" AND start_us < ?");
            args.add(toUs);
        }
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        // The index is in group order: one pass, no sort in SQL; each group's durations are
        // sorted here, which costs less than ranking them in SQL.
        sql.append(" GROUP BY name, service, kind");
        return read(c -> {
            List<SpanStats> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] durations = parseLongs(rs.getString(4));
                        Arrays.sort(durations);
                        int n = durations.length;
                        out.add(new SpanStats(rs.getString(1), rs.getString(2), rs.getString(3), n,
                                durations[nearestRank(50, n) - 1], durations[nearestRank(95, n) - 1],
                                durations[n - 1]));
                    }
                }
            }
            return out;
        });
    }

    /** The 1-based rank of the p-th percentile of n sorted values: ceil(p * n / 100). */
    static int nearestRank(int p, int n) {
        return Math.max(1, (int) ((p * (long) n + 99) / 100));
    }

    /** The numbers of a {@code group_concat} of integers. */
    private static long[] parseLongs(String csv) {
        long[] out = new long[16];
        int count = 0;
        long value = 0;
        boolean negative = false;
        for (int i = 0, len = csv.length(); i <= len; i++) {
            char ch = i < len ? csv.charAt(i) : ',';
            if (ch == ',') {
                if (count == out.length) {
                    out = Arrays.copyOf(out, count * 2);
                }
                out[count++] = negative ? -value : value;
                value = 0;
                negative = false;
            } else if (ch == '-') {
                negative = true;
            } else {
                value = value * 10 + (ch - '0');
            }
        }
        return Arrays.copyOf(out, count);
    }

    // ---------------------------------------------------------------- browser sessions

    /** Stores a new session (by the SHA-256 of its id) and drops the expired ones. */
    public void createSession(String idSha256, long nowMs, long expiresAtMs) throws SQLException {
        write(w -> {
            PreparedStatement expired = w.get("DELETE FROM sessions WHERE expires_at_ms <= ?");
            expired.setLong(1, nowMs);
            expired.executeUpdate();
            PreparedStatement ps = w.get("INSERT INTO sessions(id_sha256, created_at_ms, expires_at_ms) VALUES (?, ?, ?)");
            ps.setString(1, idSha256);
            ps.setLong(2, nowMs);
            ps.setLong(3, expiresAtMs);
            ps.executeUpdate();
            return null;
        });
    }

    /** Whether a session with this id hash exists and has not expired at {@code nowMs}. */
    public boolean sessionValid(String idSha256, long nowMs) throws SQLException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM sessions WHERE id_sha256 = ? AND expires_at_ms > ?")) {
                ps.setString(1, idSha256);
                ps.setLong(2, nowMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Deletes a session; nothing happens when it does not exist. */
    public void deleteSession(String idSha256) throws SQLException {
        write(w -> {
            PreparedStatement ps = w.get("DELETE FROM sessions WHERE id_sha256 = ?");
            ps.setString(1, idSha256);
            ps.executeUpdate();
            return null;
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

    /** The trace's error group, or empty when unknown. */
    public Optional<String> fingerprint(String traceId) throws SQLException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM traces WHERE trace_id = ?")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
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

    /** How many statements the writer connection has prepared since the store opened. */
    int writerStatementsPrepared() {
        writeLock.lock();
        try {
            return statements.prepared();
        } finally {
            writeLock.unlock();
        }
    }

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
        statements.close();
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
