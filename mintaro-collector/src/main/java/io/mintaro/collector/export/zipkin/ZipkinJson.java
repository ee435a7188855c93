package io.mintaro.collector.export.zipkin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Writes the Zipkin v2 JSON of traces ({@code zipkin2.Span} list, as {@code /api/v2/spans} takes it). */
final class ZipkinJson {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ZipkinJson() {
    }

    static byte[] spans(List<ExportedTrace> traces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (ExportedTrace t : traces) {
                trace(g, t);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void trace(JsonGenerator g, ExportedTrace t) throws IOException {
        Map<String, ExportedTrace.Span> byId = new HashMap<>();
        Map<String, String> childServerService = new HashMap<>();
        for (ExportedTrace.Span s : t.spans()) {
            byId.put(s.spanId(), s);
            if ("server".equals(s.kind()) && s.parentSpanId() != null) {
                childServerService.putIfAbsent(s.parentSpanId(), s.service());
            }
        }
        List<ExportedTrace.Span> roots = t.roots();
        String fallback = roots.isEmpty() ? null : roots.get(0).spanId();
        Map<String, List<ExportedTrace.Log>> logs = new HashMap<>();
        for (ExportedTrace.Log l : t.logs()) {
            String span = l.spanId() != null && byId.containsKey(l.spanId()) ? l.spanId() : fallback;
            if (span != null) {
                logs.computeIfAbsent(span, k -> new ArrayList<>()).add(l);
            }
        }
        Map<String, ExportedTrace.Exchange> exchanges = new HashMap<>();
        for (ExportedTrace.Exchange x : t.exchanges()) {
            ExportedTrace.Span s = x.spanId() == null ? null : byId.get(x.spanId());
            if (s != null && ("inbound".equals(x.direction()) == "server".equals(s.kind()))) {
                exchanges.putIfAbsent(x.spanId(), x);
            }
        }
        for (ExportedTrace.Span s : t.spans()) {
            g.writeStartObject();
            g.writeStringField("traceId", t.traceId());
            g.writeStringField("id", s.spanId());
            if (s.parentSpanId() != null) {
                g.writeStringField("parentId", s.parentSpanId());
            }
            if (s.name() != null) {
                g.writeStringField("name", s.name());
            }
            if ("server".equals(s.kind()) || "client".equals(s.kind())) {
                g.writeStringField("kind", s.kind().toUpperCase(java.util.Locale.ROOT));
            }
            g.writeNumberField("timestamp", s.startUs());
            if (s.endUs() != null) {
                g.writeNumberField("duration", Math.max(1, s.endUs() - s.startUs()));
            }
            g.writeObjectFieldStart("localEndpoint");
            g.writeStringField("serviceName", s.service());
            g.writeEndObject();
            if ("client".equals(s.kind())) {
                remoteEndpoint(g, s.attributes().get("server.address"), childServerService.get(s.spanId()));
            }
            List<Annotation> annotations = new ArrayList<>();
            for (ExportedTrace.Event e : s.events()) {
                annotations.add(new Annotation(e.timeUs(), annotation(e)));
            }
            for (ExportedTrace.Log l : logs.getOrDefault(s.spanId(), List.of())) {
                annotations.add(new Annotation(l.timeUs(), annotation(l)));
            }
            if (!annotations.isEmpty()) {
                // Zipkin keeps annotations in time order; a stable sort keeps events before logs of the same µs.
                annotations.sort(Comparator.comparingLong(Annotation::timestamp));
                g.writeArrayFieldStart("annotations");
                for (Annotation a : annotations) {
                    g.writeStartObject();
                    g.writeNumberField("timestamp", a.timestamp());
                    g.writeStringField("value", a.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> e : tags(s, exchanges.get(s.spanId())).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static Map<String, String> tags(ExportedTrace.Span s, ExportedTrace.Exchange x) {
        Map<String, String> tags = new TreeMap<>(s.attributes());
        if (x != null) {
            tags.put("http.method", x.method());
            if (x.url() != null) {
                tags.put("http.url", x.url());
                try {
                    String path = URI.create(x.url()).getRawPath();
                    if (path != null && !path.isEmpty()) {
                        tags.put("http.path", path);
                    }
                } catch (IllegalArgumentException ignored) {
                    // Not a URI: the tag is left out.
                }
            }
            if (x.status() > 0) {
                tags.put("http.status_code", Integer.toString(x.status()));
            }
            if (x.error() != null) {
                tags.put("error", x.error());
            }
        }
        if ("failed".equals(s.status())) {
            ExportedTrace.Error e = s.error();
            String text = e == null ? "failed" : e.message() != null ? e.message() : e.type();
            tags.put("error", text == null || text.isEmpty() ? "failed" : text);
            if (e != null && e.type() != null) {
                tags.put("exception.type", e.type());
            }
        }
        if (!s.handledErrors().isEmpty()) {
            tags.put("mintaro.handled_errors", Integer.toString(s.handledErrors().size()));
        }
        if ("started".equals(s.status())) {
            tags.put("mintaro.unfinished", "true");
        }
        return tags;
    }

    private record Annotation(long timestamp, String value) {
    }

    /** The event's name, then its attributes as {@code key=value}, separated by spaces. */
    private static String annotation(ExportedTrace.Event e) {
        StringBuilder b = new StringBuilder(e.name() == null ? "" : e.name());
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            b.append(' ').append(a.getKey()).append('=').append(a.getValue());
        }
        return b.toString();
    }

    private static String annotation(ExportedTrace.Log l) {
        StringBuilder b = new StringBuilder(l.level());
        if (l.logger() != null) {
            b.append(' ').append(l.logger());
        }
        b.append(": ").append(l.message() == null ? "" : l.message());
        if (l.error() != null) {
            b.append(" (").append(l.error().type());
            if (l.error().message() != null) {
                b.append(": ").append(l.error().message());
            }
            b.append(')');
        }
        return b.toString();
    }

    /** {@code server.address} is {@code host:port} as the client called it. */
    private static void remoteEndpoint(JsonGenerator g, String address, String service) throws IOException {
        if (address == null && service == null) {
            return;
        }
        g.writeObjectFieldStart("remoteEndpoint");
        if (service != null) {
            g.writeStringField("serviceName", service);
        }
        if (address != null) {
            String host = address;
            Integer port = null;
            int colon = address.lastIndexOf(':');
            int bracket = address.lastIndexOf(']');
            if (colon > bracket && colon > 0) {
                host = address.substring(0, colon);
                try {
                    port = Integer.parseInt(address.substring(colon + 1));
                } catch (NumberFormatException e) {
                    host = address;
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                g.writeStringField("ipv6", host.substring(1, host.length() - 1));
            } else if (IPV4.matcher(host).matches()) {
                g.writeStringField("ipv4", host);
            } else if (service == null) {
                g.writeStringField("serviceName", host);
            }
            if (port != null && port > 0 && port <= 65_535) {
                g.writeNumberField("port", port);
            }
        }
        g.writeEndObject();
    }
}
