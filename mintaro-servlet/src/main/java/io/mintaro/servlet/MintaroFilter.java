package io.mintaro.servlet;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ServerExchange;
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
    ServerExchange exchange = begin(request, response);
    if (exchange == null) {
      chain.doFilter(req, resp);
      return;
    }
    CapturingRequest capturingRequest = new CapturingRequest(request, exchange.requestBody());
    CapturingResponse capturingResponse = new CapturingResponse(response, exchange.responseBody());
    boolean failed = false;
    try {
      chain.doFilter(capturingRequest, capturingResponse);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failed = true;
      exchange.fail(e instanceof ServletException && e.getCause() != null ? e.getCause() : e);
      throw e;
    } finally {
      finish(exchange, response, capturingResponse, failed);
    }
  }

  private ServerExchange begin(HttpServletRequest request, HttpServletResponse response) {
    try {
      String query = request.getQueryString();
      String url = request.getRequestURL() + (query == null ? "" : "?" + query);
      ServerExchange exchange = ServerExchange.start(sdk == null ? Mintaro.sdk() : sdk,
          request.getMethod(), url, request.getRequestURI(), request::getHeader);
      response.setHeader(ServerExchange.CALLEE_HEADER, exchange.agentId());
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
