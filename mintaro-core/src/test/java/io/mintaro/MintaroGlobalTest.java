package io.mintaro;

import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.agent.RingDump;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The static entry point outside any trace, where it falls back to the JVM-wide SDK. This is the
 * only test class that touches the global SDK; it installs a local-only one first.
 */
class MintaroGlobalTest {
  private static MintaroSdk global;

  @BeforeAll
  static void installALocalOnlySdk() {
    MintaroSdk sdk = TestSdks.local();
    Mintaro.install(sdk);
    global = sdk;
  }

  @AfterEach
  void cleanUp() {
    TestSdks.clearContext();
  }

  @Test
  void theInstalledSdkIsTheGlobalOne() {
    assertThat(Mintaro.sdk()).isSameAs(global);
    Mintaro.install(global); // installing it again is harmless
    try (MintaroSdk other = TestSdks.local()) {
      assertThatThrownBy(() -> Mintaro.install(other)).isInstanceOf(IllegalStateException.class);
    }
    assertThat(Mintaro.sdk()).isSameAs(global);
  }

  @Test
  void thereIsNoTraceOutsideAnySpan() {
    assertThat(Mintaro.traceId()).isNull();
  }

  @Test
  void aSpanStartedOutsideAnyTraceStartsANewTraceInTheGlobalSdk() {
    String traceId;
    try (Span root = Mintaro.startSpan("global-root")) {
      traceId = root.traceId();
      assertThat(Mintaro.traceId()).isEqualTo(traceId);
    }

    assertThat(Mintaro.traceId()).isNull();
    assertThat(span(RingDump.trace(global, traceId), "global-root")).containsEntry("parentSpanId", null);
  }

  @Test
  void spansNestAndUnwind() {
    try (Span root = Mintaro.startSpan("root")) {
      try (Span child = Mintaro.startSpan("child")) {
        assertThat(child.traceId()).isEqualTo(root.traceId());
        try (Span grandchild = Mintaro.startSpan("grandchild")) {
          assertThat(grandchild.traceId()).isEqualTo(root.traceId());
        }
        assertThat(Mintaro.traceId()).isEqualTo(root.traceId());
      }
      assertThat(Mintaro.traceId()).isEqualTo(root.traceId());
      Map<String, Object> trace = RingDump.trace(global, root.traceId());
      assertThat(span(trace, "grandchild")).containsEntry("parentSpanId", span(trace, "child").get("spanId"));
    }
    assertThat(Mintaro.traceId()).isNull();
  }

  @Test
  void everyRootStartsADifferentTrace() {
    String first;
    try (Span root = Mintaro.startSpan("one")) {
      first = root.traceId();
    }
    try (Span root = Mintaro.startSpan("two")) {
      assertThat(root.traceId()).isNotEqualTo(first);
    }
  }

  @Test
  void runOutsideAnyTraceRunsInANewTrace() {
    String[] seen = new String[1];
    Mintaro.run("job", () -> seen[0] = Mintaro.traceId());

    assertThat(seen[0]).matches("[0-9a-f]{32}");
    assertThat(Mintaro.traceId()).isNull();
    assertThat(span(RingDump.trace(global, seen[0]), "job")).containsEntry("status", "succeeded");
  }

  @Test
  void aManualTriggerOutsideAnyTraceDoesNothing() {
    long before = global.stats().bytesRecorded();

    Mintaro.trigger("nothing to collect");

    assertThat(global.stats().bytesRecorded()).isEqualTo(before);
    assertThat(global.stats().triggersRateLimited()).isZero();
  }
}
