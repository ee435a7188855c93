package io.mintaro.opentelemetry;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.bridge.TracerBridge;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Objects;

/**
 * The OpenTelemetry SDK's way into Mintaro: every span and log record the SDK makes is also
 * recorded in Mintaro's flight recorder, under the same trace and span ids, and collected with
 * the rest of its trace when the trace fails anywhere.
 *
 * <pre>{@code
 * MintaroOpenTelemetry mintaro = MintaroOpenTelemetry.create();
 * SdkTracerProvider.builder().addSpanProcessor(mintaro.spanProcessor())
 *     .setSampler(mintaro.sampler(Sampler.parentBased(Sampler.traceIdRatioBased(0.01))));
 * SdkLoggerProvider.builder().addLogRecordProcessor(mintaro.logRecordProcessor());
 * ContextPropagators.create(TextMapPropagator.composite(
 *     W3CTraceContextPropagator.getInstance(), mintaro.propagator()));
 * }</pre>
 *
 * With SDK autoconfiguration or the OpenTelemetry Java agent, {@link MintaroAutoConfiguration}
 * installs the same four pieces, and no code is needed.
 */
public final class MintaroOpenTelemetry {
  private final MintaroSdk sdk;
  private final TracerBridge bridge;

  private MintaroOpenTelemetry(MintaroSdk sdk) {
    this.sdk = sdk;
    this.bridge = TracerBridge.of(sdk);
  }

  /** Bridges into the global SDK, {@link Mintaro#sdk()}, configured from the environment. */
  public static MintaroOpenTelemetry create() {
    return create(Mintaro.sdk());
  }

  /** Bridges into {@code sdk}. */
  public static MintaroOpenTelemetry create(MintaroSdk sdk) {
    return new MintaroOpenTelemetry(Objects.requireNonNull(sdk, "sdk"));
  }

  /**
   * Records every span the SDK records, whether its sampler kept it for export or not, and fires
   * Mintaro's triggers: a span that ends with status ERROR, an exception recorded on a server span,
   * and a server span slower than {@code MINTARO_SLOW_THRESHOLD}.
   */
  public SpanProcessor spanProcessor() {
    return new MintaroSpanProcessor(bridge);
  }

  /** Records every log record made inside a span; an ERROR record (severity 17 and up) triggers. */
  public LogRecordProcessor logRecordProcessor() {
    return new MintaroLogRecordProcessor(bridge);
  }

  /**
   * Carries Mintaro's breadcrumb, {@code X-Mintaro-Caller}, beside the trace headers, so the
   * collector can find the processes a trace went through. Compose it with the W3C propagator.
   */
  public TextMapPropagator propagator() {
    return new MintaroPropagator(sdk.agentId());
  }

  /**
   * Wraps the sampler the application chose. Spans {@code delegate} drops are recorded anyway
   * (as {@code RECORD_ONLY}: processors see them, exporters do not), so that Mintaro keeps the
   * spans of every request while OpenTelemetry exports only a sample. It also puts Mintaro's
   * member first in the span's {@code tracestate}.
   */
  public Sampler sampler(Sampler delegate) {
    return new RecordEverythingSampler(Objects.requireNonNull(delegate, "delegate"), sdk.agentId());
  }
}
