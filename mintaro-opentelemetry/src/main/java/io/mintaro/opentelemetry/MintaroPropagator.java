package io.mintaro.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.List;

/** Sends this process's agent id with every call, and reads the caller's from incoming requests. */
final class MintaroPropagator implements TextMapPropagator {
  static final String CALLER_HEADER = "X-Mintaro-Caller";
  static final ContextKey<String> CALLER = ContextKey.named("mintaro-caller");
  private static final List<String> FIELDS = List.of(CALLER_HEADER);

  private final String agentId;

  MintaroPropagator(String agentId) {
    this.agentId = agentId;
  }

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null || !Span.fromContext(context).getSpanContext().isValid()) {
      return;
    }
    try {
      setter.set(carrier, CALLER_HEADER, agentId);
    } catch (RuntimeException e) {
      // a carrier's failure is not worth the application's call
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      return Context.root();
    }
    if (getter == null) {
      return context;
    }
    try {
      String caller = getter.get(carrier, CALLER_HEADER);
      return caller == null || caller.length() > 64 ? context : context.with(CALLER, caller);
    } catch (RuntimeException e) {
      return context;
    }
  }

  @Override
  public String toString() {
    return "MintaroPropagator";
  }
}
