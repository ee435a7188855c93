package io.mintaro.internal.agent;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.recorder.ErrorInfo;
import io.mintaro.internal.recorder.SpanEvent;
import io.mintaro.internal.recorder.FlightRecorder;
import io.mintaro.internal.recorder.RecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ring records of one trace become the traces[] entry of protocol v1. */
class BatchEncoderTest {
  private static final long HI = 0x4bf92f3577b34da6L;
  private static final long LO = 0xa3ce929d0e0e4736L;
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final long ROOT = 0x00f067aa0ba902b7L;
  private static final long CHILD = 0x1111111111111111L;

  private final FlightRecorder recorder = new FlightRecorder(1 << 20);
  private final RecordWriter writer = new RecordWriter(recorder);

  @Test
  void theEntryNamesItsTraceAndListsEveryKindOfRecord() {
    Map<String, Object> trace = RingDump.trace(recorder, TRACE);

    assertThat(trace).containsEntry("traceId", TRACE).containsEntry("reply", false);
    assertThat(trace).containsKeys("spans", "messages", "logs", "breadcrumbs");
    assertThat(list(trace, "spans")).isEmpty();
  }

  @Test
  void aSpanThatHasNotEndedIsShippedAsStarted() {
    writer.spanStart(HI, LO, ROOT, 0, Core.KIND_SERVER, 1_000, "GET /orders");

    Map<String, Object> span = list(RingDump.trace(recorder, TRACE), "spans").get(0);

    assertThat(span).containsEntry("spanId", Ids.hex(ROOT)).containsEntry("parentSpanId", null)
        .containsEntry("name", "GET /orders").containsEntry("kind", "server").containsEntry("status", "started")
        .containsEntry("startUs", 1_000L).containsEntry("endUs", null).containsEntry("error", null)
        .containsEntry("attributes", Map.of()).containsEntry("handledErrors", List.of());
  }

  @Test
  void theFinishedSpanReplacesItsStart() {
    writer.spanStart(HI, LO, ROOT, 0, Core.KIND_SERVER, 1_000, "GET /orders");
    writer.spanStart(HI, LO, CHILD, ROOT, Core.KIND_CLIENT, 1_100, "GET pay:80");
    writer.spanEnd(HI, LO, CHILD, ROOT, Core.KIND_CLIENT, Core.STATUS_SUCCEEDED, 1_100, 1_900, "GET pay:80",
        new String[] {"http.status_code", "200"}, 1, null, null, 0, null, 0);
    writer.spanEnd(HI, LO, ROOT, 0, Core.KIND_SERVER, Core.STATUS_FAILED, 1_000, 2_000, "GET /orders",
        null, 0, new ErrorInfo("java.lang.IllegalStateException", "boom", "trace"),
        new ErrorInfo[] {new ErrorInfo("java.io.IOException", "retried", "s")}, 1,
        new SpanEvent[] {new SpanEvent(1_500, "cache miss", new String[] {"cache.key", "user:42"})}, 1);

    List<Map<String, Object>> spans = list(RingDump.trace(recorder, TRACE), "spans");

    assertThat(spans).hasSize(2);
    assertThat(spans.get(0)).containsEntry("spanId", Ids.hex(ROOT)).containsEntry("status", "failed")
        .containsEntry("startUs", 1_000L).containsEntry("endUs", 2_000L)
        .containsEntry("error", Map.of("type", "java.lang.IllegalStateException", "message", "boom", "stack", "trace"))
        .containsEntry("handledErrors", List.of(Map.of("type", "java.io.IOException", "message", "retried", "stack", "s")))
        .containsEntry("events", List.of(Map.of("timeUs", 1_500L, "name", "cache miss",
            "attributes", Map.of("cache.key", "user:42"))));
    assertThat(spans.get(1)).containsEntry("spanId", Ids.hex(CHILD)).containsEntry("parentSpanId", Ids.hex(ROOT))
        .containsEntry("kind", "client").containsEntry("status", "succeeded")
        .containsEntry("attributes", Map.of("http.status_code", "200"))
        .as("a span without events leaves the optional field out").doesNotContainKey("events");
  }

  @Test
  void messagesCarryHeadersAsPairsAndTextBodiesAsText() {
    byte[] request = "{\"amount\": 12}".getBytes(StandardCharsets.UTF_8);
    writer.exchange(HI, LO, ROOT, 1_000, 23_000, Core.DIRECTION_INBOUND, 500, "POST", "http://h:8083/payments", null,
        new String[] {"content-type", "application/json", "authorization", "[REDACTED]"}, 2, request,
        request.length, request.length, new String[] {"content-type", "text/plain"}, 1,
        "card declined".getBytes(StandardCharsets.UTF_8), 13, 13);

    Map<String, Object> message = list(RingDump.trace(recorder, TRACE), "messages").get(0);

    assertThat(message).containsEntry("spanId", Ids.hex(ROOT)).containsEntry("direction", "inbound")
        .containsEntry("method", "POST").containsEntry("url", "http://h:8083/payments").containsEntry("status", 500L)
        .containsEntry("startUs", 1_000L).containsEntry("durationUs", 23_000L).containsEntry("error", null)
        .containsEntry("requestHeaders", List.of(List.of("content-type", "application/json"),
            List.of("authorization", "[REDACTED]")))
        .containsEntry("requestBody", "{\"amount\": 12}").containsEntry("requestBodyEncoding", "utf8")
        .containsEntry("requestBodySize", 14L).containsEntry("requestBodyTruncated", false)
        .containsEntry("responseBody", "card declined").containsEntry("responseBodySize", 13L);
    assertThat(message.get("seq")).isInstanceOf(Long.class);
  }

  @Test
  void binaryBodiesAreBase64AndTruncationIsReported() {
    byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
    writer.exchange(HI, LO, ROOT, 1, 1, Core.DIRECTION_OUTBOUND, 200, "GET", "http://h/img", null, null, 0,
        null, 0, 0, null, 0, binary, binary.length, 100_000);

    Map<String, Object> message = list(RingDump.trace(recorder, TRACE), "messages").get(0);

    assertThat(message).containsEntry("direction", "outbound").containsEntry("responseBodyEncoding", "base64")
        .containsEntry("responseBody", Base64.getEncoder().encodeToString(binary))
        .containsEntry("responseBodySize", 100_000L).containsEntry("responseBodyTruncated", true)
        .containsEntry("requestBody", "").containsEntry("requestBodyEncoding", "utf8")
        .containsEntry("requestBodySize", 0L);
  }

  @Test
  void aTextBodyCutInTheMiddleOfACharacterIsStillText() {
    byte[] text = "prix: 5 €".getBytes(StandardCharsets.UTF_8);
    byte[] cut = Arrays.copyOf(text, text.length - 1);
    writer.exchange(HI, LO, ROOT, 1, 1, Core.DIRECTION_OUTBOUND, 200, "GET", "http://h/", null, null, 0,
        null, 0, 0, null, 0, cut, cut.length, 5_000);

    Map<String, Object> message = list(RingDump.trace(recorder, TRACE), "messages").get(0);

    assertThat(message).containsEntry("responseBodyEncoding", "utf8").containsEntry("responseBody", "prix: 5 ")
        .containsEntry("responseBodyTruncated", true);
  }

  @Test
  void logsAndBreadcrumbsAreShippedOldestFirst() {
    writer.log(HI, LO, ROOT, 10, LogLevels.DEBUG, "app.Payments", "qtp-1", "charging", null);
    writer.log(HI, LO, ROOT, 20, LogLevels.ERROR, "app.Payments", "qtp-1", "declined",
        new ErrorInfo("E", "m", "s"));
    writer.breadcrumb(HI, LO, ROOT, 30, Core.ROLE_CALLER, "3f2a9c0d11b4e7a1", null);
    writer.breadcrumb(HI, LO, CHILD, 40, Core.ROLE_CALLEE, null, "pay:8083");

    Map<String, Object> trace = RingDump.trace(recorder, TRACE);

    assertThat(list(trace, "logs")).extracting(l -> l.get("message")).containsExactly("charging", "declined");
    assertThat(list(trace, "logs").get(0)).containsEntry("level", "DEBUG").containsEntry("logger", "app.Payments")
        .containsEntry("thread", "qtp-1").containsEntry("timeUs", 10L).containsEntry("error", null);
    assertThat(map(list(trace, "logs").get(1).get("error"))).containsEntry("type", "E");
    assertThat(list(trace, "logs").get(1)).containsEntry("level", "ERROR");
    assertThat(list(trace, "breadcrumbs")).hasSize(2);
    assertThat(list(trace, "breadcrumbs").get(0)).containsEntry("role", "caller")
        .containsEntry("agentId", "3f2a9c0d11b4e7a1").containsEntry("authority", null)
        .containsEntry("spanId", Ids.hex(ROOT));
    assertThat(list(trace, "breadcrumbs").get(1)).containsEntry("role", "callee").containsEntry("agentId", null)
        .containsEntry("authority", "pay:8083").containsEntry("spanId", Ids.hex(CHILD));
  }

  @Test
  void sequenceNumbersAreUniqueAcrossRecords() {
    for (int i = 0; i < 20; i++) {
      writer.log(HI, LO, ROOT, i, LogLevels.INFO, "l", "t", "m" + i, null);
      writer.exchange(HI, LO, ROOT, i, 1, Core.DIRECTION_OUTBOUND, 200, "GET", "/", null, null, 0, null, 0, 0,
          null, 0, null, 0, 0);
    }
    Map<String, Object> trace = RingDump.trace(recorder, TRACE);

    List<Object> seqs = new java.util.ArrayList<>();
    list(trace, "logs").forEach(l -> seqs.add(l.get("seq")));
    list(trace, "messages").forEach(m -> seqs.add(m.get("seq")));
    assertThat(seqs).hasSize(40).doesNotHaveDuplicates();
  }
}
