package io.mintaro.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's sampler decides what OpenTelemetry exports; this one turns its drops into
 * record-only, since Mintaro records every request and keeps only failed ones.
 */
final class RecordEverythingSampler implements Sampler {
  static final String TRACESTATE_KEY = "mintaro";

  private final Sampler delegate;
  private final String agentId;
  /** The trace state of a span whose parent had none: the common case, built once. */
  private final TraceState own;
  /** Samplers mostly answer with a few shared results: the last one's wrapper is reused. */
  private volatile Result last;

  RecordEverythingSampler(Sampler delegate, String agentId) {
    this.delegate = delegate;
    this.agentId = agentId;
    this.own = TraceState.builder().put(TRACESTATE_KEY, agentId).build();
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
      Attributes attributes, List<LinkData> parentLinks) {
    SamplingResult result = delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    Result wrapper = last;
    if (wrapper == null || wrapper.delegate != result) {
      wrapper = new Result(result, agentId, own);
      last = wrapper;
    }
    return wrapper;
  }

  @Override
  public String getDescription() {
    return "MintaroRecordEverything{" + delegate.getDescription() + "}";
  }

  @Override
  public String toString() {
    return getDescription();
  }

  private static final class Result implements SamplingResult {
    private final SamplingResult delegate;
    private final String agentId;
    private final TraceState own;

    Result(SamplingResult delegate, String agentId, TraceState own) {
      this.delegate = delegate;
      this.agentId = agentId;
      this.own = own;
    }

    @Override
    public SamplingDecision getDecision() {
      SamplingDecision d = delegate.getDecision();
      return d == SamplingDecision.DROP ? SamplingDecision.RECORD_ONLY : d;
    }

    @Override
    public Attributes getAttributes() {
      return delegate.getAttributes();
    }

    /** Mintaro's member first; a caller's {@code mintaro} member is replaced, the rest kept in order. */
    @Override
    public TraceState getUpdatedTraceState(TraceState parentTraceState) {
      TraceState updated = delegate.getUpdatedTraceState(parentTraceState);
      if (updated.isEmpty()) {
        return own;
      }
      if (agentId.equals(updated.get(TRACESTATE_KEY)) && updated.size() > 0
          && firstKey(updated).equals(TRACESTATE_KEY)) {
        return updated;
      }
      // OpenTelemetry's builder adds a new key at the front but updates a present one in place
      // (even after remove), so the list is rebuilt: the others back to front, then Mintaro's.
      List<String> others = new ArrayList<>();
      updated.forEach((k, v) -> {
        if (!TRACESTATE_KEY.equals(k) && others.size() < 2 * 31) { // W3C: 32 members, drop from the right
          others.add(k);
          others.add(v);
        }
      });
      TraceStateBuilder builder = TraceState.builder();
      for (int i = others.size() - 2; i >= 0; i -= 2) {
        builder.put(others.get(i), others.get(i + 1));
      }
      return builder.put(TRACESTATE_KEY, agentId).build();
    }

    private static String firstKey(TraceState state) {
      String[] first = new String[1];
      state.forEach((k, v) -> {
        if (first[0] == null) {
          first[0] = k;
        }
      });
      return first[0];
    }
  }
}
