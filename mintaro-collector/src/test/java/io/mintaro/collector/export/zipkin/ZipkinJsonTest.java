package io.mintaro.collector.export.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintaro.collector.export.ExportedTrace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Corners of the Zipkin mapping that the real-server test does not reach. */
class ZipkinJsonTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    static ExportedTrace.Span span(String id, String parent, String kind, String status, Long endUs,
                                   Map<String, String> attributes) {
        return new ExportedTrace.Span("orders", id, parent, "op " + id, kind, status, 1_000, endUs, attributes, null,
                List.of());
    }

    static JsonNode write(List<ExportedTrace.Span> spans, List<ExportedTrace.Log> logs) throws Exception {
        ExportedTrace t = new ExportedTrace(TRACE, "ok", null, List.of("orders"), spans, List.of(), logs);
        return new ObjectMapper().readTree(ZipkinJson.spans(List.of(t)));
    }

    @Test
    void aClientCallToAHostNameNamesTheRemoteServiceByIt() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "client", "succeeded", 2_000L,
                Map.of("server.address", "payments.internal:8443"))), List.of());
        assertThat(out.at("/0/remoteEndpoint/serviceName").asText()).isEqualTo("payments.internal");
        assertThat(out.at("/0/remoteEndpoint/port").asInt()).isEqualTo(8443);
        assertThat(out.at("/0/remoteEndpoint").has("ipv4")).isFalse();
    }

    @Test
    void anIpv6AddressIsAnIpv6Endpoint() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "client", "succeeded", 2_000L,
                Map.of("server.address", "[::1]:9000"))), List.of());
        assertThat(out.at("/0/remoteEndpoint/ipv6").asText()).isEqualTo("::1");
        assertThat(out.at("/0/remoteEndpoint/port").asInt()).isEqualTo(9000);
    }

    @Test
    void anInternalSpanHasNoKindAndAnUnfinishedOneNoDuration() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "internal", "started", null, Map.of())),
                List.of());
        assertThat(out.at("/0").has("kind")).isFalse();
        assertThat(out.at("/0").has("duration")).isFalse();
        assertThat(out.at("/0/timestamp").asLong()).isEqualTo(1_000);
        assertThat(out.at("/0/tags/mintaro.unfinished").asText()).isEqualTo("true");
    }

    @Test
    void aLogWhoseSpanIsNotInTheTraceAnnotatesTheRootSpan() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "server", "succeeded", 9_000L, Map.of()),
                        span("0000000000000002", "0000000000000001", "internal", "succeeded", 5_000L, Map.of())),
                List.of(new ExportedTrace.Log("orders", "00000000000000ff", 3_000, "WARN", null, "main", "lost", null),
                        new ExportedTrace.Log("orders", "0000000000000002", 4_000, "INFO", "app", "main", "found",
                                null)));
        assertThat(out.at("/0/annotations/0/value").asText()).isEqualTo("WARN: lost");
        assertThat(out.at("/0/annotations/0/timestamp").asLong()).isEqualTo(3_000);
        assertThat(out.at("/1/annotations/0/value").asText()).isEqualTo("INFO app: found");
    }

    @Test
    void spanEventsAreAnnotationsWithTheirAttributesAsKeyValuePairsInTimeOrderWithTheLogs() throws Exception {
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        attributes.put("cache.key", "user:42");
        attributes.put("hits", "3");
        ExportedTrace.Span s = new ExportedTrace.Span("orders", "0000000000000001", null, "GET /users/42", "server",
                "succeeded", 1_000, 9_000L, Map.of(), null, List.of(), List.of(
                        new ExportedTrace.Event(2_000, "cache miss", attributes),
                        new ExportedTrace.Event(6_000, "retry", Map.of())));
        JsonNode out = write(List.of(s),
                List.of(new ExportedTrace.Log("orders", "0000000000000001", 4_000, "INFO", "app", "main", "loaded", null)));
        JsonNode annotations = out.at("/0/annotations");
        assertThat(annotations).hasSize(3);
        assertThat(annotations.get(0).get("timestamp").asLong()).isEqualTo(2_000);
        assertThat(annotations.get(0).get("value").asText()).isEqualTo("cache miss cache.key=user:42 hits=3");
        assertThat(annotations.get(1).get("timestamp").asLong()).isEqualTo(4_000);
        assertThat(annotations.get(1).get("value").asText()).isEqualTo("INFO app: loaded");
        assertThat(annotations.get(2).get("timestamp").asLong()).isEqualTo(6_000);
        assertThat(annotations.get(2).get("value").asText()).isEqualTo("retry");
    }

    @Test
    void aSpanWithoutEventsNorLogsHasNoAnnotations() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "server", "succeeded", 2_000L, Map.of())),
                List.of());
        assertThat(out.at("/0").has("annotations")).isFalse();
    }

    @Test
    void aFailedSpanWithoutAnErrorRecordIsStillAnError() throws Exception {
        JsonNode out = write(List.of(span("0000000000000001", null, "server", "failed", 2_000L, Map.of())),
                List.of());
        assertThat(out.at("/0/tags/error").asText()).isEqualTo("failed");
    }
}
