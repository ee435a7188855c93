package io.mintaro.ui;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through its ChromeDriver. Selenium Manager never runs: both the browser
 * binary and the driver executable are given explicitly, so nothing is ever downloaded.
 *
 * <p>Paths default to {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}; the
 * environment variables {@code MINTARO_CHROMIUM} and {@code MINTARO_CHROMEDRIVER} override them.
 */
final class Browser {
  static final Path CHROMIUM = Path.of(env("MINTARO_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(env("MINTARO_CHROMEDRIVER", "/usr/bin/chromedriver"));

  /** Held so that the level set below sticks (java.util.logging keeps loggers weakly). */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static {
    // Belt and braces: should any code path still reach Selenium Manager, it stays offline and quiet.
    System.setProperty("SE_AVOID_STATS", "true");
    System.setProperty("SE_OFFLINE", "true");
    // Selenium warns that it has no DevTools bindings for this Chromium version; the tests use none.
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private Browser() {
  }

  /**
   * Skips the calling tests when Chromium or ChromeDriver is missing, or fails them when the
   * environment variable {@code CI} is {@code true}: CI must run the browser tests.
   */
  static void requireChromium() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    String message = missing + " is not installed, so the UI browser tests cannot run. Install Debian's "
        + "'chromium' and 'chromium-driver' packages (apt-get install chromium chromium-driver), or point "
        + "MINTARO_CHROMIUM / MINTARO_CHROMEDRIVER at them.";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true: " + message);
    }
    Assumptions.abort("skipped: " + message);
  }

  /** True when both the browser and the driver are installed. */
  static boolean available() {
    return missing() == null;
  }

  private static String missing() {
    if (!Files.isExecutable(CHROMIUM)) {
      return "Chromium (" + CHROMIUM + ")";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return "ChromeDriver (" + CHROMEDRIVER + ")";
    }
    return null;
  }

  /** A fresh headless Chromium with its own empty profile (no cookies, no cache). */
  static Session start() {
    requireChromium();
    Path profile;
    try {
      profile = Files.createTempDirectory("mintaro-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Session(driver, profile);
  }

  /** A running browser and its profile directory, deleted on close. */
  record Session(ChromeDriver driver, Path profile) implements AutoCloseable {
    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        deleteTree(profile);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
