package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The export state in the status view, from a collector of its own that exports to two real local
 * HTTP receivers, a Zipkin that answers {@code 500} (with markup in its answer) until the trace is
 * dead-lettered and an OTLP endpoint that accepts everything, and to an exporter that hangs until
 * the test ends (its trace stays pending and its lag grows).
 */
class ExportStatusTest {
  static final String KEY = "export-ui-key-7d2e";
  static final String REFUSAL = "storage full <img src=x onerror=alert(1)>";

  static HttpServer zipkin;
  static HttpServer otlp;
  static final AtomicInteger zipkinCalls = new AtomicInteger();
  static final AtomicInteger otlpCalls = new AtomicInteger();
  static Collector collector;
  static Path dir;
  static Synthetic.Trace trace;
  static final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    if (!Browser.available()) {
      return;
    }
    zipkin = receiver(500, REFUSAL, zipkinCalls, "/api/v2/spans");
    otlp = receiver(200, "", otlpCalls, "/v1/traces", "/v1/logs");
    dir = Files.createTempDirectory("mintaro-ui-export-");
    collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("mintaro.db"))
        .apiKey(KEY).pollTimeoutMs(1_000).answerTimeoutMs(300)
        .exportSetting("MINTARO_EXPORT_ZIPKIN", "http://127.0.0.1:" + zipkin.getAddress().getPort())
        .exportSetting("MINTARO_EXPORT_OTLP", "http://127.0.0.1:" + otlp.getAddress().getPort() + "/v1/traces")
        .exportMaxAttempts(2).exportBackoffMs(20)
        .exporter(new Hanging(), ExportFilter.ALL)
        .build());
    trace = Synthetic.build(Synthetic.Call.of("shop", "POST", "/orders", 2,
        Synthetic.Call.of("billing", "POST", "/charge", 2).failing("java.lang.IllegalStateException")),
        System.currentTimeMillis() * 1000 - 10_000_000L, 1000);
    new FakeAgents(collector.url(), KEY).send(List.of(trace));
  }

  static HttpServer receiver(int status, String answer, AtomicInteger calls, String... paths) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (String path : paths) {
      server.createContext(path, ex -> {
        ex.getRequestBody().readAllBytes();
        calls.incrementAndGet();
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      });
    }
    server.start();
    return server;
  }

  /** A target that takes the traces and never answers (until the test ends). */
  static final class Hanging implements TraceExporter {
    @Override
    public String name() {
      return "archive";
    }

    @Override
    public void export(List<ExportedTrace> traces) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @AfterAll
  static void stop() {
    release.countDown();
    if (collector != null) {
      collector.close();
    }
    if (zipkin != null) {
      zipkin.stop(0);
    }
    if (otlp != null) {
      otlp.stop(0);
    }
  }

  @BeforeEach
  void requireChromium() {
    Browser.requireChromium();
  }

  @Test
  void each_exporter_shows_exported_pending_lag_dead_letters_and_its_last_error_with_its_time() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      driver.get(collector.url() + "/login?next=%2Fstatus");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
      wait.pollingEvery(Duration.ofMillis(100));
      wait.until(d -> "login".equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));
      driver.findElement(By.id("api-key")).sendKeys(KEY);
      driver.findElement(By.id("sign-in")).click();
      wait.until(d -> "status".equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));

      // The view refreshes itself: the figures settle without a reload.
      WebElement zipkinRow = wait.until(d -> row(d, "zipkin"));
      wait.until(d -> cell(row(d, "zipkin"), "dead").equals("1") && cell(row(d, "otlp"), "exported").matches("[1-9]\\d*")
          && cell(row(d, "archive"), "pending").equals("1"));

      zipkinRow = row(driver, "zipkin");
      assertThat(zipkinRow.getAttribute("class")).contains("failing");
      assertThat(cell(zipkinRow, "exported")).isEqualTo("0");
      assertThat(cell(zipkinRow, "pending")).isEqualTo("0");
      assertThat(cell(zipkinRow, "lag")).isEqualTo("–");
      assertThat(cell(zipkinRow, "failed")).isEqualTo(String.valueOf(zipkinCalls.get()));
      assertThat(Integer.parseInt(cell(zipkinRow, "failed"))).isGreaterThanOrEqualTo(2);
      assertThat(cell(zipkinRow, "last-success")).isEqualTo("never");
      assertThat(cell(zipkinRow, "export-filter")).isEqualTo("all"); // ExportFilter.ALL
      WebElement error = zipkinRow.findElement(By.cssSelector(".last-error"));
      assertThat(error.findElement(By.cssSelector(".error-text")).getText())
          .isEqualTo("http://127.0.0.1:" + zipkin.getAddress().getPort() + "/api/v2/spans answered 500: " + REFUSAL);
      assertThat(error.findElement(By.cssSelector(".error-time")).getText()).matches("just now|\\d+s ago");
      assertThat(error.findElement(By.cssSelector(".error-time")).getAttribute("title"))
          .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");

      WebElement otlpRow = row(driver, "otlp");
      assertThat(otlpRow.getAttribute("class")).doesNotContain("failing");
      assertThat(cell(otlpRow, "pending")).isEqualTo("0");
      assertThat(cell(otlpRow, "dead")).isEqualTo("0");
      assertThat(cell(otlpRow, "failed")).isEqualTo("0");
      assertThat(cell(otlpRow, "last-success")).matches("just now|\\d+s ago");
      assertThat(cell(otlpRow, "last-error")).isEqualTo("–");

      WebElement archive = row(driver, "archive");
      assertThat(cell(archive, "pending")).isEqualTo("1");
      assertThat(cell(archive, "lag")).matches("[0-9.]+ (ms|s)");
      assertThat(cell(archive, "exported")).isEqualTo("0");
      assertThat(cell(archive, "last-success")).isEqualTo("never");
      assertThat(cell(archive, "last-error")).isEqualTo("–");

      // The target's answer is text, never markup.
      assertThat(((JavascriptExecutor) driver).executeScript(
          "return document.querySelectorAll('img, iframe, object, embed').length")).isEqualTo(0L);
      assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }
  }

  static WebElement row(org.openqa.selenium.WebDriver d, String exporter) {
    List<WebElement> rows = d.findElements(By.cssSelector("#exporters tr.exporter-row[data-exporter=" + exporter + "]"));
    return rows.isEmpty() ? null : rows.get(0);
  }

  static String cell(WebElement row, String cls) {
    return row == null ? "" : row.findElement(By.cssSelector("td." + cls)).getText();
  }
}
