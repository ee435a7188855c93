package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.CALLEE;
import static io.mintaro.collector.ExportFixtures.CLIENT;
import static io.mintaro.collector.ExportFixtures.ROOT;
import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/HTTP export to a receiver that decodes the requests with the official opentelemetry-proto
 * classes, as a collector or backend would, and checks every field the mapping sets.
 */
class OtlpExportTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;
    HttpServer receiver;
    final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    final List<String> headers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/traces", ex -> {
            headers.add(ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + ex.getRequestHeaders().getFirst("x-honeycomb-team") + " "
                    + ex.getRequestHeaders().getFirst("x-dataset"));
            traces.add(ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes()));
            answer(ex, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        });
        receiver.createContext("/v1/logs", ex -> {
            logs.add(ExportLogsServiceRequest.parseFrom(ex.getRequestBody().readAllBytes()));
            answer(ex, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
        });
        receiver.start();
    }

    static void answer(com.sun.net.httpserver.HttpExchange ex, byte[] body) throws java.io.IOException {
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    String endpoint() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
    }

    @Test
    void spansExchangesAndLogsArriveAsOtlpWithTheConfiguredHeaders() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_OTLP", endpoint())
                .exportSetting("MINTARO_EXPORT_OTLP_HEADERS", "x-honeycomb-team=hc-secret, x-dataset=shop"))) {
            registerAgents(c);
            postTrace(c, TRACE, true);
            await("logs", 10, () -> logs.size() == 1);
        }
        assertThat(headers).containsExactly("application/x-protobuf hc-secret shop");
        assertThat(traces).hasSize(1);
        long t0 = Records.T0_US + 1_000_000L * (Long.parseLong(TRACE.substring(24), 16) % 100_000);

        // One resource per service, named by service.name; one scope, io.mintaro.
        ExportTraceServiceRequest request = traces.get(0);
        assertThat(request.getResourceSpansList()).extracting(r -> attrs(r.getResource().getAttributesList()))
                .containsExactly(Map.of("service.name", "orders"), Map.of("service.name", "payments"));
        Map<String, Span> spans = new LinkedHashMap<>();
        for (ResourceSpans r : request.getResourceSpansList()) {
            assertThat(r.getScopeSpansList()).hasSize(1);
            assertThat(r.getScopeSpans(0).getScope().getName()).isEqualTo("io.mintaro");
            r.getScopeSpans(0).getSpansList().forEach(s -> spans.put(hex(s.getSpanId()), s));
        }
        assertThat(spans).containsOnlyKeys(ROOT, CLIENT, CALLEE);
        for (Span s : spans.values()) {
            assertThat(hex(s.getTraceId())).isEqualTo(TRACE);
        }

        Span root = spans.get(ROOT);
        assertThat(root.getParentSpanId()).isEmpty();
        assertThat(root.getName()).isEqualTo("POST /orders");
        assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(root.getStartTimeUnixNano()).isEqualTo(t0 * 1_000);
        assertThat(root.getEndTimeUnixNano()).isEqualTo((t0 + 100_000) * 1_000);
        assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(attrs(root.getAttributesList())).isEqualTo(Map.of("http.route", "/x"));
        // The span's own events: name, time and (here no) attributes.
        assertThat(root.getEventsList()).hasSize(1);
        assertThat(root.getEvents(0).getName()).isEqualTo("order placed");
        assertThat(root.getEvents(0).getTimeUnixNano()).isEqualTo((t0 + 95_000) * 1_000);
        assertThat(root.getEvents(0).getAttributesList()).isEmpty();
        assertThat(root.getEvents(0).getDroppedAttributesCount()).isZero();

        Span client = spans.get(CLIENT);
        assertThat(hex(client.getParentSpanId())).isEqualTo(ROOT);
        assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(attrs(client.getAttributesList())).isEqualTo(Map.of("server.address", "127.0.0.1:8083",
                "http.request.method", "POST", "url.full", "http://127.0.0.1:8083/payments",
                "http.response.status_code", 500L));
        assertThat(client.getEventsList()).extracting(Span.Event::getName).containsExactly("http.request",
                "http.response");
        Span.Event request0 = client.getEvents(0);
        assertThat(request0.getTimeUnixNano()).isEqualTo((t0 + 10_000) * 1_000);
        assertThat(attrs(request0.getAttributesList())).isEqualTo(Map.of(
                "http.request.header.content-type", "application/json", "http.request.body.size", 14L,
                "http.request.body", "{\"amount\": 12}"));
        Span.Event response0 = client.getEvents(1);
        assertThat(response0.getTimeUnixNano()).isEqualTo((t0 + 10_000 + 23_000) * 1_000);
        assertThat(attrs(response0.getAttributesList())).isEqualTo(Map.of("http.response.status_code", 500L,
                "http.response.body.size", 2L, "http.response.body", "{}"));

        Span callee = spans.get(CALLEE);
        assertThat(hex(callee.getParentSpanId())).isEqualTo(CLIENT);
        assertThat(callee.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(callee.getEndTimeUnixNano() - callee.getStartTimeUnixNano()).isEqualTo(50_000_000L);
        assertThat(callee.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(callee.getStatus().getMessage()).isEqualTo("card declined");
        assertThat(callee.getEventsList()).extracting(Span.Event::getName).containsExactly("http.request",
                "http.response", "card check", "exception");
        Span.Event cardCheck = callee.getEvents(2);
        assertThat(cardCheck.getTimeUnixNano()).isEqualTo((t0 + 30_000) * 1_000);
        assertThat(attrs(cardCheck.getAttributesList())).isEqualTo(Map.of("card.brand", "visa", "attempt", "2"));
        assertThat(cardCheck.getAttributesList()).extracting(KeyValue::getKey).containsExactly("card.brand", "attempt");
        Span.Event exception = callee.getEvents(3);
        assertThat(exception.getTimeUnixNano()).isEqualTo(callee.getEndTimeUnixNano());
        assertThat(attrs(exception.getAttributesList())).isEqualTo(Map.of(
                "exception.type", "java.lang.IllegalStateException", "exception.message", "card declined",
                "exception.stacktrace", "java.lang.IllegalStateException: card declined\n\tat Payments.charge"));
        assertThat(attrs(callee.getEvents(1).getAttributesList()))
                .containsEntry("http.response.body", "{\"error\": \"card declined\"}");

        // Logs: per service, scope = logger name, tied to trace and span.
        assertThat(logs).hasSize(1);
        List<ResourceLogs> resourceLogs = logs.get(0).getResourceLogsList();
        assertThat(resourceLogs).extracting(r -> attrs(r.getResource().getAttributesList()).get("service.name"))
                .containsExactly("orders", "payments");
        for (ResourceLogs r : resourceLogs) {
            assertThat(r.getScopeLogsList()).extracting(s -> s.getScope().getName())
                    .containsExactly("io.mintaro.demo.Payments");
        }
        LogRecord info = resourceLogs.get(0).getScopeLogs(0).getLogRecords(0);
        assertThat(info.getTimeUnixNano()).isEqualTo((t0 + 5_000) * 1_000);
        assertThat(info.getObservedTimeUnixNano()).isEqualTo(info.getTimeUnixNano());
        assertThat(info.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(info.getSeverityText()).isEqualTo("INFO");
        assertThat(info.getBody().getStringValue()).isEqualTo("placing order");
        assertThat(hex(info.getTraceId())).isEqualTo(TRACE);
        assertThat(hex(info.getSpanId())).isEqualTo(ROOT);
        assertThat(info.getFlags()).isEqualTo(1);
        assertThat(attrs(info.getAttributesList())).isEqualTo(Map.of("thread.name", "qtp-12"));
        ScopeLogs paymentsLogs = resourceLogs.get(1).getScopeLogs(0);
        LogRecord error = paymentsLogs.getLogRecords(0);
        assertThat(error.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
        assertThat(hex(error.getSpanId())).isEqualTo(CALLEE);
        assertThat(attrs(error.getAttributesList())).isEqualTo(Map.of("thread.name", "qtp-12",
                "exception.type", "java.lang.IllegalStateException", "exception.message", "card declined",
                "exception.stacktrace", "..."));
    }

    @Test
    void badOtlpSettingsAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_OTLP", "localhost:4318")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_EXPORT_OTLP must be");
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_OTLP", endpoint())
                .exportSetting("MINTARO_EXPORT_OTLP_HEADERS", "x-honeycomb-team")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_EXPORT_OTLP_HEADERS");
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_OTLP",
                "http://127.0.0.1:1/otlp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_EXPORT_OTLP_LOGS");
    }

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    static Map<String, Object> attrs(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> value(kv.getValue()), (a, b) -> {
            throw new AssertionError("duplicate attribute");
        }, LinkedHashMap::new));
    }

    static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> throw new AssertionError("unexpected value " + v);
        };
    }
}
