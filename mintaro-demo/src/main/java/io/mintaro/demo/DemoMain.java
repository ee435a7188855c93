package io.mintaro.demo;

import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./mintaro demo}: the collector with its embedded store on port 7070, the three demo
 * services on 8081–8083 and a load generator, all in one JVM (each service with its own SDK
 * and agent, talking over real HTTP).
 *
 * <p>Arguments: {@code --seconds N} stops after N seconds (0, the default, runs until Ctrl+C);
 * {@code --rate R} requests per second (default 5); {@code --failure-rate F} and
 * {@code --slow-rate S} the share of requests payments fails or slows down (default 0.05 each);
 * {@code --collector URL} sends to a collector that runs elsewhere instead of starting one (the
 * soak benchmark measures the two processes apart).
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    long seconds = 0;
    double rate = 5;
    double failureRate = 0.05;
    double slowRate = 0.05;
    String external = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds": seconds = Long.parseLong(args[i + 1]); break;
        case "--rate": rate = Double.parseDouble(args[i + 1]); break;
        case "--failure-rate": failureRate = Double.parseDouble(args[i + 1]); break;
        case "--slow-rate": slowRate = Double.parseDouble(args[i + 1]); break;
        case "--collector": external = args[i + 1]; break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int port = Integer.parseInt(env("MINTARO_COLLECTOR_PORT", "7070"));
    String key = env("MINTARO_DEMO_API_KEY", "demo-key");
    Path db = Path.of(env("MINTARO_DB", "mintaro-data/demo.db"));

    Collector collector = external != null ? null
        : Collector.start(CollectorConfig.builder().port(port).dbPath(db).apiKey("demo", key).build());
    String collectorUrl = collector != null ? "http://127.0.0.1:" + collector.port() : external;
    DemoServices services = DemoServices.start(DemoOptions.create()
        .collector(collectorUrl, key)
        .ports(8081, 8082, 8083)
        .randomFaults(failureRate, slowRate));
    LoadGenerator load = LoadGenerator.start(services.checkoutUri(""), rate);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      load.close();
      services.close();
      if (collector != null) {
        collector.close();
      }
      stopped.countDown();
    }));

    String base = collector != null ? "http://localhost:" + collector.port() : external;
    System.out.println();
    System.out.println("Mintaro demo is running.");
    System.out.println("  Open:       " + base + "   and sign in with the API key: " + key);
    System.out.println("  Data:       " + (collector != null ? db : "kept by the collector at " + external));
    System.out.println("  Frontend:   http://localhost:" + services.frontend().port() + "/checkout?item=book"
        + "   (add &mode=fail, &mode=slow or &mode=hang)");
    System.out.printf("  Services:   frontend -> orders -> payments; payments fails %.0f%% and is slow %.0f%% of the time%n",
        failureRate * 100, slowRate * 100);
    System.out.println("  Load:       " + rate + " requests/s");
    System.out.println("  Traces:     curl -H 'Authorization: Bearer " + key + "' " + base + "/api/traces?status=error");
    System.out.println("Press Ctrl+C to stop.");
    System.out.println();
    if (seconds > 0) {
      if (!stopped.await(seconds, TimeUnit.SECONDS)) {
        System.out.println("Sent " + load.sent() + " requests, " + load.failed() + " failed as designed.");
        System.exit(0);
      }
    } else {
      stopped.await();
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
