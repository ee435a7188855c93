package io.mintaro.logging;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.TestSdks;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Log lines are kept only inside a trace, with every level, and with their errors. */
class LogCaptureTest extends LocalSdkTest {
  @Test
  void linesOutsideAnyTraceAreNotKept() {
    long before = Core.of(sdk).recorder().written();

    assertThat(LogCapture.inTrace()).isFalse();
    LogCapture.record(Level.ERROR, "app", "main", System.currentTimeMillis(), "nobody will ship this", null);
    LogCapture.record(Level.INFO, "app", "main", System.currentTimeMillis(), "nor this", "E", "m", "s");

    assertThat(Core.of(sdk).recorder().written()).isEqualTo(before);
  }

  @Test
  void linesInsideATraceAreKeptWithTheCurrentSpan() {
    String traceId;
    String childSpanId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      assertThat(LogCapture.inTrace()).isTrue();
      LogCapture.record(Level.DEBUG, "app.Orders", "qtp-1", System.currentTimeMillis(), "loading order", null);
      try (Span child = Mintaro.startSpan("child")) {
        childSpanId = child.spanId();
        LogCapture.record(Level.TRACE, "app.Orders", "qtp-1", System.currentTimeMillis(), "deep detail", null);
      }
    }

    List<Map<String, Object>> logs = list(RingDump.trace(sdk, traceId), "logs");
    assertThat(logs).extracting(l -> l.get("message")).containsExactly("loading order", "deep detail");
    assertThat(logs.get(0)).containsEntry("level", "DEBUG").containsEntry("logger", "app.Orders")
        .containsEntry("thread", "qtp-1").containsEntry("error", null);
    assertThat(logs.get(1)).containsEntry("level", "TRACE").containsEntry("spanId", childSpanId);
  }

  @Test
  void everyLevelIsNamedAsTheProtocolSays() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      for (Level level : List.of(Level.ALL, Level.TRACE, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR)) {
        LogCapture.record(level, "l", "t", System.currentTimeMillis(), level.name(), null);
      }
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).extracting(l -> l.get("level"))
        .containsExactly("TRACE", "TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  }

  @Test
  void errorsAreKeptWithTheLine() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      LogCapture.record(Level.ERROR, "l", "t", System.currentTimeMillis(), "failed",
          new IllegalStateException("broken"));
      LogCapture.record(Level.WARNING, "l", "t", System.currentTimeMillis(), "as text",
          "java.io.IOException", "reset", "java.io.IOException: reset\n\tat x.y(Z.java:1)");
    }

    List<Map<String, Object>> logs = list(RingDump.trace(sdk, traceId), "logs");
    assertThat(map(logs.get(0).get("error"))).containsEntry("type", "java.lang.IllegalStateException")
        .containsEntry("message", "broken");
    assertThat((String) map(logs.get(0).get("error")).get("stack")).contains("LogCaptureTest");
    assertThat(map(logs.get(1).get("error"))).containsEntry("type", "java.io.IOException")
        .containsEntry("stack", "java.io.IOException: reset\n\tat x.y(Z.java:1)");
  }

  // A context taken where the line is logged, recorded where it is handled.

  @Test
  void outsideATraceThereIsNoContextToTake() {
    assertThat(LogCapture.currentContext()).isNull();
  }

  @Test
  void aContextTakenOnTheLoggingThreadRecordsTheLineFromAnotherThreadIntoItsSpan() throws Exception {
    String traceId;
    String spanId;
    Object context;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      spanId = root.spanId();
      context = LogCapture.currentContext();
    }
    Thread recorder = new Thread(() -> LogCapture.record(context, Level.WARNING, "app.Orders", "qtp-1",
        System.currentTimeMillis(), "queued, recorded after the span ended", new IllegalStateException("late")),
        "log4j-disruptor");
    recorder.start();
    recorder.join();

    List<Map<String, Object>> logs = list(RingDump.trace(sdk, traceId), "logs");
    assertThat(logs).singleElement().satisfies(line -> {
      assertThat(line).containsEntry("spanId", spanId).containsEntry("level", "WARN")
          .containsEntry("thread", "qtp-1").containsEntry("message", "queued, recorded after the span ended");
      assertThat(map(line.get("error"))).containsEntry("type", "java.lang.IllegalStateException");
    });
  }

  @Test
  void withoutAContextNothingIsRecorded() {
    long before = Core.of(sdk).recorder().written();

    LogCapture.record(null, Level.ERROR, "l", "t", System.currentTimeMillis(), "logged outside a trace", null);
    LogCapture.record("not a context", Level.ERROR, "l", "t", System.currentTimeMillis(), "never", null);

    assertThat(Core.of(sdk).recorder().written()).isEqualTo(before);
  }

  @Test
  void aReusedStringBuilderIsRecordedAsTheTextItHeldThen() {
    StringBuilder buffer = new StringBuilder();
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      Object context = LogCapture.currentContext();
      buffer.append("ascii only");
      LogCapture.record(context, Level.INFO, "l", "t", System.currentTimeMillis(), buffer, null);
      buffer.setLength(0);
      buffer.append("prix: 5 € — naïve \uD83D\uDE00 done"); // 2-, 3- and 4-byte UTF-8
      LogCapture.record(context, Level.INFO, "l", "t", System.currentTimeMillis(), buffer, null);
      buffer.setLength(0);
      buffer.append("lone \uD800 surrogate");
      LogCapture.record(context, Level.INFO, "l", "t", System.currentTimeMillis(), buffer, null);
      buffer.setLength(0);
      buffer.append("é".repeat(40_000)); // cut at a character boundary, as a String would be
      LogCapture.record(context, Level.INFO, "l", "t", System.currentTimeMillis(), buffer, null);
      LogCapture.record(context, Level.INFO, "l", "t", System.currentTimeMillis(), buffer.toString(), null);
      buffer.setLength(0);
      buffer.append("overwritten afterwards");
    }

    List<Object> messages = list(RingDump.trace(sdk, traceId), "logs").stream().map(l -> l.get("message")).toList();
    assertThat(messages).hasSize(5);
    assertThat(messages.subList(0, 3)).containsExactly("ascii only", "prix: 5 € — naïve \uD83D\uDE00 done",
        "lone \uFFFD surrogate");
    assertThat((String) messages.get(3)).matches("é+").isEqualTo(messages.get(4))
        .hasSizeLessThan(40_000);
  }

  @Test
  void anErrorLineRecordedThroughAContextTriggersItsTraceWithTheStartOfTheLine() throws Exception {
    List<String> triggers = new CopyOnWriteArrayList<>();
    Core.of(sdk).triggerListener((traceId, kind, reason) -> triggers.add(traceId + " " + kind + " " + reason));
    String traceId;
    Object context;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      context = LogCapture.currentContext();
    }
    StringBuilder longLine = new StringBuilder("payment failed: ").append("x".repeat(500));
    Thread recorder = new Thread(() -> LogCapture.record(context, Level.ERROR, "l", "t",
        System.currentTimeMillis(), longLine, null));
    recorder.start();
    recorder.join();

    assertThat(triggers).containsExactly(traceId + " error ERROR log: payment failed: " + "x".repeat(184) + "…");
  }

  @Test
  void anyOtherCharSequenceIsRecordedAsItsText() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      LogCapture.record(LogCapture.currentContext(), Level.INFO, "l", "t", System.currentTimeMillis(),
          java.nio.CharBuffer.wrap("from a CharBuffer"), null);
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).extracting(l -> l.get("message"))
        .containsExactly("from a CharBuffer");
  }

  @Test
  void aLineLoggedLongAgoKeepsItsOwnTime() {
    String traceId;
    long oneMinuteAgo = System.currentTimeMillis() - 60_000;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      LogCapture.record(Level.INFO, "l", "t", oneMinuteAgo, "queued", null);
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs").get(0)).containsEntry("timeUs", oneMinuteAgo * 1000);
  }

  @Test
  void aCurrentLineIsOrderedAgainstSpansToTheMicrosecond() {
    String traceId;
    long startUs;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      startUs = root.startMicros();
      LogCapture.record(Level.INFO, "l", "t", System.currentTimeMillis(), "now", null);
    }

    assertThat((long) list(RingDump.trace(sdk, traceId), "logs").get(0).get("timeUs")).isGreaterThanOrEqualTo(startUs);
  }
}
