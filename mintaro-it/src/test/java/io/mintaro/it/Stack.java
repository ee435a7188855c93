package io.mintaro.it;

import io.mintaro.demo.DemoOptions;
import io.mintaro.testkit.DemoStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole product on loopback, with the byte-counting relay in front of the collector (see
 * {@link DemoStack}), and the settings of the end-to-end tests.
 */
final class Stack extends DemoStack {
  static final String API_KEY = "it-test-key";

  private Stack(Path dir, DemoOptions options, Map<String, String> exportSettings) throws Exception {
    super(database(dir), API_KEY, null, true, Duration.ofMillis(50), options, exportSettings);
  }

  static Stack start(Path dir, DemoOptions options) throws Exception {
    return new Stack(dir, options, Map.of());
  }

  /** A stack whose collector exports as {@code exportSettings} say ({@code MINTARO_EXPORT_ZIPKIN}...). */
  static Stack start(Path dir, DemoOptions options, Map<String, String> exportSettings) throws Exception {
    return new Stack(dir, options, exportSettings);
  }

  /** The collector's SQLite file; its WAL is beside it. */
  static Path database(Path dir) {
    return dir.resolve("mintaro.db");
  }

  static DemoOptions defaults() {
    return DemoOptions.create()
        .slowThreshold(Duration.ofMillis(800))
        .slowDelay(Duration.ofMillis(1200))
        .ordersTimeout(Duration.ofMillis(2000))
        .hangDelay(Duration.ofMillis(3500))
        .bufferSize(8 * 1024 * 1024);
  }
}
