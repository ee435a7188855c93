package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import java.io.IOException;

/** The JSON object bodies of the REST API's writes, and their fields; a bad one is a 400 naming it. */
final class JsonBodies {
    private JsonBodies() {
    }

    /** The request's body as a JSON object; an empty body is an empty object. */
    static ObjectNode object(BodyReader reader, Context ctx) throws IOException {
        byte[] bytes = reader.read(ctx.req().getInputStream(), ctx.header("Content-Encoding"),
                ctx.req().getContentLengthLong());
        return bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.parseObject(bytes);
    }

    /** A string field; null when absent or null, unless {@code required}. */
    static String text(ObjectNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.badRequest(field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return n.textValue();
    }
}
