package io.mintaro.collector.export.otlp;

import com.google.protobuf.ByteString;
import io.mintaro.collector.export.ExportedTrace;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mintaro's records as OTLP messages (the official generated classes): one resource per service,
 * spans with attributes, status, their span events and exception events, each span's HTTP exchange
 * as attributes and {@code http.request} / {@code http.response} events, and log lines as log
 * records tied to their span (scope = logger name, as the OpenTelemetry Java appenders do).
 */
final class OtlpMapping {
    static final String SCOPE = "io.mintaro";

    private OtlpMapping() {
    }

    static ExportTraceServiceRequest traces(List<ExportedTrace> traces) {
        Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
        for (ExportedTrace t : traces) {
            Map<String, ExportedTrace.Exchange> exchanges = exchangesBySpan(t);
            for (ExportedTrace.Span s : t.spans()) {
                byService.computeIfAbsent(s.service(),
                        k -> ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE)))
                        .addSpans(span(t.traceId(), s, exchanges.get(s.spanId())));
            }
        }
        ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
        byService.forEach((service, scope) -> out.addResourceSpans(
                ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope)));
        return out.build();
    }

    static ExportLogsServiceRequest logs(List<ExportedTrace> traces) {
        Map<String, Map<String, ScopeLogs.Builder>> byService = new LinkedHashMap<>();
        for (ExportedTrace t : traces) {
            for (ExportedTrace.Log l : t.logs()) {
                String logger = l.logger() == null ? SCOPE : l.logger();
                byService.computeIfAbsent(l.service(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(logger, k -> ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(k)))
                        .addLogRecords(log(t.traceId(), l));
            }
        }
        ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
        byService.forEach((service, scopes) -> {
            ResourceLogs.Builder r = ResourceLogs.newBuilder().setResource(resource(service));
            scopes.values().forEach(r::addScopeLogs);
            out.addResourceLogs(r);
        });
        return out.build();
    }

    private static Map<String, ExportedTrace.Exchange> exchangesBySpan(ExportedTrace t) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (ExportedTrace.Span s : t.spans()) {
            kinds.put(s.spanId(), s.kind());
        }
        Map<String, ExportedTrace.Exchange> out = new LinkedHashMap<>();
        for (ExportedTrace.Exchange x : t.exchanges()) {
            String kind = x.spanId() == null ? null : kinds.get(x.spanId());
            if (kind != null && "inbound".equals(x.direction()) == "server".equals(kind)) {
                out.putIfAbsent(x.spanId(), x);
            }
        }
        return out;
    }

    private static Resource resource(String service) {
        return Resource.newBuilder().addAttributes(kv("service.name", service)).build();
    }

    private static Span span(String traceId, ExportedTrace.Span s, ExportedTrace.Exchange x) {
        long startNs = s.startUs() * 1_000;
        long endNs = (s.endUs() == null ? s.startUs() : s.endUs()) * 1_000;
        Span.Builder b = Span.newBuilder()
                .setTraceId(id(traceId))
                .setSpanId(id(s.spanId()))
                .setName(s.name() == null ? "" : s.name())
                .setKind(switch (s.kind()) {
                    case "server" -> Span.SpanKind.SPAN_KIND_SERVER;
                    case "client" -> Span.SpanKind.SPAN_KIND_CLIENT;
                    default -> Span.SpanKind.SPAN_KIND_INTERNAL;
                })
                .setStartTimeUnixNano(startNs)
                .setEndTimeUnixNano(endNs);
        if (s.parentSpanId() != null) {
            b.setParentSpanId(id(s.parentSpanId()));
        }
        s.attributes().forEach((k, v) -> b.addAttributes(kv(k, v)));
        if (s.endUs() == null) {
            b.addAttributes(KeyValue.newBuilder().setKey("mintaro.unfinished")
                    .setValue(AnyValue.newBuilder().setBoolValue(true)));
        }
        if (x != null) {
            exchange(b, x);
        }
        for (ExportedTrace.Event e : s.events()) {
            Span.Event.Builder event = Span.Event.newBuilder().setName(e.name() == null ? "" : e.name())
                    .setTimeUnixNano(e.timeUs() * 1_000);
            e.attributes().forEach((k, v) -> event.addAttributes(kv(k, v)));
            b.addEvents(event);
        }
        Status.Builder status = Status.newBuilder();
        switch (s.status()) {
            case "failed" -> {
                status.setCode(Status.StatusCode.STATUS_CODE_ERROR);
                if (s.error() != null) {
                    status.setMessage(s.error().message() != null ? s.error().message() : s.error().type());
                    b.addEvents(exception(endNs, s.error(), false));
                }
            }
            case "succeeded" -> status.setCode(Status.StatusCode.STATUS_CODE_OK);
            default -> status.setCode(Status.StatusCode.STATUS_CODE_UNSET);
        }
        for (ExportedTrace.Error handled : s.handledErrors()) {
            b.addEvents(exception(endNs, handled, true));
        }
        return b.setStatus(status).build();
    }

    private static void exchange(Span.Builder b, ExportedTrace.Exchange x) {
        b.addAttributes(kv("http.request.method", x.method()));
        if (x.url() != null) {
            b.addAttributes(kv("url.full", x.url()));
        }
        if (x.status() > 0) {
            b.addAttributes(kv("http.response.status_code", x.status()));
        }
        if (x.error() != null) {
            b.addAttributes(kv("error.type", x.error()));
        }
        long startNs = x.startUs() * 1_000;
        Span.Event.Builder request = Span.Event.newBuilder().setName("http.request").setTimeUnixNano(startNs);
        headers(request, "http.request.header.", x.requestHeaders());
        request.addAttributes(kv("http.request.body.size", x.requestBodySize()));
        if (x.requestBody() != null) {
            request.addAttributes(kv("http.request.body", x.requestBody()));
        }
        b.addEvents(request);
        Span.Event.Builder response = Span.Event.newBuilder().setName("http.response")
                .setTimeUnixNano(startNs + (x.durationUs() == null ? 0 : x.durationUs() * 1_000));
        if (x.status() > 0) {
            response.addAttributes(kv("http.response.status_code", x.status()));
        }
        headers(response, "http.response.header.", x.responseHeaders());
        response.addAttributes(kv("http.response.body.size", x.responseBodySize()));
        if (x.responseBody() != null) {
            response.addAttributes(kv("http.response.body", x.responseBody()));
        }
        if (x.error() != null) {
            response.addAttributes(kv("error.type", x.error()));
        }
        b.addEvents(response);
    }

    private static void headers(Span.Event.Builder e, String prefix, List<Map.Entry<String, String>> headers) {
        for (Map.Entry<String, String> h : headers) {
            e.addAttributes(kv(prefix + h.getKey(), h.getValue()));
        }
    }

    private static Span.Event.Builder exception(long timeNs, ExportedTrace.Error error, boolean handled) {
        Span.Event.Builder e = Span.Event.newBuilder().setName("exception").setTimeUnixNano(timeNs);
        exceptionAttributes(error, e::addAttributes);
        if (handled) {
            e.addAttributes(KeyValue.newBuilder().setKey("mintaro.handled")
                    .setValue(AnyValue.newBuilder().setBoolValue(true)));
        }
        return e;
    }

    private static void exceptionAttributes(ExportedTrace.Error error, java.util.function.Consumer<KeyValue> add) {
        if (error.type() != null) {
            add.accept(kv("exception.type", error.type()));
        }
        if (error.message() != null) {
            add.accept(kv("exception.message", error.message()));
        }
        if (error.stack() != null) {
            add.accept(kv("exception.stacktrace", error.stack()));
        }
    }

    private static LogRecord log(String traceId, ExportedTrace.Log l) {
        long timeNs = l.timeUs() * 1_000;
        LogRecord.Builder b = LogRecord.newBuilder()
                .setTimeUnixNano(timeNs)
                .setObservedTimeUnixNano(timeNs)
                .setSeverityNumber(severity(l.level()))
                .setSeverityText(l.level())
                .setTraceId(id(traceId))
                // Sampled: Mintaro kept it, which is what the flag tells a backend.
                .setFlags(1);
        if (l.message() != null) {
            b.setBody(AnyValue.newBuilder().setStringValue(l.message()));
        }
        if (l.spanId() != null) {
            b.setSpanId(id(l.spanId()));
        }
        if (l.thread() != null) {
            b.addAttributes(kv("thread.name", l.thread()));
        }
        if (l.error() != null) {
            exceptionAttributes(l.error(), b::addAttributes);
        }
        return b.build();
    }

    static SeverityNumber severity(String level) {
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> SeverityNumber.SEVERITY_NUMBER_TRACE;
            case "DEBUG" -> SeverityNumber.SEVERITY_NUMBER_DEBUG;
            case "INFO" -> SeverityNumber.SEVERITY_NUMBER_INFO;
            case "WARN" -> SeverityNumber.SEVERITY_NUMBER_WARN;
            case "ERROR" -> SeverityNumber.SEVERITY_NUMBER_ERROR;
            default -> SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED;
        };
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
