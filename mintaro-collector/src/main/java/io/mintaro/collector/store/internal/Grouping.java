package io.mintaro.collector.store.internal;

import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.Namespaces;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The error group of a trace, by the rules of {@code docs/api.md} ("Error groups"): the service
 * where the problem started, its endpoint, and what went wrong there.
 */
final class Grouping {
    /** Endpoint of a trace that has neither a server span in its origin service nor a root span. */
    static final String NO_ENDPOINT = "(no endpoint)";
    /** Origin of a trace without any trigger (cannot happen: a trigger creates the trace). */
    static final String NO_SERVICE = "(no service)";

    private final String escapedType;
    private final String loggedType;

    Grouping(Dialect dialect) {
        this(dialect, false);
    }

    /**
     * @param beforeSchema9 read the error types from the records' JSON text, as the schema before
     *     version 9 kept them (for the migration from version 1, which runs before the
     *     {@code error_type} columns exist)
     */
    Grouping(Dialect dialect, boolean beforeSchema9) {
        String spanType = beforeSchema9 ? dialect.jsonText("json", "error.type") : "error_type";
        this.escapedType = "SELECT " + spanType + " FROM spans\n"
                + "WHERE trace_id = ? AND service = ? AND kind = 'server' AND status = 'failed'\n"
                + "  AND NOT (" + dialect.isHttpStatus(spanType) + ")\n"
                + "ORDER BY start_us, span_id LIMIT 1";
        String logType = beforeSchema9 ? dialect.jsonText("json", "error.type") : "error_type";
        this.loggedType = "SELECT " + logType + " FROM logs\n"
                + "WHERE trace_id = ? AND service = ? AND level = 'ERROR' AND " + logType + " IS NOT NULL\n"
                + "ORDER BY time_us, agent_id, seq LIMIT 1";
    }

    /** A trace's group columns. */
    record Group(String service, String endpoint, String problem, String kind, String fingerprint) {
    }

    /**
     * Computes the group of a trace from its stored records.
     *
     * @param status the trace's status ({@code error}, {@code slow} or {@code ok})
     * @param traceName the trace's name (its root span's), or null
     */
    Group compute(Tx w, String traceId, String status, String traceName) throws SQLException {
        // Origin: the earliest error trigger's service; without one, the earliest trigger's.
        String service = firstString(w, """
                SELECT service FROM triggers WHERE trace_id = ?
                ORDER BY kind <> 'error', at_ms, received_at_ms, agent_id LIMIT 1""", traceId);
        if (service == null) {
            service = NO_SERVICE;
        }
        String endpoint = firstString(w, """
                SELECT name FROM spans WHERE trace_id = ? AND service = ? AND kind = 'server'
                ORDER BY start_us, span_id LIMIT 1""", traceId, service);
        if (endpoint == null) {
            endpoint = traceName != null ? traceName : NO_ENDPOINT;
        }
        String problem;
        switch (status) {
            case "error" -> problem = errorProblem(w, traceId, service);
            case "slow" -> problem = "slow";
            default -> problem = "ok";
        }
        return new Group(service, endpoint, problem, status, fingerprint(TraceKeys.namespace(traceId), service, endpoint, problem));
    }

    /**
     * First 16 hex digits of SHA-256 over {@code service \n endpoint \n problem}, in the default
     * namespace; in another, over {@code namespace \n service \n endpoint \n problem}, so that no
     * two namespaces share a group (or its triage).
     */
    static String fingerprint(String namespace, String service, String endpoint, String problem) {
        String scoped = Namespaces.DEFAULT.equals(namespace) ? "" : namespace + "\n";
        return HexFormat.of().formatHex(Sha256.digest(scoped + service + "\n" + endpoint + "\n" + problem), 0, 8);
    }

    private String errorProblem(Tx w, String traceId, String service) throws SQLException {
        // The exception that escaped the service's handler (a span failed only by its 5xx status has
        // the error type "HTTP <status>": no exception)...
        String type = firstString(w, escapedType, traceId, service);
        if (type != null) {
            return type;
        }
        // ...else the error logged by the service (a log's error may also be plain text: no type)...
        type = firstString(w, loggedType, traceId, service);
        if (type != null) {
            return type;
        }
        // ...else the status it answered: a 5xx before a 4xx, the earliest of each.
        PreparedStatement ps = w.get("""
                SELECT status FROM messages
                WHERE trace_id = ? AND service = ? AND direction = 'inbound' AND status >= 400
                ORDER BY status < 500, start_us, agent_id, seq LIMIT 1""");
        ps.setString(1, traceId);
        ps.setString(2, service);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return "HTTP " + rs.getInt(1);
            }
        }
        return "error";
    }

    /** The first column of the first row of {@code sql}, whose one parameter is the trace id. */
    private static String firstString(Tx w, String sql, String traceId) throws SQLException {
        PreparedStatement ps = w.get(sql);
        ps.setString(1, traceId);
        return firstString(ps);
    }

    /** The first column of the first row of {@code sql}, whose two parameters are the trace id and a service. */
    private static String firstString(Tx w, String sql, String traceId, String service)
            throws SQLException {
        PreparedStatement ps = w.get(sql);
        ps.setString(1, traceId);
        ps.setString(2, service);
        return firstString(ps);
    }

    private static String firstString(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
