package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.access.Caller;
import io.mintaro.collector.alerts.AlertDelivery;
import io.mintaro.collector.alerts.AlertRule;
import io.mintaro.collector.alerts.internal.AlertService;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.store.AlertStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Alert rules and deliveries ({@code /api/alerts}); see {@code docs/api.md}, "Alerts". A caller
 * sees the rules and deliveries of its namespace; changing rules takes an admin key.
 */
public final class AlertEndpoints {
    private final AlertStore store;
    private final AlertService alerts;
    private final BodyReader bodyReader;
    private final LongSupplier clock;

    public AlertEndpoints(AlertStore store, AlertService alerts, BodyReader bodyReader, LongSupplier clock) {
        this.store = store;
        this.alerts = alerts;
        this.bodyReader = bodyReader;
        this.clock = clock;
    }

    /** {@code GET /api/alerts/rules}: the rules of the caller's namespace (secrets are never answered). */
    public void rules(Context ctx) throws SQLException {
        String namespace = SessionEndpoints.caller(ctx).namespace();
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode rules = out.putArray("rules");
        for (AlertRule r : store.rules()) {
            if (r.namespace().equals(namespace)) {
                rules.add(rule(r));
            }
        }
        Responses.json(ctx, 200, out);
    }

    /** {@code POST /api/alerts/rules}: a new rule of the caller's namespace. */
    public void create(Context ctx) throws IOException, SQLException {
        Caller caller = admin(ctx);
        AlertRule rule = parse(JsonBodies.object(bodyReader, ctx), "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                caller.namespace(), clock.getAsLong());
        store.saveRule(rule);
        Responses.json(ctx, 201, rule(rule));
    }

    /** {@code PUT /api/alerts/rules/{id}}: replaces a rule (all fields, as for a new one). */
    public void update(Context ctx) throws IOException, SQLException {
        Caller caller = admin(ctx);
        AlertRule old = existing(ctx, caller);
        AlertRule rule = parse(JsonBodies.object(bodyReader, ctx), old.id(), old.namespace(), old.createdAtMs());
        store.saveRule(rule);
        Responses.json(ctx, 200, rule(rule));
    }

    /** {@code DELETE /api/alerts/rules/{id}}. */
    public void delete(Context ctx) throws SQLException {
        Caller caller = admin(ctx);
        store.deleteRule(existing(ctx, caller).id());
        ctx.status(204);
    }

    /** {@code POST /api/alerts/rules/{id}/test}: posts a test event now; answers the receiver's status. */
    public void test(Context ctx) throws SQLException {
        Caller caller = admin(ctx);
        AlertRule rule = existing(ctx, caller);
        ObjectNode out = Json.MAPPER.createObjectNode();
        try {
            int status = alerts.test(rule);
            out.put("delivered", status / 100 == 2);
            out.put("status", status);
        } catch (IOException e) {
            out.put("delivered", false);
            out.putNull("status");
            out.put("error", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the collector is stopping");
        }
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/alerts/deliveries?limit=}: the newest deliveries of the caller's namespace. */
    public void deliveries(Context ctx) throws SQLException {
        String namespace = SessionEndpoints.caller(ctx).namespace();
        int limit = 100;
        String given = ctx.queryParam("limit");
        if (given != null) {
            try {
                limit = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("limit: a whole number from 1 to 1000");
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("deliveries");
        for (AlertDelivery d : store.deliveries(namespace, limit)) {
            ObjectNode n = list.addObject();
            n.put("eventKey", d.eventKey());
            n.put("rule", d.ruleId());
            n.put("kind", d.kind());
            n.put("state", d.state());
            n.put("attempts", d.attempts());
            if (d.lastStatus() == null) {
                n.putNull("lastStatus");
            } else {
                n.put("lastStatus", d.lastStatus());
            }
            n.put("lastError", d.lastError());
            n.put("createdAt", Json.isoFromMillis(d.createdAtMs()));
            n.put("deliveredAt", d.deliveredAtMs() == null ? null : Json.isoFromMillis(d.deliveredAtMs()));
            n.set("payload", Json.parseObject(d.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        Responses.json(ctx, 200, out);
    }

    private AlertRule existing(Context ctx, Caller caller) throws SQLException {
        return store.rule(ctx.pathParam("id")).filter(r -> r.namespace().equals(caller.namespace()))
                .orElseThrow(() -> ApiException.notFound("unknown alert rule"));
    }

    /** Validates a rule's fields; every mistake is a 400 that names the field. */
    static AlertRule parse(ObjectNode body, String id, String namespace, long createdAtMs) {
        String kindText = JsonBodies.text(body, "kind", true);
        AlertRule.Kind kind = AlertRule.Kind.parse(kindText);
        if (kind == null) {
            throw ApiException.badRequest("kind: one of new_group, regression, rate, alert_level, digest");
        }
        String url = JsonBodies.text(body, "url", true);
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw ApiException.badRequest("url: an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url: an http or https URL");
        }
        String format = JsonBodies.text(body, "format", false);
        format = format == null ? "json" : format;
        if (!AlertRule.FORMATS.contains(format)) {
            throw ApiException.badRequest("format: json or slack");
        }
        String secret = JsonBodies.text(body, "secret", false);
        long threshold = number(body, "threshold", 0);
        long windowMs = number(body, "windowMs", kind == AlertRule.Kind.DIGEST ? 3_600_000 : 0);
        long rateLimit = number(body, "rateLimit", 10);
        if (kind == AlertRule.Kind.RATE && (threshold < 1 || windowMs < 1000)) {
            throw ApiException.badRequest("a rate rule needs threshold >= 1 and windowMs >= 1000");
        }
        if (kind == AlertRule.Kind.DIGEST && windowMs < 1000) {
            throw ApiException.badRequest("windowMs: a digest's period is at least 1000 (one second)");
        }
        if (rateLimit < 1 || rateLimit > 1000) {
            throw ApiException.badRequest("rateLimit: from 1 to 1000 deliveries a minute");
        }
        return new AlertRule(id, namespace, kind, url, format, secret, threshold, windowMs, (int) rateLimit, createdAtMs);
    }

    static ObjectNode rule(AlertRule r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("namespace", r.namespace());
        n.put("kind", r.kind().wire());
        n.put("url", r.url());
        n.put("format", r.format());
        n.put("signed", r.secret() != null && !r.secret().isEmpty());
        n.put("threshold", r.threshold());
        n.put("windowMs", r.windowMs());
        n.put("rateLimit", r.rateLimit());
        n.put("createdAt", Json.isoFromMillis(r.createdAtMs()));
        return n;
    }

    private static Caller admin(Context ctx) {
        Caller caller = SessionEndpoints.caller(ctx);
        if (!caller.admin()) {
            throw new ApiException(403, "managing alert rules takes an admin key");
        }
        return caller;
    }

    private static long number(ObjectNode body, String field, long fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw ApiException.badRequest(field + " must be a whole number");
        }
        return n.longValue();
    }
}
