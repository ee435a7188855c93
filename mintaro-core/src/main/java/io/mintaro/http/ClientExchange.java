package io.mintaro.http;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.Settings;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.OpenSpan;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.propagation.B3;
import io.mintaro.internal.propagation.TraceHeaders;
import java.net.URI;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One outbound HTTP call as a client integration sees it: a client span in the current trace,
 * the headers to send, and the exchange and callee breadcrumb written on {@link #close()}.
 *
 * <pre>{@code
 * ClientExchange exchange = ClientExchange.start(sdk, "POST", uri);
 * exchange.propagationHeaders(builder::setHeader);
 * ...send, feeding requestHeader/requestBody, then responseHeader/responseBody/status or fail...
 * exchange.close();
 * }</pre>
 *
 * Not thread-safe; never throws.
 */
public final class ClientExchange extends HttpExchange {
  private final String authority;
  /** The local span the call was made from (B3 sends it as the parent span id); 0 for none. */
  private final long parentSpanId;
  /** The open span the call is made under, which waits on it meanwhile; null for none. */
  private final OpenSpan caller;
  private String calleeAgentId;
  private boolean closed;

  private ClientExchange(ExchangeData data, String authority, long parentSpanId, OpenSpan caller) {
    super(data);
    this.authority = authority;
    this.parentSpanId = parentSpanId;
    this.caller = caller;
  }

  /**
   * Begins a call in the current trace; outside any trace it starts a new trace in {@code sdk}.
   */
  public static ClientExchange start(MintaroSdk sdk, String method, URI uri) {
    TraceContext parent = ContextStorage.current();
    Core core = parent != null ? Core.ownerOf(parent) : Core.of(sdk == null ? Mintaro.sdk() : sdk);
    String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    String authority = authorityOf(uri);
    // Named like OpenTelemetry's client spans: method and path; the peer goes in an attribute.
    String path = uri == null || uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    RecordingSpan span = core.startSpan(m + " " + path, Core.KIND_CLIENT, parent, 0, null, false);
    if (authority != null) {
      span.attribute("server.address", authority);
    }
    OpenSpan caller = parent == null ? null : parent.span;
    if (caller != null) {
      caller.callStarted();
    }
    return new ClientExchange(new ExchangeData(core, span, m, uri == null ? null : uri.toString()), authority,
        parent == null ? 0 : parent.spanId, caller);
  }

  /** {@code host:port}, lower-cased, with the scheme's default port filled in. */
  public static String authorityOf(URI uri) {
    if (uri == null || uri.getHost() == null) {
      return null;
    }
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  /**
   * Hands each header this call must carry to {@code setter}: the trace context in the formats
   * the SDK is configured for ({@code traceparent} and {@code tracestate} and
   * {@code X-Mintaro-Trace} by default; {@code b3} or {@code X-B3-*} when asked for), and the
   * {@code X-Mintaro-Caller} breadcrumb.
   */
  public void propagationHeaders(BiConsumer<String, String> setter) {
    if (setter == null) {
      return;
    }
    TraceContext ctx = data.span.context();
    String agentId = data.core.agentId();
    int formats = data.core.settings().propagation;
    if ((formats & Settings.PROPAGATE_W3C) != 0) {
      setter.accept(TraceHeaders.TRACEPARENT, TraceHeaders.formatTraceparent(ctx.traceHi, ctx.traceLo, ctx.spanId, ctx.flags));
      // ours first, then the caller's members (already put in that order when the request came in)
      setter.accept(TraceHeaders.TRACESTATE, ctx.traceState != null ? ctx.traceState : TraceHeaders.ownMember(agentId));
    }
    if ((formats & Settings.PROPAGATE_B3) != 0) {
      setter.accept(B3.SINGLE, B3.formatSingle(ctx.traceHi, ctx.traceLo, ctx.spanId, parentSpanId, ctx.flags));
    }
    if ((formats & Settings.PROPAGATE_B3_MULTI) != 0) {
      B3.writeMulti(ctx.traceHi, ctx.traceLo, ctx.spanId, parentSpanId, ctx.flags, setter);
    }
    if ((formats & Settings.PROPAGATE_MINTARO) != 0) {
      setter.accept(TraceHeaders.MINTARO_TRACE, ctx.traceIdHex());
    }
    setter.accept(TraceHeaders.CALLER, agentId);
  }

  @Override
  public void responseHeader(String name, String value) {
    if (TraceHeaders.CALLEE.equalsIgnoreCase(name)) {
      calleeAgentId = TraceHeaders.parseAgentId(value);
    }
    super.responseHeader(name, value);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RecordingSpan span = data.span;
    try {
      span.attribute("http.status_code", data.status);
      data.write(Core.DIRECTION_OUTBOUND, Clock.nowMicros() - span.startMicros());
      data.core.breadcrumb(span.context(), Core.ROLE_CALLEE, calleeAgentId, authority);
      data.failSpanOnServerError(data.url);
    } catch (RuntimeException e) {
      // never into the application
    }
    span.close();
    if (caller != null) {
      caller.callEnded();
    }
  }
}
