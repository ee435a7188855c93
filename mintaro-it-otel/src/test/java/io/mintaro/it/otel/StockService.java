package io.mintaro.it.otel;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The third service: no tracing code at all. It runs under the OpenTelemetry Java agent with
 * Mintaro's extension, whose instrumentation of Jetty and Logback feeds Mintaro.
 * {@code GET /stock?item=&fail=} fails when {@code fail=stock}.
 */
public final class StockService {
  private static final Logger log = LoggerFactory.getLogger(StockService.class);

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String item = request.getParameter("item");
        log.debug("looking up the stock of {}", item);
        if ("stock".equals(request.getParameter("fail"))) {
          IllegalStateException e = new IllegalStateException(item + " is out of stock");
          log.error("stock lookup failed", e);
          throw e;
        }
        log.info("{} in stock: 7", item);
        response.getWriter().print("7");
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("READY " + connector.getLocalPort());
    server.join();
  }
}
