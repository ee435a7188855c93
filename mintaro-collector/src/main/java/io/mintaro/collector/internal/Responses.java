package io.mintaro.collector.internal;

import io.javalin.http.Context;

/** Writes JSON responses with the collector's own Jackson configuration. */
public final class Responses {
    private Responses() {
    }

    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    public static void error(Context ctx, int status, String message) {
        // Messages may quote client input; keep them short.
        String m = message == null ? "error" : message.length() > 500 ? message.substring(0, 500) + "..." : message;
        ctx.status(status).contentType("application/json").result(Json.error(m));
    }
}
