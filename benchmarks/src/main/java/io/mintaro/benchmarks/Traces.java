package io.mintaro.benchmarks;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The trace each integration benchmark runs in. Both sides get one root span per measuring
 * thread, current for the whole run, as a request handler's span is current while it calls out,
 * queries and logs: what is measured is the integration's own work per call, not a root span's
 * start and end (which {@link SpanBenchmark} measures). Only benchmark methods take these
 * states: a thread state that another state's setup also takes is set up twice by JMH, and the
 * second root would be a child of the first.
 */
public final class Traces {
  private Traces() {}

  /** A Mintaro root span current on the measuring thread (the SDK is {@link SpanBenchmark.MintaroState}'s). */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class InMintaroTrace {
    Span root;

    @Setup
    public void setup(SpanBenchmark.MintaroState sdk) {
      root = Mintaro.startSpan("handle-request");
    }

    /** JMH keeps a thread's states on that thread; a root that is not current would measure nothing. */
    @Setup(Level.Iteration)
    public void stillCurrent() {
      if (!root.traceId().equals(Mintaro.traceId())) {
        throw new IllegalStateException("the Mintaro root span is not current on the measuring thread");
      }
    }

    @TearDown
    public void tearDown() {
      root.close();
    }
  }

  /** OpenTelemetry's SDK for the integration benchmarks: {@link OtelSetup#sdk()}. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class OtelSdk {
    OpenTelemetrySdk otel;

    @Setup
    public void setup() {
      otel = OtelSetup.sdk();
    }

    @TearDown
    public void tearDown() {
      OtelSetup.shutdown(otel);
    }
  }

  /** An OpenTelemetry root span made current on the measuring thread, in a {@link Scope}. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class InOtelTrace {
    io.opentelemetry.api.trace.Span root;
    Scope scope;

    @Setup
    public void setup(OtelSdk sdk) {
      root = sdk.otel.getTracer("bench").spanBuilder("handle-request").startSpan();
      scope = root.makeCurrent();
    }

    @Setup(Level.Iteration)
    public void stillCurrent() {
      if (io.opentelemetry.api.trace.Span.current() != root) {
        throw new IllegalStateException("the OpenTelemetry root span is not current on the measuring thread: "
            + io.opentelemetry.context.Context.current() + " on " + Thread.currentThread());
      }
    }

    @TearDown
    public void tearDown() {
      scope.close();
      root.end();
    }
  }
}
