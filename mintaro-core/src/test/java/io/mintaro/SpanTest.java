package io.mintaro;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spans nest on the current thread, and what they carry is written to the flight recorder. */
@SuppressWarnings("try") // spans opened only for the context they make current
class SpanTest extends LocalSdkTest {
  @Test
  void aChildSpanJoinsTheTraceOfTheCurrentSpan() {
    try (RecordingSpan root = TestSdks.root(sdk, "root");
        Span child = Mintaro.startSpan("child")) {
      assertThat(child.traceId()).isEqualTo(root.traceId()).matches("[0-9a-f]{32}");
      assertThat(child.spanId()).isNotEqualTo(root.spanId()).matches("[0-9a-f]{16}");
      assertThat(Mintaro.traceId()).isEqualTo(root.traceId());
    }
  }

  @Test
  void closingASpanMakesThePreviousSpanCurrentAgain() {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      Span child = Mintaro.startSpan("child");
      assertThat(Core.current().spanId).isNotEqualTo(root.context().spanId);

      child.close();

      assertThat(Core.current()).isSameAs(root.context());
      try (Span sibling = Mintaro.startSpan("sibling")) {
        assertThat(sibling.traceId()).isEqualTo(root.traceId());
      }
      assertThat(Core.current()).isSameAs(root.context());
    }
    assertThat(Mintaro.traceId()).as("outside any span").isNull();
    assertThat(Core.current()).isNull();
  }

  @Test
  void parentsAreRecordedAsTheyNest() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      try (Span a = Mintaro.startSpan("a")) {
        try (Span b = Mintaro.startSpan("b")) {
          b.attribute("depth", 2);
        }
      }
      try (Span c = Mintaro.startSpan("c")) {
        c.attribute("depth", 1);
      }
    }
    Map<String, Object> trace = RingDump.trace(sdk, traceId);

    Map<String, Object> root = span(trace, "root");
    assertThat(root).containsEntry("parentSpanId", null).containsEntry("kind", "internal");
    assertThat(span(trace, "a")).containsEntry("parentSpanId", root.get("spanId"));
    assertThat(span(trace, "b")).containsEntry("parentSpanId", span(trace, "a").get("spanId"));
    assertThat(span(trace, "c")).containsEntry("parentSpanId", root.get("spanId"));
    assertThat(list(trace, "spans")).allSatisfy(s -> assertThat(s).containsEntry("status", "succeeded"));
  }

  @Test
  void anOpenSpanIsRecordedAsStarted() {
    try (RecordingSpan root = TestSdks.root(sdk, "still running")) {
      assertThat(span(RingDump.trace(sdk, root.traceId()), "still running")).containsEntry("status", "started")
          .containsEntry("endUs", null);
    }
  }

  @Test
  void attributesFailuresAndHandledErrorsAreWrittenToTheRing() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      try (Span span = Mintaro.startSpan("charge-card")) {
        span.attribute("amount", 12).attribute("currency", "EUR").attribute("retry", true)
            .attribute("currency", "CHF"); // the last value wins
        span.recordError(new java.io.IOException("gateway timeout"));
        span.fail(new IllegalStateException("card declined"));
      }
    }

    Map<String, Object> span = span(RingDump.trace(sdk, traceId), "charge-card");

    assertThat(span).containsEntry("status", "failed")
        .containsEntry("attributes", Map.of("amount", "12", "currency", "CHF", "retry", "true"));
    assertThat(map(span.get("error"))).containsEntry("type", "java.lang.IllegalStateException")
        .containsEntry("message", "card declined");
    assertThat((String) map(span.get("error")).get("stack")).contains("card declined").contains("SpanTest");
    assertThat(list(span, "handledErrors")).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("type", "java.io.IOException").containsEntry("message", "gateway timeout"));
    assertThat((long) span.get("endUs")).isGreaterThanOrEqualTo((long) span.get("startUs"));
  }

  @Test
  void eventsAreWrittenWithTheirTimeAndAttributesAsText() {
    String traceId;
    long before = System.currentTimeMillis() * 1000;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      root.event("cache miss", Map.of("cache.key", "user:42", "hits", 3L));
      root.event("retry");
    }

    List<Map<String, Object>> events = list(span(RingDump.trace(sdk, traceId), "root"), "events");

    assertThat(events).extracting(e -> e.get("name")).containsExactly("cache miss", "retry");
    assertThat(events.get(0)).containsEntry("attributes", Map.of("cache.key", "user:42", "hits", "3"));
    assertThat(events.get(1)).containsEntry("attributes", Map.of());
    assertThat((long) events.get(0).get("timeUs")).isBetween(before - 1_000_000, before + 60_000_000);
  }

  @Test
  void eventsPastTheLimitOfOneSpanAndEventsAfterItEndedAreDropped() {
    String traceId;
    Span ended;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      for (int i = 0; i < 200; i++) {
        root.event("e" + i);
      }
      root.event("").event(null, Map.of("k", "v"));
      ended = root;
    }
    ended.event("too late");

    List<Map<String, Object>> events = list(span(RingDump.trace(sdk, traceId), "root"), "events");

    assertThat(events).hasSize(128);
    assertThat(events.get(127)).containsEntry("name", "e127");
  }

  @Test
  void anEventsAttributeMapThatFailsKeepsWhatWasRead() {
    Map<String, Object> hostile = new java.util.AbstractMap<>() {
      @Override
      public java.util.Set<Entry<String, Object>> entrySet() {
        throw new IllegalStateException("boom");
      }

      @Override
      public int size() {
        return 1;
      }
    };
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      root.event("odd", hostile);
    }

    assertThat(list(span(RingDump.trace(sdk, traceId), "root"), "events")).singleElement()
        .satisfies(e -> assertThat(e).containsEntry("name", "odd").containsEntry("attributes", Map.of()));
  }

  @Test
  void recordingAHandledErrorLeavesTheSpanSucceeded() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      root.recordError(new RuntimeException("retried"));
    }

    assertThat(span(RingDump.trace(sdk, traceId), "root")).containsEntry("status", "succeeded");
  }

  @Test
  void failingWithoutAnExceptionStillFailsTheSpan() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      root.fail(null);
    }

    Map<String, Object> span = span(RingDump.trace(sdk, traceId), "root");
    assertThat(span).containsEntry("status", "failed");
    assertThat(map(span.get("error"))).containsEntry("type", "failed");
  }

  @Test
  void nothingChangesAfterClose() {
    RecordingSpan root = TestSdks.root(sdk, "root");
    root.attribute("before", "yes");
    root.close();
    root.attribute("after", "no").recordError(new RuntimeException("late")).fail(new RuntimeException("late"));
    root.close();

    Map<String, Object> trace = RingDump.trace(sdk, root.traceId());
    assertThat(list(trace, "spans")).hasSize(1);
    assertThat(span(trace, "root")).containsEntry("status", "succeeded")
        .containsEntry("attributes", Map.of("before", "yes")).containsEntry("handledErrors", List.of());
  }

  @Test
  void attributesAndHandledErrorsAreBounded() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      for (int i = 0; i < 200; i++) {
        root.attribute("k" + i, i);
        root.recordError(new RuntimeException("e" + i));
      }
    }

    Map<String, Object> span = span(RingDump.trace(sdk, traceId), "root");
    assertThat(map(span.get("attributes"))).hasSize(64).containsEntry("k0", "0").containsEntry("k63", "63");
    assertThat(list(span, "handledErrors")).hasSize(8);
  }

  @Test
  void aKeySetAgainAndAgainKeepsItsLastValueAndLeavesRoomForOtherKeys() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      for (int i = 0; i < 500; i++) {
        root.attribute("attempt", i);
      }
      for (int i = 0; i < 10; i++) {
        root.attribute("k" + i, "v" + i);
      }
    }

    Map<String, Object> attributes = map(span(RingDump.trace(sdk, traceId), "root").get("attributes"));
    assertThat(attributes).hasSize(11).containsEntry("attempt", "499").containsEntry("k0", "v0")
        .containsEntry("k9", "v9");
  }

  @Test
  void runAndCallWrapWorkInASpanAndFailItWhenWorkThrows() throws Exception {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      Mintaro.run("ok-run", () -> assertThat(Mintaro.traceId()).isEqualTo(root.traceId()));
      assertThat(Mintaro.call("ok-call", () -> 42)).isEqualTo(42);
      assertThatThrownBy(() -> Mintaro.run("bad-run", () -> {
        throw new IllegalArgumentException("nope");
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("nope");
      assertThatThrownBy(() -> Mintaro.call("bad-call", () -> {
        throw new java.io.IOException("io");
      })).isInstanceOf(java.io.IOException.class);
      assertThat(Core.current()).isSameAs(root.context());
    }

    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    assertThat(span(trace, "ok-run")).containsEntry("status", "succeeded");
    assertThat(span(trace, "ok-call")).containsEntry("status", "succeeded");
    assertThat(span(trace, "bad-run")).containsEntry("status", "failed");
    assertThat(map(span(trace, "bad-call").get("error"))).containsEntry("type", "java.io.IOException");
  }

  @Test
  void spansOfDifferentTracesNeverMeetInTheRing() {
    String first;
    String second;
    try (RecordingSpan root = TestSdks.root(sdk, "first")) {
      first = root.traceId();
      Mintaro.startSpan("first-child").close();
    }
    try (RecordingSpan root = TestSdks.root(sdk, "second")) {
      second = root.traceId();
    }

    assertThat(first).isNotEqualTo(second);
    assertThat(list(RingDump.trace(sdk, first), "spans")).extracting(s -> s.get("name"))
        .containsExactlyInAnyOrder("first", "first-child");
    assertThat(list(RingDump.trace(sdk, second), "spans")).extracting(s -> s.get("name")).containsExactly("second");
  }
}
