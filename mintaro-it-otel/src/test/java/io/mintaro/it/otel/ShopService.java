package io.mintaro.it.otel;

import io.mintaro.httpclient.MintaroHttpClient;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first service: Mintaro's own integrations (servlet filter, JDK HttpClient wrapper, Logback
 * appender). {@code GET /checkout?item=&fail=} asks pricing, and fails itself when {@code fail=shop}.
 */
public final class ShopService {
  private static final Logger log = LoggerFactory.getLogger(ShopService.class);

  public static void main(String[] args) throws Exception {
    String pricing = args[0];
    HttpClient client = MintaroHttpClient.wrap(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new MintaroFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String item = request.getParameter("item");
        String fail = String.valueOf(request.getParameter("fail"));
        log.debug("checkout of {} started", item);
        HttpResponse<String> price;
        try {
          price = client.send(HttpRequest.newBuilder(URI.create(pricing + "/price?item=" + item + "&fail=" + fail))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        log.info("pricing answered {}", price.statusCode());
        if (price.statusCode() != 200) {
          log.warn("pricing failed: {}", price.body());
          response.setStatus(502);
          response.getWriter().print("pricing failed: " + price.body());
          return;
        }
        if (fail.equals("shop")) {
          throw new IllegalStateException("the shop refused " + item);
        }
        response.getWriter().print("ordered " + item + " at " + price.body());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("READY " + connector.getLocalPort());
    server.join();
  }
}
