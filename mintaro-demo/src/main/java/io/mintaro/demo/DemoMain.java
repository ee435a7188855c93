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
 * {@code --rate R} requests per second (default 5).
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    long seconds = 0;
    double rate = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds": seconds = Long.parseLong(args[i + 1]); break;
        case "--rate": rate = Double.parseDouble(args[i + 1]); break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int port = Integer.parseInt(env("MINTARO_COLLECTOR_PORT", "7070"));
    String key = env("MINTARO_DEMO_API_KEY", "demo-key");
    Path db = Path.of(env("MINTARO_DB", "mintaro-data/demo.db"));

    Collector collector = Collector.start(CollectorConfig.builder().port(port).dbPath(db).apiKey("demo", key).build());
    DemoServices services = DemoServices.start(DemoOptions.create()
        .collector("http://127.0.0.1:" + collector.port(), key)
        .ports(8081, 8082, 8083)
        .randomFaults(0.05, 0.05));
    LoadGenerator load = LoadGenerator.start(services.checkoutUri(""), rate);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      load.close();
      services.close();
      collector.close();
      stopped.countDown();
    }));

    String base = "http://localhost:" + collector.port();
    System.out.println();
    System.out.println("Mintaro demo is running.");
    System.out.println("  Open:       " + base + "   and sign in with the API key: " + key);
    System.out.println("  Data:       " + db);
    System.out.println("  Frontend:   http://localhost:" + services.frontend().port() + "/checkout?item=book"
        + "   (add &mode=fail, &mode=slow or &mode=hang)");
    System.out.println("  Services:   frontend -> orders -> payments; payments fails 5% and is slow 5% of the time");
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
