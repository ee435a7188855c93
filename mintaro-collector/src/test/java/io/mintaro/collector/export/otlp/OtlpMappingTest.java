package io.mintaro.collector.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.export.ExportedTrace;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Corners of the OTLP mapping, decoded back with the official classes. */
class OtlpMappingTest {
    static Span only(ExportedTrace.Span s) throws Exception {
        ExportedTrace t = new ExportedTrace("4bf92f3577b34da6a3ce929d0e0e4736", "ok", null, List.of("orders"),
                List.of(s), List.of(), List.of());
        byte[] wire = OtlpMapping.traces(List.of(t)).toByteArray();
        return ExportTraceServiceRequest.parseFrom(wire).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    static Map<String, String> attrs(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().toString().trim()));
    }

    @Test
    void anUnfinishedSpanEndsWhereItStartedWithStatusUnsetAndIsFlagged() throws Exception {
        Span s = only(new ExportedTrace.Span("orders", "0000000000000001", null, "GET /", "internal", "started",
                5_000, null, Map.of(), null, List.of()));
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
        assertThat(s.getEndTimeUnixNano()).isEqualTo(s.getStartTimeUnixNano()).isEqualTo(5_000_000L);
        assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(attrs(s.getAttributesList())).containsEntry("mintaro.unfinished", "bool_value: true");
    }

    @Test
    void handledErrorsAreExceptionEventsMarkedHandled() throws Exception {
        Span s = only(new ExportedTrace.Span("orders", "0000000000000001", null, "GET /", "server", "succeeded",
                5_000, 9_000L, Map.of(), null, List.of(new ExportedTrace.Error("java.io.IOException", "retry", null))));
        assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(s.getEventsList()).hasSize(1);
        Span.Event e = s.getEvents(0);
        assertThat(e.getName()).isEqualTo("exception");
        assertThat(e.getTimeUnixNano()).isEqualTo(9_000_000L);
        assertThat(attrs(e.getAttributesList())).containsOnly(
                Map.entry("exception.type", "string_value: \"java.io.IOException\""),
                Map.entry("exception.message", "string_value: \"retry\""),
                Map.entry("mintaro.handled", "bool_value: true"));
    }

    @Test
    void spanEventsComeBeforeTheExceptionEventsWithTheirTimesInNanoseconds() throws Exception {
        Span s = only(new ExportedTrace.Span("orders", "0000000000000001", null, "GET /", "server", "failed",
                5_000, 9_000L, Map.of(), new ExportedTrace.Error("java.io.IOException", "gone", null),
                List.of(new ExportedTrace.Error("java.util.concurrent.TimeoutException", null, null)),
                List.of(new ExportedTrace.Event(6_000, "retry", Map.of("attempt", "1")),
                        new ExportedTrace.Event(7_000, "retry", Map.of("attempt", "2")))));
        assertThat(s.getEventsList()).extracting(Span.Event::getName)
                .containsExactly("retry", "retry", "exception", "exception");
        assertThat(s.getEventsList()).extracting(Span.Event::getTimeUnixNano)
                .containsExactly(6_000_000L, 7_000_000L, 9_000_000L, 9_000_000L);
        assertThat(attrs(s.getEvents(1).getAttributesList())).containsOnly(Map.entry("attempt", "string_value: \"2\""));
        assertThat(attrs(s.getEvents(3).getAttributesList())).containsEntry("mintaro.handled", "bool_value: true");
    }

    @Test
    void headersNeedNameEqualsValueAndKeepTheirValuesWhole() {
        assertThat(OtlpExporterProvider.headers("x-honeycomb-team=abc=def, x-dataset = shop"))
                .containsExactly(Map.entry("x-honeycomb-team", "abc=def"), Map.entry("x-dataset", "shop"));
        assertThat(OtlpExporterProvider.headers(null)).isEmpty();
    }
}
