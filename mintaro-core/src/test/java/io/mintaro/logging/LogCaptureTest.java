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
