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

/**
 * One demo service with its own SDK: an embedded Jetty with the Mintaro filter in front of one
 * servlet, or (orders) a Spring Boot application.
 */
public final class DemoService implements AutoCloseable {
  private final String name;
  private final MintaroSdk sdk;
  private final int port;
  private final AutoCloseable server;

  private DemoService(String name, MintaroSdk sdk, int port, AutoCloseable server) {
    this.name = name;
    this.sdk = sdk;
    this.port = port;
    this.server = server;
  }

  /** A service that is already running on {@code port}; closing it closes {@code server}, then the SDK. */
  static DemoService of(String name, MintaroSdk sdk, int port, AutoCloseable server) {
    return new DemoService(name, sdk, port, server);
  }

  /** Starts {@code servlet} at {@code path} behind the Mintaro filter of {@code sdk}, on loopback. */
  public static DemoService start(String name, MintaroSdk sdk, int port, String path, HttpServlet servlet)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    // Longer than the JDK client's keep-alive (30 s), so the caller, not the server, closes an idle
    // connection: with equal timeouts a call could be sent on a connection the server was closing.
    connector.setIdleTimeout(60_000);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    // The one line that instruments the service's inbound side:
    context.addFilter(new FilterHolder(new MintaroFilter(sdk)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(servlet), path);
    server.setHandler(context);
    server.start();
    return new DemoService(name, sdk, connector.getLocalPort(), server::stop);
  }

  public String name() {
    return name;
  }

  public MintaroSdk sdk() {
    return sdk;
  }

  public int port() {
    return port;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (Exception e) {
      // shutting down anyway
    }
    sdk.close();
  }
}
