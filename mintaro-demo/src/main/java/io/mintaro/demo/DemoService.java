package io.mintaro.demo;

import io.mintaro.MintaroSdk;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** One demo service: an embedded Jetty with the Mintaro filter in front of one servlet. */
public final class DemoService implements AutoCloseable {
  private final String name;
  private final MintaroSdk sdk;
  private final Server server;

  private DemoService(String name, MintaroSdk sdk, Server server) {
    this.name = name;
    this.sdk = sdk;
    this.server = server;
  }

  static DemoService start(String name, MintaroSdk sdk, int port, String path, HttpServlet servlet)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    // The one line that instruments the service's inbound side:
    context.addFilter(new FilterHolder(new MintaroFilter(sdk)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(servlet), path);
    server.setHandler(context);
    server.start();
    return new DemoService(name, sdk, server);
  }

  public String name() {
    return name;
  }

  public MintaroSdk sdk() {
    return sdk;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // shutting down anyway
    }
    sdk.close();
  }
}
