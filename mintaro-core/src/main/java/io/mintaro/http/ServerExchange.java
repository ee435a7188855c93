package io.mintaro.http;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.propagation.TraceHeaders;
import io.mintaro.internal.propagation.TraceState;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One inbound HTTP request as a server integration sees it: it continues the caller's trace (or
 * starts one), makes it current, records the exchange and fires the server triggers on
 * {@link #close()}. Used by the servlet filter; other server integrations use it the same way:
 *
 * <pre>{@code
 * ServerExchange exchange = ServerExchange.start(sdk, method, url, path,
 *     name -> ServerExchange.combine(request.getHeaders(name)));
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
  /** The longest value {@link #combine} builds; a longer one is ignored by {@link #start}. */
  public static final int MAX_COMBINED = TraceState.MAX_READ;

  private final String path;
  /** The thread that started the exchange, and what was current on it before. */
  private final Thread thread;
  private final TraceContext previous;
  private boolean closed;
  /** Set by the agent's thread once the request was found slow while running. */
  private volatile boolean slowSeen;
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
   * <p>The trace continues from the first of these request headers that is present and valid:
   * {@code traceparent} (with {@code tracestate}), {@code b3}, {@code X-B3-*},
   * {@code X-Mintaro-Trace}, {@code X-Amzn-Trace-Id}; otherwise the request starts a new trace.
   *
   * @param url the full request URL including the query string
   * @param path the request path, used for the span name and slow-route matching
   * @param requestHeader reads a request header by name, in any case, or returns null. A header
   *     the request carries more than once must be returned as all its values, in order, joined
   *     with {@code ","} (RFC 9110 section 5.3): W3C Trace Context combines repeated
   *     {@code tracestate} headers into one list, and restarts the trace when {@code traceparent}
   *     is repeated. {@link #combine(Enumeration)} does that joining.
   */
  public static ServerExchange start(MintaroSdk sdk, String method, String url, String path,
      UnaryOperator<String> requestHeader) {
    Core core = Core.of(sdk == null ? Mintaro.sdk() : sdk);
    TraceContext previous = ContextStorage.current();
    TraceHeaders.Incoming incoming = TraceHeaders.extract(requestHeader);
    String name = (method == null ? "" : method.toUpperCase(Locale.ROOT)) + " " + (path == null ? "/" : path);
    String upstreamAgent = null;
    RecordingSpan span;
    if (incoming == null || incoming.samplingOnly()) {
      // new ids, from a random source: the Level 2 random flag says so
      byte flags = incoming == null ? TraceHeaders.NEW_TRACE_FLAGS
          : (byte) (incoming.flags | TraceHeaders.FLAG_RANDOM);
      span = core.startSpan(name, Core.KIND_SERVER, Ids.randomNonZero(), Ids.randomNonZero(), 0, flags, null, true);
    } else {
      String traceState = null;
      if (incoming.format == TraceHeaders.FORMAT_W3C) {
        String received = TraceHeaders.read(requestHeader, TraceHeaders.TRACESTATE);
        if (received != null) {
          TraceState.Forwarded forwarded = TraceState.forward(received, TraceHeaders.ownMember(core.agentId()));
          if (forwarded != null) {
            traceState = forwarded.value;
            upstreamAgent = forwarded.upstreamAgent;
          }
        }
      }
      span = core.startSpan(name, Core.KIND_SERVER, incoming.traceHi, incoming.traceLo, incoming.parentSpanId,
          incoming.flags, traceState, true);
      if (incoming.awsTraceHeader != null) {
        span.attribute(TraceHeaders.AWS_TRACE_ATTRIBUTE, incoming.awsTraceHeader);
      }
    }
    String caller = TraceHeaders.parseAgentId(TraceHeaders.read(requestHeader, TraceHeaders.CALLER));
    if (caller == null && upstreamAgent != null && !upstreamAgent.equals(core.agentId())) {
      // no direct Mintaro caller, but a Mintaro process upstream named itself in tracestate
      caller = upstreamAgent;
    }
    if (caller != null) {
      core.breadcrumb(span.context(), Core.ROLE_CALLER, caller, null);
    }
    String host = TraceHeaders.read(requestHeader, "host");
    if (host != null && host.indexOf(',') < 0) {
      core.observeAuthority(host.trim().toLowerCase(Locale.ROOT));
    }
    ServerExchange exchange = new ServerExchange(new ExchangeData(core, span, method, url), path,
        Thread.currentThread(), previous);
    span.inFlight(exchange::checkRunning);
    return exchange;
  }

  /**
   * The values of one request header joined as {@link #start} expects: null when there are
   * none, the value itself when there is one, else the values joined with {@code ","}. Joining
   * stops once the result is longer than {@value #MAX_COMBINED} characters, which no trace
   * header may be, so a hostile request cannot make it build a large string. Never throws.
   */
  public static String combine(Enumeration<String> values) {
    try {
      return values == null ? null : combine(values.asIterator());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@link #combine(Enumeration)} for frameworks that list a header's values. */
  public static String combine(Iterable<String> values) {
    try {
      return values == null ? null : combine(values.iterator());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String combine(Iterator<String> values) {
    if (!values.hasNext()) {
      return null;
    }
    String first = values.next();
    if (!values.hasNext()) {
      return first;
    }
    StringBuilder joined = new StringBuilder();
    joined.append(first == null ? "" : first, 0, first == null ? 0 : Math.min(first.length(), MAX_COMBINED + 1));
    while (values.hasNext() && joined.length() <= MAX_COMBINED) {
      append(joined, values.next());
    }
    return joined.toString();
  }

  /** Appends one more value, never growing past one character more than {@link #MAX_COMBINED}. */
  private static void append(StringBuilder joined, String next) {
    joined.append(',');
    if (next != null) {
      joined.append(next, 0, Math.min(next.length(), Math.max(0, MAX_COMBINED + 1 - joined.length())));
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

  /** The agent's watch over requests still running; see {@link Core#serverRequestRunning}. */
  private void checkRunning(long nowUs) {
    if (!closed && !slowSeen) {
      RecordingSpan span = data.span;
      slowSeen = data.core.serverRequestRunning(span.context(), data.method, path, span.spanName(),
          nowUs - span.startMicros());
    }
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
        String type = data.error.getClass().getName();
        core.trigger(ctx, "error", "exception " + type + " in " + what, span.spanName(), type);
      } else if (data.status >= 500 && core.triggerOnServerError()) {
        // the problem the collector will group by: the error the span failed with, else the status
        String handled = data.handledError == null ? null : data.handledError.getClass().getName();
        core.trigger(ctx, "error", "HTTP " + data.status + " from " + what + (handled == null ? "" : " (" + handled + ")"),
            span.spanName(), handled != null ? handled : "HTTP " + data.status);
      }
      core.serverRequestEnded(ctx, data.method, path, what, span.spanName(), span.durationMicros());
    } catch (RuntimeException e) {
      // ditto
    }
  }
}
