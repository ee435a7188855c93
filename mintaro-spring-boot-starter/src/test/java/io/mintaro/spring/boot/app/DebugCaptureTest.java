package io.mintaro.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedTrace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@code mintaro.logging.level=DEBUG}: traces keep DEBUG lines while the console shows exactly
 * what {@code logging.level} says, a logger set to DEBUG included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "mintaro.logging.level=DEBUG",
    "logging.level.io.mintaro.spring.boot.app.Warehouse=DEBUG"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class DebugCaptureTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  @LocalServerPort
  int port;

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void debugLinesGoIntoTheTraceButNotOntoAConsoleSetToInfo(CapturedOutput console) throws Exception {
    assertThat(get("/hello")).isEqualTo("hello");

    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    assertThat(trace.logs()).extracting(RecordedLog::level, RecordedLog::message).contains(
        org.assertj.core.groups.Tuple.tuple("DEBUG", "hello at debug"),
        org.assertj.core.groups.Tuple.tuple("INFO", "hello at info"));
    assertThat(console).contains("hello at info").doesNotContain("hello at debug");
  }

  @Test
  void aLoggerSetToDebugStillShowsItsDebugLinesOnTheConsole(CapturedOutput console) throws Exception {
    assertThat(get("/price?item=book")).isEqualTo("price: 12");

    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    assertThat(trace.logs()).extracting(RecordedLog::message).contains("pricing book");
    assertThat(console).contains("pricing book");
  }

  @Test
  void outsideATraceNothingChanges(CapturedOutput console) {
    LoggerFactory.getLogger(ShopController.class).debug("debug outside any trace");
    LoggerFactory.getLogger(ShopController.class).info("info outside any trace");

    assertThat(console).contains("info outside any trace").doesNotContain("debug outside any trace");
    assertThat(mintaro.traces()).isEmpty();
  }
}
