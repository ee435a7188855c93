package io.mintaro.servlet;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ServerExchange;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Enumeration;

/**
 * Records every request this application serves: continues the caller's trace, records the
 * exchange with its headers and bodies, and fires the server triggers (5xx, escaped exception,
 * slow). Register it first in the chain:
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new MintaroFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * The no-argument constructor uses the global {@link Mintaro#sdk()}, so the filter can also be
 * declared in {@code web.xml}.
 */
public final class MintaroFilter implements Filter {
  /**
   * The request attribute that holds the request's {@link ServerExchange} while it is served, so
   * that framework integrations can add to it (an exception a framework handled, for example).
   */
  public static final String EXCHANGE_ATTRIBUTE = ServerExchange.class.getName();

  private final MintaroSdk sdk;

  public MintaroFilter() {
    this(null);
  }

  public MintaroFilter(MintaroSdk sdk) {
    this.sdk = sdk;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(resp instanceof HttpServletResponse)) {
      chain.doFilter(req, resp);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) resp;
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      redispatch(request, response, chain);
      return;
    }
    ServerExchange exchange = begin(request, response);
    if (exchange == null) {
      chain.doFilter(req, resp);
      return;
    }
    CapturingRequest capturingRequest = new CapturingRequest(request, exchange.requestBody());
    CapturingResponse capturingResponse = new CapturingResponse(response, exchange.responseBody());
    capturingRequest.pairWith(capturingResponse);
    boolean failed = false;
    try {
      chain.doFilter(capturingRequest, capturingResponse);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failed = true;
      exchange.fail(e instanceof ServletException && e.getCause() != null ? e.getCause() : e);
      throw e;
    } finally {
      if (!failed && goesAsync(request, exchange, response, capturingResponse)) {
        exchange.detach();
      } else {
        finish(exchange, response, capturingResponse, failed);
      }
    }
  }

  /**
   * An async or error dispatch of a request this filter already records: it runs in that
   * request's trace, and adds nothing of its own.
   */
  private static void redispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object attribute = request.getAttribute(EXCHANGE_ATTRIBUTE);
    if (!(attribute instanceof ServerExchange exchange)) {
      chain.doFilter(request, response);
      return;
    }
    ServerExchange.Scope scope = exchange.attach();
    try {
      chain.doFilter(request, response);
    } finally {
      scope.close();
    }
  }

  /** True when the request went asynchronous; it is then finished by the async listener. */
  private static boolean goesAsync(HttpServletRequest request, ServerExchange exchange,
      HttpServletResponse response, CapturingResponse capturing) {
    try {
      if (!request.isAsyncStarted()) {
        return false;
      }
      request.getAsyncContext().addListener(new AsyncCompletion(exchange, response, capturing));
      return true;
    } catch (RuntimeException e) {
      return false; // the container would not take a listener: finish now rather than never
    }
  }

  /** Finishes an asynchronous request's exchange when the container completes it. */
  private static final class AsyncCompletion implements AsyncListener {
    private final ServerExchange exchange;
    private final HttpServletResponse response;
    private final CapturingResponse capturing;
    private boolean failed;

    AsyncCompletion(ServerExchange exchange, HttpServletResponse response, CapturingResponse capturing) {
      this.exchange = exchange;
      this.response = response;
      this.capturing = capturing;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish(exchange, response, capturing, failed);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      exchange.fail(new java.util.concurrent.TimeoutException("async request timed out"));
      failed = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      Throwable error = event.getThrowable();
      exchange.fail(error == null ? new IllegalStateException("async request failed") : error);
      failed = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // started again from an async dispatch: stay registered for the new cycle
      event.getAsyncContext().addListener(this);
    }
  }

  private ServerExchange begin(HttpServletRequest request, HttpServletResponse response) {
    try {
      String query = request.getQueryString();
      String url = request.getRequestURL() + (query == null ? "" : "?" + query);
      // every value of a repeated header, joined: W3C Trace Context needs all of them
      ServerExchange exchange = ServerExchange.start(sdk == null ? Mintaro.sdk() : sdk,
          request.getMethod(), url, request.getRequestURI(), name -> ServerExchange.combine(request.getHeaders(name)));
      response.setHeader(ServerExchange.CALLEE_HEADER, exchange.agentId());
      request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
      for (Enumeration<String> names = request.getHeaderNames(); names != null && names.hasMoreElements(); ) {
        String name = names.nextElement();
        for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
          exchange.requestHeader(name, values.nextElement());
        }
      }
      return exchange;
    } catch (RuntimeException e) {
      return null; // never stand between the application and its request
    }
  }

  private static void finish(ServerExchange exchange, HttpServletResponse response,
      CapturingResponse capturing, boolean failed) {
    try {
      int status = response.getStatus();
      // An exception on an uncommitted response becomes a 500 once the container sees it.
      exchange.status(failed && !response.isCommitted() ? 500 : status);
      Collection<String> names = response.getHeaderNames();
      for (String name : names) {
        for (String value : response.getHeaders(name)) {
          exchange.responseHeader(name, value);
        }
      }
      capturing.flushCapture();
    } catch (RuntimeException e) {
      // ignore: the exchange is still closed below
    }
    exchange.close();
  }
}
