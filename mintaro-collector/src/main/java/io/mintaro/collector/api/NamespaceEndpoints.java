package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.access.Access;
import io.mintaro.collector.access.Caller;
import io.mintaro.collector.access.Keys;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.retention.Retention;
import io.mintaro.collector.store.NamespaceRow;
import io.mintaro.collector.store.StoredUsage;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.Namespaces;
import java.io.IOException;
import java.sql.SQLException;
import java.util.function.LongSupplier;

/**
 * Namespaces and keys ({@code /api/namespaces}, {@code /api/keys}); see {@code docs/api.md},
 * "Namespaces and keys". Managing keys takes an admin key of the namespace; creating namespaces
 * takes an admin key of the default namespace (the operator's).
 */
public final class NamespaceEndpoints {
    /** Longest grace period of a rotated key: 30 days. */
    static final long MAX_GRACE_SECONDS = 30L * 86_400;

    private final NamespaceStore store;
    private final Retention retention;
    private final Access access;
    private final BodyReader bodyReader;
    private final LongSupplier clock;

    public NamespaceEndpoints(NamespaceStore store, Retention retention, Access access, BodyReader bodyReader,
                              LongSupplier clock) {
        this.store = store;
        this.retention = retention;
        this.access = access;
        this.bodyReader = bodyReader;
        this.clock = clock;
    }

    /** {@code GET /api/namespaces}: the namespaces the caller may read, and the one it works in. */
    public void list(Context ctx) {
        Caller caller = SessionEndpoints.caller(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("current", caller.namespace());
        ArrayNode names = out.putArray("namespaces");
        caller.readable().stream().sorted().forEach(names::add);
        Responses.json(ctx, 200, out);
    }

    /**
     * {@code GET /api/namespaces/{name}}: a namespace the caller may read (the operator: any), with
     * its retention (its
     * own limits, and those that apply) and what it stored at the last retention run.
     */
    public void get(Context ctx) throws SQLException {
        Caller caller = SessionEndpoints.caller(ctx);
        String name = ctx.pathParam("name");
        boolean operator = caller.admin() && caller.key().namespace().equals(Namespaces.DEFAULT);
        if (!operator && !caller.readable().contains(name)) {
            throw ApiException.notFound("unknown namespace");
        }
        NamespaceRow row = store.get(name).orElseThrow(() -> ApiException.notFound("unknown namespace"));
        Responses.json(ctx, 200, namespace(row));
    }

    /** {@code POST /api/namespaces} {@code {"name"}}: a new namespace and its first admin key. */
    public void create(Context ctx) throws IOException, SQLException {
        Caller caller = operator(ctx);
        ObjectNode body = JsonBodies.object(bodyReader, ctx);
        String name = JsonBodies.text(body, "name", true);
        if (!Namespaces.isValid(name)) {
            throw ApiException.badRequest("name: 1 to 63 lowercase letters, digits and dashes, not starting with a dash");
        }
        long now = clock.getAsLong();
        if (!store.create(name, now)) {
            throw new ApiException(409, "namespace " + name + " exists");
        }
        Keys.Created admin = Keys.create(store, name, ApiKey.Kind.ADMIN, "created with the namespace by "
                + caller.key().id(), now);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", name);
        out.set("key", created(admin));
        Responses.json(ctx, 201, out);
    }

    /**
     * {@code PUT /api/namespaces/{name}/retention} {@code {"maxAgeMs", "maxBytes"}} (null: the
     * collector's default): an admin key of that namespace, or the operator's.
     */
    public void retention(Context ctx) throws IOException, SQLException {
        Caller caller = SessionEndpoints.caller(ctx);
        String name = ctx.pathParam("name");
        boolean operator = caller.admin() && caller.key().namespace().equals(Namespaces.DEFAULT);
        if (!caller.admin() || !(operator || caller.key().namespace().equals(name))) {
            throw caller.admin() ? ApiException.notFound("unknown namespace") : adminOnly();
        }
        ObjectNode body = JsonBodies.object(bodyReader, ctx);
        Long maxAge = positive(body, "maxAgeMs");
        Long maxBytes = positive(body, "maxBytes");
        if (!Namespaces.isValid(name) || !store.retention(name, maxAge, maxBytes)) {
            throw ApiException.notFound("unknown namespace");
        }
        Responses.json(ctx, 200, namespace(store.get(name).orElseThrow()));
    }

    /** {@code GET /api/keys}: the keys of the caller's namespace, never their text. */
    public void keys(Context ctx) throws SQLException {
        Caller caller = admin(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("namespace", caller.key().namespace());
        ArrayNode keys = out.putArray("keys");
        long now = clock.getAsLong();
        for (ApiKey k : store.keys(caller.key().namespace())) {
            keys.add(key(k, now));
        }
        Responses.json(ctx, 200, out);
    }

    /** {@code POST /api/keys} {@code {"kind", "label"}}: a new key, whose text is answered once. */
    public void createKey(Context ctx) throws IOException, SQLException {
        Caller caller = admin(ctx);
        ObjectNode body = JsonBodies.object(bodyReader, ctx);
        ApiKey.Kind kind;
        try {
            kind = ApiKey.Kind.parse(JsonBodies.text(body, "kind", true));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("kind: " + e.getMessage());
        }
        Keys.Created k;
        try {
            k = Keys.create(store, caller.key().namespace(), kind, JsonBodies.text(body, "label", false), clock.getAsLong());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Responses.json(ctx, 201, created(k));
    }

    /** {@code DELETE /api/keys/{id}}: revokes a key of the caller's namespace now. */
    public void revoke(Context ctx) throws SQLException {
        Caller caller = admin(ctx);
        String id = ctx.pathParam("id");
        if (!store.revoke(caller.key().namespace(), id, clock.getAsLong())) {
            throw ApiException.notFound("unknown key");
        }
        access.forget(id);
        ctx.status(204);
    }

    /**
     * {@code POST /api/keys/{id}/rotate} {@code {"graceSeconds"}}: a new key of the same kind and
     * label; the old one works for the grace period (default 0: it stops now).
     */
    public void rotate(Context ctx) throws IOException, SQLException {
        Caller caller = admin(ctx);
        ObjectNode body = JsonBodies.object(bodyReader, ctx);
        long grace = 0;
        JsonNode g = body.get("graceSeconds");
        if (g != null && !g.isNull()) {
            if (!g.canConvertToLong() || !g.isIntegralNumber() || g.asLong() < 0 || g.asLong() > MAX_GRACE_SECONDS) {
                throw ApiException.badRequest("graceSeconds: a whole number from 0 to " + MAX_GRACE_SECONDS);
            }
            grace = g.asLong();
        }
        String id = ctx.pathParam("id");
        Keys.Created next = Keys.rotate(store, caller.key().namespace(), id, grace * 1000, clock.getAsLong());
        if (next == null) {
            throw ApiException.notFound("unknown key");
        }
        access.forget(id);
        Responses.json(ctx, 201, created(next));
    }

    private static Caller admin(Context ctx) {
        Caller caller = SessionEndpoints.caller(ctx);
        if (!caller.admin()) {
            throw adminOnly();
        }
        return caller;
    }

    private static Caller operator(Context ctx) {
        Caller caller = admin(ctx);
        if (!caller.key().namespace().equals(Namespaces.DEFAULT)) {
            throw new ApiException(403, "creating namespaces takes an admin key of the default namespace");
        }
        return caller;
    }

    private static ApiException adminOnly() {
        return new ApiException(403, "managing keys takes an admin key (Authorization: Bearer), not a read key"
                + " or a browser session");
    }

    private static Long positive(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw ApiException.badRequest(field + " must be a positive whole number or null");
        }
        return n.asLong();
    }

    static ObjectNode key(ApiKey k, long nowMs) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", k.id());
        n.put("namespace", k.namespace());
        n.put("kind", k.kind().wire());
        n.put("label", k.label());
        n.put("createdAtMs", k.createdAtMs());
        putLong(n, "expiresAtMs", k.expiresAtMs());
        putLong(n, "revokedAtMs", k.revokedAtMs());
        putLong(n, "lastUsedAtMs", k.lastUsedAtMs());
        n.put("active", k.activeAt(nowMs));
        return n;
    }

    private static ObjectNode created(Keys.Created k) {
        ObjectNode n = key(k.key(), k.key().createdAtMs());
        n.put("key", k.text());
        return n;
    }

    private ObjectNode namespace(NamespaceRow row) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", row.name());
        n.put("createdAtMs", row.createdAtMs());
        putLong(n, "retentionMaxAgeMs", row.retentionMaxAgeMs());
        putLong(n, "retentionMaxBytes", row.retentionMaxBytes());
        Retention.Limits limits = retention.limitsOf(row);
        ObjectNode applied = n.putObject("retention");
        applied.put("maxAgeMs", limits.maxAgeMs());
        applied.put("maxBytes", limits.maxBytes());
        StoredUsage u = row.usage();
        if (u == null) {
            n.putNull("stored");
        } else {
            ObjectNode stored = n.putObject("stored");
            stored.put("traces", u.traces());
            stored.put("bytes", u.storedBytes());
            putLong(stored, "oldestAtMs", u.oldestCreatedAtMs());
            stored.put("measuredAtMs", u.measuredAtMs());
        }
        return n;
    }

    private static void putLong(ObjectNode n, String field, Long value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
