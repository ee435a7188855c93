package io.mintaro.collector.store.internal;

import io.mintaro.collector.internal.Sha256;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * PostgreSQL: writers run concurrently, on several connections and several collectors. Writers of
 * the same trace take its advisory lock first, in trace-id order, so that a trace's summary is
 * always recomputed over all its committed records.
 */
final class PostgresDialect implements Dialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String migrations() {
        return "classpath:io/mintaro/collector/store/migration/postgresql";
    }

    @Override
    public String jsonText(String column, String path) {
        return "((" + column + ")::jsonb #>> '{" + path.replace('.', ',') + "}')";
    }

    @Override
    public String isHttpStatus(String expr) {
        return expr + " ~ '^HTTP [0-9]{3}$'";
    }

    @Override
    public String greatest(String a, String b) {
        return "greatest(" + a + ", " + b + ")";
    }

    @Override
    public String least(String a, String b) {
        return "least(" + a + ", " + b + ")";
    }

    @Override
    public String indexedBy(String index) {
        return "";
    }

    @Override
    public String contains(String haystack, String needle) {
        return "strpos(" + haystack + ", " + needle + ") > 0";
    }

    @Override
    public String zeroPadded(String expr) {
        return "lpad((" + expr + ")::text, 20, '0')";
    }

    @Override
    public String joinNumbers(String expr) {
        return "string_agg((" + expr + ")::text, ',')";
    }

    @Override
    public String like() {
        return "ILIKE";
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public String unlimited() {
        return "LIMIT ALL";
    }

    @Override
    public void lockTraces(Tx tx, Collection<String> sortedTraceIds) throws SQLException {
        PreparedStatement ps = tx.get("SELECT pg_advisory_xact_lock(?)");
        long previous = 0;
        boolean first = true;
        for (String traceId : sortedTraceIds) {
            long key = lockKey(traceId);
            if (!first && key == previous) {
                continue;
            }
            first = false;
            previous = key;
            ps.setLong(1, key);
            ps.executeQuery().close();
        }
    }

    /**
     * The advisory lock of a trace: the first 64 bits of the SHA-256 of its id. Keys are taken in
     * the order of the sorted ids, not of the keys; two ids with one key (chance 2^-64) share it.
     */
    static long lockKey(String traceId) {
        byte[] d = Sha256.digest(traceId);
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (d[i] & 0xff);
        }
        return k;
    }

    @Override
    public boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
