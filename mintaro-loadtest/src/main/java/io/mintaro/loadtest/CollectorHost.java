package io.mintaro.loadtest;

import com.sun.net.httpserver.HttpServer;
import io.mintaro.testkit.CountingRelay;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Mintaro collector in its own JVM, with the default settings and its SQLite store, behind a
 * {@link CountingRelay} that the agents are pointed at. {@code GET /stats} and {@code POST /reset}
 * on the stats port read and clear the relay's byte counts.
 */
final class CollectorHost {
  private CollectorHost() {}

  static void run(Map<String, String> a) throws Exception {
    int port = Integer.parseInt(LoadMain.require(a, "port"));
    int relayPort = Integer.parseInt(LoadMain.require(a, "relay-port"));
    int statsPort = Integer.parseInt(LoadMain.require(a, "stats-port"));
    Services.configureLogback(null, ch.qos.logback.classic.Level.INFO);
    CollectorConfig.Builder config = CollectorConfig.builder()
        .host("127.0.0.1")
        .port(port)
        .dbPath(Path.of(LoadMain.require(a, "db")))
        .apiKey(LoadMain.require(a, "api-key"));
    if (a.containsKey("poll-timeout-ms")) {
      config.pollTimeoutMs(Long.parseLong(a.get("poll-timeout-ms")));
    }
    Collector collector = Collector.start(config.build());
    CountingRelay relay = new CountingRelay(relayPort, collector.port());
    HttpServer stats = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), statsPort), 10);
    stats.createContext("/stats", ex -> OtlpSink.respond(ex, 200, "application/json",
        ("{\"upstreamBytes\":" + relay.upstreamBytes() + ",\"downstreamBytes\":" + relay.downstreamBytes()
            + ",\"connections\":" + relay.connections() + "}").getBytes(StandardCharsets.UTF_8)));
    stats.createContext("/reset", ex -> {
      relay.resetCounts();
      OtlpSink.respond(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    });
    stats.start();
    Runtime.getRuntime().addShutdownHook(new Thread(collector::close));
    System.out.println("ready collector port=" + collector.port() + " relay=" + relayPort + " stats=" + statsPort);
    Thread.currentThread().join();
  }
}
