package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.access.Access;
import io.mintaro.collector.access.Caller;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.Namespaces;
import io.mintaro.collector.store.SessionStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Authentication of {@code /api/...} requests, by bearer key or by browser session cookie, and the
 * session endpoints ({@code POST/DELETE /api/session}); see {@code docs/api.md}, "Browser sessions".
 *
 * <p>A session id is 256 random bits, given to the browser only in an {@code HttpOnly},
 * {@code SameSite=Strict} cookie. The store keeps its SHA-256, never the id itself.
 */
public final class SessionEndpoints {
    /** Name of the session cookie. */
    public static final String COOKIE = "mintaro_session";
    /** Lifetime of a session: 12 hours, the cookie's {@code Max-Age}. */
    public static final long TTL_SECONDS = 43_200;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "DELETE", "PATCH");

    /** The request attribute holding the {@link Caller}. */
    private static final String CALLER = "mintaro.caller";

    private final SessionStore store;
    private final Access access;
    private final BodyReader bodyReader;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    public SessionEndpoints(SessionStore store, Access access, BodyReader bodyReader, LongSupplier clock) {
        this.store = store;
        this.access = access;
        this.bodyReader = bodyReader;
        this.clock = clock;
    }

    /**
     * Before-handler of {@code /api/*}: a valid bearer key that may read, or else a live session
     * cookie; then the namespace the request works in ({@link #caller}). Writes authenticated by
     * the cookie must be JSON ({@code 415} otherwise): a cross-site form cannot
     * send that content type, so together with {@code SameSite=Strict} this closes CSRF.
     */
    public void authenticate(Context ctx) throws SQLException {
        String path = ctx.path();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1); // routes ignore a trailing slash
        }
        if (path.equals("/api/health") || path.equals("/api/session")) {
            return; // no key needed, or the session endpoints check what they need themselves
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            ApiKey key = access.authenticate(authorization, ctx.ip());
            if (!key.kind().mayRead()) {
                throw new ApiException(403, "an ingest key cannot read: use a read key");
            }
            ctx.attribute(CALLER, caller(ctx, key, Set.of(key.namespace())));
            return;
        }
        String id = ctx.cookie(COOKIE);
        if (id == null || id.isEmpty()) {
            throw new ApiException(401, "missing Authorization: Bearer <api key> (or a session cookie from "
                    + "POST /api/session)");
        }
        Set<String> readable = store.namespaces(sha256(id), clock.getAsLong());
        if (readable.isEmpty()) {
            clearCookie(ctx);
            throw new ApiException(401, "session expired or unknown: sign in again");
        }
        requireJsonWrite(ctx);
        ctx.attribute(CALLER, caller(ctx, null, readable));
    }

    /**
     * The namespace a request works in: {@code ?namespace=} when given, else the only one the
     * caller may read, else {@code default} if it is one of them, else the first by name. A
     * namespace the caller may not read is unknown (404), whether or not it exists.
     */
    private static Caller caller(Context ctx, ApiKey key, Set<String> readable) {
        String wanted = ctx.queryParam("namespace");
        String namespace;
        if (wanted != null) {
            if (!readable.contains(wanted)) {
                throw ApiException.notFound("unknown namespace");
            }
            namespace = wanted;
        } else if (readable.contains(Namespaces.DEFAULT)) {
            namespace = Namespaces.DEFAULT;
        } else {
            namespace = new TreeSet<>(readable).first();
        }
        return new Caller(key, readable, namespace);
    }

    /** Who made an authenticated {@code /api} request, and the namespace it works in. */
    public static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("not an authenticated /api request");
        }
        return c;
    }

    /** The namespace an authenticated {@code /api} request works in. */
    public static String namespace(Context ctx) {
        return caller(ctx).namespace();
    }

    /**
     * {@code POST /api/session}: {@code {"apiKey": "..."}} → {@code 204} and the session cookie.
     * Signed in already, the session may read the key's namespace too (the UI's namespace switcher).
     */
    public void create(Context ctx) throws IOException, SQLException {
        if (!isJson(ctx.contentType())) {
            throw new ApiException(415, "POST /api/session needs Content-Type: application/json");
        }
        ObjectNode body = Json.parseObject(bodyReader.read(ctx.req().getInputStream(), ctx.header("Content-Encoding"),
                ctx.req().getContentLengthLong()));
        JsonNode key = body.get("apiKey");
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            throw ApiException.badRequest("apiKey is required (a string)");
        }
        ApiKey found = access.lookup(key.textValue(), ctx.ip());
        if (found == null) {
            throw new ApiException(401, "unknown API key");
        }
        if (!found.kind().mayRead()) {
            throw new ApiException(403, "an ingest key cannot sign in: use a read key");
        }
        long now = clock.getAsLong();
        String current = ctx.cookie(COOKIE);
        if (current != null && !current.isEmpty() && store.addNamespace(sha256(current), found.namespace(), now)) {
            ctx.header("Cache-Control", "no-store");
            ctx.status(204);
            return;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.create(sha256(id), found.namespace(), now, now + TTL_SECONDS * 1000);
        ctx.header("Set-Cookie", cookie(ctx, id, TTL_SECONDS));
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }

    /** {@code DELETE /api/session}: ends the session named by the cookie (if any) and clears the cookie. */
    public void delete(Context ctx) throws SQLException {
        String id = ctx.cookie(COOKIE);
        if (id != null && !id.isEmpty()) {
            requireJsonWrite(ctx);
            store.delete(sha256(id));
        }
        clearCookie(ctx);
        ctx.status(204);
    }

    private static void requireJsonWrite(Context ctx) {
        if (WRITES.contains(ctx.method().name()) && !isJson(ctx.contentType())) {
            throw new ApiException(415, ctx.method().name() + " with the session cookie needs "
                    + "Content-Type: application/json (a rule against cross-site request forgery)");
        }
    }

    /** {@code application/json}, with or without parameters such as {@code charset}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    private static void clearCookie(Context ctx) {
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        // Secure only over TLS: the collector is often reached over plain HTTP on a private network.
        return COOKIE + "=" + value + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + maxAgeSeconds
                + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "");
    }

    /** Lowercase hex SHA-256 of a session id: what the store keeps. */
    public static String sha256(String id) {
        return Sha256.hex(id);
    }
}
