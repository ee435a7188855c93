package io.mintaro.collector.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.internal.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Records are stored without the fields their columns hold, compressed, and read back as the JSON
 * that was stored, byte for byte (docs/storage.md, "Record encoding").
 */
class RecordCodecTest {
    static final String SPAN = """
            {"spanId":"00f067aa0ba902b7","parentSpanId":"a1b2c3d4e5f60718","name":"POST /payments","kind":"server",\
            "status":"failed","startUs":1763700000100000,"endUs":1763700000123000,\
            "attributes":{"http.route":"/payments"},\
            "error":{"type":"java.lang.IllegalStateException","message":"card declined","stack":"at Payments.charge"},\
            "handledErrors":[],"events":[],"service":"payments","agentId":"9c1d2e3f4a5b6c7d"}""";
    static final String MESSAGE = """
            {"seq":81,"spanId":"00f067aa0ba902b7","direction":"inbound","method":"POST",\
            "url":"http://127.0.0.1:8083/payments","status":500,"startUs":1763700000100000,"durationUs":23000,\
            "requestHeaders":[["content-type","application/json"],["authorization","[REDACTED]"]],\
            "requestBody":"{\\"amount\\": 12}","requestBodyEncoding":"utf8","requestBodySize":14,\
            "requestBodyTruncated":false,"responseHeaders":[["content-type","application/json"]],\
            "responseBody":"AAEC","responseBodyEncoding":"base64","responseBodySize":3,"responseBodyTruncated":false,\
            "error":null,"service":"payments","agentId":"9c1d2e3f4a5b6c7d"}""";
    static final String LOG = """
            {"seq":82,"spanId":null,"timeUs":1763700000110000,"level":"DEBUG","logger":"io.mintaro.demo.Payments",\
            "thread":"qtp-12","message":"charging card","error":"timeout","service":"payments",\
            "agentId":"9c1d2e3f4a5b6c7d"}""";

    static final Object[] SPAN_COLUMNS = {"00f067aa0ba902b7", "a1b2c3d4e5f60718", "POST /payments", "server", "failed",
        1763700000100000L, 1763700000123000L, "payments", "9c1d2e3f4a5b6c7d"};
    // The response body is Base64: not text, so its column is null and the payload keeps it.
    static final Object[] MESSAGE_COLUMNS = {81L, "00f067aa0ba902b7", "inbound", "POST", "http://127.0.0.1:8083/payments",
        500, 1763700000100000L, 23000L, "{\"amount\": 12}", null, "payments", "9c1d2e3f4a5b6c7d"};
    static final Object[] LOG_COLUMNS = {82L, null, 1763700000110000L, "DEBUG", "io.mintaro.demo.Payments",
        "charging card", "payments", "9c1d2e3f4a5b6c7d"};

    @Test
    void everyRecordReadsBackAsTheJsonThatWasStored() {
        assertThat(roundTrip(RecordCodec.Kind.SPAN, SPAN, SPAN_COLUMNS)).isEqualTo(SPAN);
        assertThat(roundTrip(RecordCodec.Kind.MESSAGE, MESSAGE, MESSAGE_COLUMNS)).isEqualTo(MESSAGE);
        assertThat(roundTrip(RecordCodec.Kind.LOG, LOG, LOG_COLUMNS)).isEqualTo(LOG);
    }

    @Test
    void theFieldsTheColumnsHoldAreNotStoredTwiceAndTheRestIsCompressed() {
        byte[] span = RecordCodec.encode(RecordCodec.Kind.SPAN, object(SPAN), SPAN_COLUMNS);
        byte[] message = RecordCodec.encode(RecordCodec.Kind.MESSAGE, object(MESSAGE), MESSAGE_COLUMNS);
        byte[] log = RecordCodec.encode(RecordCodec.Kind.LOG, object(LOG), LOG_COLUMNS);

        assertThat(span[0]).isEqualTo(RecordCodec.FORMAT_1);
        assertThat(span.length).isLessThan(bytes(SPAN) / 3);
        assertThat(message.length).isLessThan(bytes(MESSAGE) / 3);
        assertThat(log.length).isLessThan(bytes(LOG) / 4);
        // The values are in the columns, not in the payload: it does not even decode without them.
        assertThat(new String(inflated(span), StandardCharsets.UTF_8))
                .doesNotContain("00f067aa0ba902b7", "POST /payments", "1763700000100000")
                .contains("\"spanId\":true", "card declined");
        assertThat(new String(inflated(message), StandardCharsets.UTF_8))
                .contains("\"requestBody\":true", "\"responseBody\":\"AAEC\"");
    }

    @Test
    void aFieldWhoseColumnHoldsSomethingElseIsKeptInThePayload() {
        // A column that disagrees with the JSON (here the name) must not replace the JSON's value.
        Object[] columns = SPAN_COLUMNS.clone();
        columns[2] = "GET /other";
        byte[] stored = RecordCodec.encode(RecordCodec.Kind.SPAN, object(SPAN), columns);

        assertThat(RecordCodec.decode(RecordCodec.Kind.SPAN, stored, columns)).isEqualTo(SPAN);
    }

    @Test
    void aRowWrittenBeforeSchema9IsItsJsonText() {
        byte[] legacy = SPAN.getBytes(StandardCharsets.UTF_8);

        assertThat(RecordCodec.decode(RecordCodec.Kind.SPAN, legacy, SPAN_COLUMNS)).isEqualTo(SPAN);
    }

    @Test
    void aPayloadOfAnUnknownFormatOrCutShortIsAnErrorNotAWrongRecord() {
        byte[] stored = RecordCodec.encode(RecordCodec.Kind.SPAN, object(SPAN), SPAN_COLUMNS);
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length / 2);
        byte[] future = stored.clone();
        future[0] = 7;

        assertThatThrownBy(() -> RecordCodec.decode(RecordCodec.Kind.SPAN, cut, SPAN_COLUMNS))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RecordCodec.decode(RecordCodec.Kind.SPAN, future, SPAN_COLUMNS))
                .hasMessageContaining("unknown record format 7");
    }

    private static String roundTrip(RecordCodec.Kind kind, String json, Object[] columns) {
        return RecordCodec.decode(kind, RecordCodec.encode(kind, object(json), columns), columns);
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] inflated(byte[] payload) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try {
            inflater.setDictionary(RecordCodec.DICTIONARY_1);
            inflater.setInput(payload, 1, payload.length - 1);
            byte[] out = new byte[4096];
            int n = inflater.inflate(out);
            return java.util.Arrays.copyOf(out, n);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
    }
}
