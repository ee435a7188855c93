package io.mintaro.http;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.propagation.TraceHeaders;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One inbound HTTP request as a server integration sees it: it continues the caller's trace (or
 * starts one), makes it current, records the exchange and fires the server triggers on
 * {@link #close()}. Used by the servlet filter; other server integrations use it the same way:
 *
 * <pre>{@code
 * ServerExchange exchange = ServerExchange.start(sdk, method, url, path, request::getHeader);
 * response.setHeader(ServerExchange.CALLEE_HEADER, exchange.agentId());
 * try { ...copy headers, tee bodies, handle... } catch (Exception e) { exchange.fail(e); throw e; }
 * finally { exchange.status(status); exchange.close(); }
 * }</pre>
 *
 * Not thread-safe: one request, fed by one thread at a time. Never throws.
 */
public final class ServerExchange extends HttpExchange {
  /** The response header that names this process to its caller (a breadcrumb). */
  public static final String CALLEE_HEADER = TraceHeaders.CALLEE;

  private final String path;
  /** The thread that started the exchange, and what was current on it before. */
  private final Thread thread;
  private final TraceContext previous;
  private boolean closed;
  /** Set when the request went asynchronous: the starting thread is no longer the request's. */
  private volatile boolean detached;

  /** A span made current by {@link #attach()}, until closed. */
  public interface Scope extends AutoCloseable {
    /** Restores what was current before; never throws. */
    @Override
    void close();
  }

  private ServerExchange(ExchangeData data, String path, Thread thread, TraceContext previous) {
    super(data);
    this.path = path;
    this.thread = thread;
    this.previous = previous;
  }

  /**
   * Begins a server exchange.
   *
   * @param url the full request URL including the query string
   * @param path the request path, used for the span name and slow-route matching
   * @param requestHeader reads one request header by name, or returns null
   */
  public static ServerExchange start(MintaroSdk sdk, String method, String url, String path,
      UnaryOperator<String> requestHeader) {
    Core core = Core.of(sdk == null ? Mintaro.sdk() : sdk);
    TraceContext previous = ContextStorage.current();
    TraceHeaders.Incoming incoming = TraceHeaders.parseTraceparent(safeHeader(requestHeader, TraceHeaders.TRACEPARENT));
    String traceState = null;
    if (incoming != null) {
      traceState = TraceHeaders.sanitizeTraceState(safeHeader(requestHeader, TraceHeaders.TRACESTATE));
    } else {
      incoming = TraceHeaders.parseMintaroTrace(safeHeader(requestHeader, TraceHeaders.MINTARO_TRACE));
    }
    String name = (method == null ? "" : method.toUpperCase(Locale.ROOT)) + " " + (path == null ? "/" : path);
    RecordingSpan span = incoming == null
        ? core.startSpan(name, Core.KIND_SERVER, null, 0, null, true)
        : core.startSpan(name, Core.KIND_SERVER, incoming.traceHi, incoming.traceLo, incoming.parentSpanId,
            incoming.flags, traceState, true);
    String caller = TraceHeaders.parseAgentId(safeHeader(requestHeader, TraceHeaders.CALLER));
    if (caller != null) {
      core.breadcrumb(span.context(), Core.ROLE_CALLER, caller, null);
    }
    String host = safeHeader(requestHeader, "host");
    if (host != null) {
      core.observeAuthority(host.trim().toLowerCase(Locale.ROOT));
    }
    return new ServerExchange(new ExchangeData(core, span, method, url), path, Thread.currentThread(), previous);
  }

  private static String safeHeader(UnaryOperator<String> headers, String name) {
    try {
      return headers.apply(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The agent id to send back in {@link #CALLEE_HEADER}. */
  public String agentId() {
    return data.core.agentId();
  }

  /** Names the route (a path template such as {@code /orders/{id}}) when the framework knows it. */
  public void route(String route) {
    if (route != null) {
      data.span.attribute("http.route", route);
    }
  }

  /**
   * The request goes on asynchronously (a servlet's {@code startAsync}): gives the calling thread
   * back what was current before, and leaves the exchange open until {@link #close()}, which may
   * then be called from any thread.
   */
  public void detach() {
    detached = true;
    if (Thread.currentThread() == thread && ContextStorage.current() != previous) {
      ContextStorage.swap(previous);
    }
  }

  /**
   * Makes this request's server span current on the calling thread until the scope is closed:
   * for work the request resumes on another thread, such as an async dispatch.
   */
  public Scope attach() {
    TraceContext before = ContextStorage.swap(data.span.context());
    return () -> ContextStorage.swap(before);
  }

  /** Writes the exchange, ends the server span, fires triggers and restores the thread's context. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Core core = data.core;
    RecordingSpan span = data.span;
    TraceContext ctx = span.context();
    try {
      long durationUs = Clock.nowMicros() - span.startMicros();
      span.attribute("http.status_code", data.status);
      data.write(Core.DIRECTION_INBOUND, durationUs);
      data.failSpanOnServerError(path);
    } catch (RuntimeException e) {
      // the host application must never see our failures
    }
    span.close();
    if (!detached && Thread.currentThread() == thread && ContextStorage.current() != previous) {
      // A span the handler left open must not keep this request's trace current on the thread.
      ContextStorage.swap(previous);
    }
    try {
      String what = data.method + " " + path;
      if (data.error != null && core.triggerOnException()) {
        core.trigger(ctx, "error", "exception " + data.error.getClass().getName() + " in " + what);
      } else if (data.status >= 500 && core.triggerOnServerError()) {
        core.trigger(ctx, "error", "HTTP " + data.status + " from " + what
            + (data.handledError == null ? "" : " (" + data.handledError.getClass().getName() + ")"));
      }
      long threshold = core.slowThresholdMicros(data.method, path);
      long duration = span.durationMicros();
      if (threshold > 0 && duration > threshold) {
        core.trigger(ctx, "slow", "slow: " + what + " took " + duration / 1000 + " ms (threshold "
            + threshold / 1000 + " ms)");
      }
    } catch (RuntimeException e) {
      // ditto
    }
  }
}
