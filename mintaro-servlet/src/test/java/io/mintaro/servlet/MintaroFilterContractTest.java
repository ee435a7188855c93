package io.mintaro.servlet;

import io.mintaro.test.contract.HttpServerContract;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The filter meets the server contract on a real Jetty 12, installed as an application would. */
class MintaroFilterContractTest extends HttpServerContract {
  private Server server;

  @Override
  protected URI startServer(App app) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new MintaroFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new AppServlet(app)), "/*");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }

  /** The contract's app as a servlet. */
  static final class AppServlet extends HttpServlet {
    private final App app;

    AppServlet(App app) {
      this.app = app;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        app.handle(request(req), response(resp));
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static AppRequest request(HttpServletRequest req) {
    return new AppRequest() {
      public String method() { return req.getMethod(); }
      public String path() { return req.getRequestURI(); }
      public String query() { return req.getQueryString(); }
      public List<String> headers(String name) { return Collections.list(req.getHeaders(name)); }
      public byte[] body() throws IOException { return req.getInputStream().readAllBytes(); }
    };
  }

  static AppResponse response(HttpServletResponse resp) {
    return new AppResponse() {
      public void status(int code) { resp.setStatus(code); }
      public void header(String name, String value) { resp.addHeader(name, value); }
      public void write(byte[] body) throws IOException { resp.getOutputStream().write(body); }
    };
  }
}
