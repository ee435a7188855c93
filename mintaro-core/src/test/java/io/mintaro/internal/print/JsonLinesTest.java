package io.mintaro.internal.print;

import static io.mintaro.internal.print.PrintingSdks.await;
import static io.mintaro.internal.print.PrintingSdks.lines;
import static io.mintaro.internal.print.PrintingSdks.list;
import static io.mintaro.internal.print.PrintingSdks.map;
import static io.mintaro.internal.print.PrintingSdks.traceOf;
import static io.mintaro.internal.print.PrintingSdks.printingTo;
import static io.mintaro.internal.print.PrintingSdks.root;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.json.JsonReader;
import io.mintaro.logging.LogCapture;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code MINTARO_PRINT=json}, each triggered trace is one line of schema 1 on stdout (docs/printing.md). */
class JsonLinesTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final MintaroSdk sdk = printingTo(out, "json", b -> b.serviceVersion("2.4.1"));

  @AfterEach
  void close() {
    PrintingSdks.clearContext();
    sdk.close();
  }

  @Test
  void aTriggeredTraceIsOneLineHoldingTheRegistrationAndTheBatchTheAgentWouldSend() throws Exception {
    String traceId;
    try (RecordingSpan request = root(sdk, "POST /payments")) {
      traceId = Mintaro.traceId();
      try (Span charge = Mintaro.startSpan("charge-card")) {
        LogCapture.record(System.Logger.Level.DEBUG, "io.mintaro.demo.Payments", "main",
            System.currentTimeMillis(), "charging card", null, null, null);
        LogCapture.record(System.Logger.Level.ERROR, "io.mintaro.demo.Payments", "main",
            System.currentTimeMillis(), "card declined", new IllegalStateException("declined"));
      }
    }

    await(Duration.ofSeconds(5), () -> !lines(out).isEmpty());
    List<String> lines = lines(out);
    assertThat(lines).hasSize(1);
    Map<String, Object> line = map(JsonReader.parse(lines.get(0)));
    assertThat(line.get("mintaro")).isEqualTo(1L);
    Map<String, Object> agent = map(line.get("agent"));
    assertThat(agent).containsEntry("agentId", sdk.agentId()).containsEntry("service", "orders")
        .containsEntry("version", "2.4.1").containsEntry("sdk", "0.1.0").containsKeys("host", "pid", "authorities");
    Map<String, Object> batch = map(line.get("batch"));
    assertThat(batch.get("agentId")).isEqualTo(sdk.agentId());
    List<Object> triggers = list(batch.get("triggers"));
    assertThat(triggers).singleElement().satisfies(t -> assertThat(map(t))
        .containsEntry("traceId", traceId).containsEntry("kind", "error")
        .containsEntry("reason", "ERROR log: card declined").containsKey("atMs"));
    Map<String, Object> trace = map(list(batch.get("traces")).get(0));
    assertThat(trace).containsEntry("traceId", traceId).containsEntry("reply", false);
    assertThat(list(trace.get("spans"))).extracting(s -> map(s).get("name"))
        .containsExactlyInAnyOrder("POST /payments", "charge-card");
    assertThat(list(trace.get("logs"))).extracting(l -> map(l).get("message"))
        .containsExactly("charging card", "card declined");
    assertThat(sdk.stats().triggersReported()).isEqualTo(1);
  }

  @Test
  void recordsWrittenAfterTheTriggerAreInTheSameLineWhenTheLocalRootEnds() throws Exception {
    RecordingSpan request = root(sdk, "GET /slow-root");
    Mintaro.trigger("downstream failed");
    Thread.sleep(300); // longer than the printer's tick: the trace is held while its root runs
    assertThat(lines(out)).isEmpty();
    LogCapture.record(System.Logger.Level.INFO, "app", "main", System.currentTimeMillis(), "after the trigger",
        null, null, null);
    request.close();

    await(Duration.ofSeconds(3), () -> !lines(out).isEmpty());
    Thread.sleep(100);
    assertThat(lines(out)).hasSize(1);
    Map<String, Object> trace = traceOf(lines(out).get(0));
    assertThat(list(trace.get("spans"))).singleElement()
        .satisfies(s -> assertThat(map(s)).containsEntry("name", "GET /slow-root")
            .containsEntry("status", "succeeded"));
    assertThat(list(trace.get("logs"))).extracting(l -> map(l).get("message"))
        .containsExactly("after the trigger");
  }

  @Test
  void aTraceWhoseRootNeverEndsIsPrintedAtShutdownWithItsRootStarted() {
    root(sdk, "GET /hangs");
    Mintaro.trigger("manual"); // the span stays current on this thread, as in a request that hangs

    sdk.close(Duration.ofSeconds(2));

    assertThat(lines(out)).singleElement().satisfies(l -> assertThat(l).contains("\"name\":\"GET /hangs\"")
        .contains("\"status\":\"started\""));
  }
}
