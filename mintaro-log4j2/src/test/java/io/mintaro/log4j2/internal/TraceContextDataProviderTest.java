package io.mintaro.log4j2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.logging.LogCapture;
import io.mintaro.test.MintaroExtension;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Map;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each event gets on the thread that logs it: the trace, as a token the appender resolves
 * on any thread; nothing outside a trace or when no Mintaro appender runs; nothing allocated per
 * line.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class TraceContextDataProviderTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private final TraceContextDataProvider provider = new TraceContextDataProvider();

  @BeforeEach
  void anAppenderRuns() {
    TraceContextDataProvider.appenderStarted();
  }

  @AfterEach
  void itStops() {
    TraceContextDataProvider.appenderStopped();
  }

  @Test
  void outsideATraceEventsGetNothing() {
    assertThat(provider.supplyContextData()).isEmpty();
    assertThat(provider.supplyStringMap().isEmpty()).isTrue();
    assertThat(provider.getValue(TraceContextDataProvider.KEY)).isNull();
  }

  @Test
  void insideATraceEventsGetTheTraceIdStandingForTheContext() {
    try (Span span = Mintaro.startSpan("charge")) {
      Map<String, String> data = provider.supplyContextData();
      StringMap stringMap = provider.supplyStringMap();

      assertThat(data).containsOnlyKeys(TraceContextDataProvider.KEY)
          .containsEntry(TraceContextDataProvider.KEY, span.traceId());
      assertThat((Object) stringMap.getValue(TraceContextDataProvider.KEY)).isSameAs(data.get(TraceContextDataProvider.KEY));
      assertThat(stringMap.isFrozen()).as("safe to hand to an event as it is").isTrue();
      assertThat(ContextTokens.resolve(data.get(TraceContextDataProvider.KEY))).isSameAs(LogCapture.currentContext());
    }
  }

  @Test
  void eachSpanGetsItsOwnToken() {
    try (Span root = Mintaro.startSpan("checkout")) {
      String rootToken = provider.supplyContextData().get(TraceContextDataProvider.KEY);
      Object rootContext = LogCapture.currentContext();
      try (Span child = Mintaro.startSpan("charge")) {
        String childToken = provider.supplyContextData().get(TraceContextDataProvider.KEY);

        assertThat(childToken).isEqualTo(rootToken).isNotSameAs(rootToken);
        assertThat(ContextTokens.resolve(childToken)).isSameAs(LogCapture.currentContext());
      }
      assertThat(ContextTokens.resolve(rootToken)).isSameAs(rootContext);
    }
  }

  @Test
  void withoutARunningMintaroAppenderEventsGetNothing() {
    TraceContextDataProvider.appenderStopped();
    try (Span span = Mintaro.startSpan("charge")) {
      assertThat(provider.supplyContextData()).isEmpty();
      assertThat(provider.supplyStringMap().isEmpty()).isTrue();
    } finally {
      TraceContextDataProvider.appenderStarted();
    }
  }

  @Test
  void linesInOneSpanAllocateNothing() throws Exception {
    Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    Object threads = ManagementFactory.getThreadMXBean();
    long allocated;
    try (Span span = Mintaro.startSpan("charge")) {
      provider.supplyContextData();
      long before = (long) allocatedBytes.invoke(threads);
      for (int i = 0; i < 5_000; i++) {
        provider.supplyContextData();
        provider.supplyStringMap();
        provider.getValue(TraceContextDataProvider.KEY);
      }
      allocated = (long) allocatedBytes.invoke(threads) - before;
    }

    assertThat(allocated).as("bytes allocated by 5,000 lines (one object a line would be 16 or more)")
        .isLessThan(5_000);
  }
}
