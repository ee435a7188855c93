package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How a record's JSON is kept in its row's {@code payload} (docs/storage.md, "Record encoding").
 *
 * <p>The fields a row already holds in its columns ({@link Kind#fields}) are not stored twice:
 * each is replaced by {@code true}, a value none of them can have (they are strings, numbers or
 * null), and filled in from the columns when the record is read. What remains is compressed with
 * DEFLATE and a preset dictionary of the protocol's keys and common values, so that even a
 * 100-byte remainder compresses. A field is replaced only when its column holds exactly its value
 * (as text the same JSON), so decoding gives back the JSON that was stored, byte for byte.
 *
 * <p>Formats, by the first byte: {@code '{'} is plain UTF-8 JSON with every field (rows written
 * before schema 9, and any record the encoder declines); {@code 1} is the encoding above with
 * {@link #DICTIONARY_1}. The dictionary of a format never changes once released; a better one is a
 * new format byte, and readers keep every old one.
 */
final class RecordCodec {
    static final byte FORMAT_1 = 1;

    /** The record types and the fields their tables hold as columns, in the order callers pass them. */
    enum Kind {
        SPAN("spanId", "parentSpanId", "name", "kind", "status", "startUs", "endUs", "service", "agentId"),
        MESSAGE("seq", "spanId", "direction", "method", "url", "status", "startUs", "durationUs", "requestBody",
                "responseBody", "service", "agentId"),
        LOG("seq", "spanId", "timeUs", "level", "logger", "message", "service", "agentId");

        final List<String> fields;

        Kind(String... fields) {
            this.fields = List.of(fields);
        }
    }

    /**
     * The dictionary of format 1: record skeletons as the encoder leaves them (protocol order,
     * column fields as {@code true}) and values that recur across services. DEFLATE finds matches
     * cheapest near the end, so the most common text comes last.
     */
    static final byte[] DICTIONARY_1 = ("""
            "stack":"java.lang.RuntimeException: \\n\\tat java.base/java.lang.Thread.run(Thread.java:\
            \\n\\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(\
            \\n\\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:\
            \\n\\tat org.eclipse.jetty.server.handler.ContextHandler.handle(ContextHandler.java:\
            \\n\\tat io.javalin.http.JavalinServlet.service(JavalinServlet.kt:\
            java.lang.IllegalStateException java.lang.IllegalArgumentException java.lang.NullPointerException\
             java.util.concurrent.TimeoutException java.sql.SQLException java.io.IOException\
            {"type":"java.net.SocketTimeoutException","message":"Read timed out","stack":"\
            "db.system":"postgresql","db.statement":"SELECT \
            "http.request.method":"GET","http.response.status_code":"200","url.path":"/\
            "http.method":"POST","http.status_code":"500","client.address":"\
            "http.method":"GET","http.status_code":"200","url.full":"http://\
            ["content-type","application/json; charset=utf-8"],["content-length","\
            ["accept","*/*"],["accept-encoding","gzip, deflate"],["connection","keep-alive"],["host","\
            ["user-agent","Java-http-client/"],["traceparent","00-\
            ["authorization","[REDACTED]"],["cookie","[REDACTED]"],["date","\
            ["content-type","text/plain"],["content-type","application/json"]\
            {"seq":true,"spanId":true,"direction":true,"method":true,"url":true,"status":true,"startUs":true,\
            "durationUs":true,"requestHeaders":[],"requestBody":true,"requestBodyEncoding":null,"requestBodySize":0,\
            "requestBodyTruncated":false,"responseHeaders":[],"responseBody":true,"responseBodyEncoding":null,\
            "responseBodySize":0,"responseBodyTruncated":false,"error":null,"service":true,"agentId":true}\
            {"seq":true,"spanId":true,"direction":true,"method":true,"url":true,"status":true,"startUs":true,\
            "durationUs":true,"requestHeaders":[["content-type","application/json"]],"requestBody":true,\
            "requestBodyEncoding":"utf8","requestBodySize":\
            ,"requestBodyTruncated":false,"responseHeaders":[["content-type","application/json"]],\
            "responseBody":true,"responseBodyEncoding":"utf8","responseBodySize":\
            ,"responseBodyTruncated":false,"error":null,"service":true,"agentId":true}\
            {"spanId":true,"parentSpanId":true,"name":true,"kind":true,"status":true,"startUs":true,"endUs":true,\
            "attributes":{},"error":{"type":"\
            ","message":"\
            ","stack":"\
            "},"handledErrors":[],"events":[],"service":true,"agentId":true}\
            "attributes":{"http.route":"/\
            "},"error":null,"handledErrors":[],"events":[{"timeUs":\
            ,"name":"\
            ","attributes":{}}],"service":true,"agentId":true}\
            {"seq":true,"spanId":true,"timeUs":true,"level":true,"logger":true,"thread":"main","message":true,\
            "error":{"type":"\
            {"seq":true,"spanId":true,"timeUs":true,"level":true,"logger":true,"thread":"http-nio-8080-exec-\
            {"seq":true,"spanId":true,"timeUs":true,"level":true,"logger":true,"thread":"qtp-\
            ","message":true,"error":null,"service":true,"agentId":true}\
            {"spanId":true,"parentSpanId":true,"name":true,"kind":true,"status":true,"startUs":true,"endUs":true,\
            "attributes":{},"error":null,"handledErrors":[],"events":[],"service":true,"agentId":true}\
            """).getBytes(StandardCharsets.UTF_8);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordCodec() {
    }

    /**
     * Encodes a record for its row. {@code json} is changed (its column fields become {@code true}):
     * callers pass the node they no longer need.
     *
     * @param columns the values the row's columns get, in the order of {@code kind.fields}
     */
    static byte[] encode(Kind kind, ObjectNode json, Object... columns) {
        if (columns.length != kind.fields.size()) {
            throw new IllegalArgumentException(kind + " has " + kind.fields.size() + " column fields");
        }
        for (int i = 0; i < columns.length; i++) {
            JsonNode v = json.get(kind.fields.get(i));
            if (v != null && v.isBoolean()) {
                // Never so in the protocol; kept as it came rather than mistaken for a placeholder.
                return Json.bytes(json);
            }
        }
        for (int i = 0; i < columns.length; i++) {
            String field = kind.fields.get(i);
            JsonNode v = json.get(field);
            if (v != null && sameAs(v, columns[i])) {
                json.set(field, BooleanNode.TRUE);
            }
        }
        byte[] rest = Json.bytes(json);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setDictionary(DICTIONARY_1);
            deflater.setInput(rest);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(rest.length / 2 + 16);
            out.write(FORMAT_1);
            byte[] buf = new byte[Math.max(64, rest.length)];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * The stored record's JSON text, as it was stored.
     *
     * @param columns the row's column values, in the order of {@code kind.fields}
     */
    static String decode(Kind kind, byte[] payload, Object... columns) {
        if (payload.length == 0 || payload[0] == '{') {
            return new String(payload, StandardCharsets.UTF_8);
        }
        if (payload[0] != FORMAT_1) {
            throw new IllegalStateException("unknown record format " + payload[0]);
        }
        ObjectNode json;
        try {
            json = (ObjectNode) Json.MAPPER.readTree(inflate(payload));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored record does not decode", e);
        }
        for (int i = 0; i < columns.length; i++) {
            String field = kind.fields.get(i);
            JsonNode v = json.get(field);
            if (v != null && v.isBoolean()) {
                json.set(field, node(columns[i]));
            }
        }
        return Json.string(json);
    }

    private static byte[] inflate(byte[] payload) {
        Inflater inflater = new Inflater(true);
        try {
            // Raw DEFLATE has no header to ask for the dictionary: it is set before the first byte.
            inflater.setDictionary(DICTIONARY_1);
            inflater.setInput(payload, 1, payload.length - 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4);
            byte[] buf = new byte[Math.max(256, payload.length * 4)];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    // Raw DEFLATE ends on its final block; with the input gone and no end, it is cut.
                    throw new IllegalStateException("a stored record is truncated");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored record does not decode", e);
        } finally {
            inflater.end();
        }
    }

    /** Whether {@code v} is what {@link #node} makes of {@code column}, as JSON text. */
    private static boolean sameAs(JsonNode v, Object column) {
        if (column == null) {
            return v.isNull();
        }
        if (column instanceof String s) {
            return v.isTextual() && v.textValue().equals(s);
        }
        if (column instanceof Long || column instanceof Integer) {
            return v.isIntegralNumber() && v.canConvertToLong() && v.longValue() == ((Number) column).longValue();
        }
        return false;
    }

    private static JsonNode node(Object column) {
        if (column == null) {
            return NODES.nullNode();
        }
        if (column instanceof String s) {
            return NODES.textNode(s);
        }
        return NODES.numberNode(((Number) column).longValue());
    }
}
