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
        ctx.status(status).contentType("application/json").result(Json.error(message));
    }
}
