package io.mintaro.internal.print;

import static io.mintaro.internal.print.PrintingSdks.await;
import static io.mintaro.internal.print.PrintingSdks.printingTo;
import static io.mintaro.internal.print.PrintingSdks.root;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.logging.LogCapture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code MINTARO_PRINT=tree}, the SDK draws each triggered trace for a person. */
class TreePrintingTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final MintaroSdk sdk = printingTo(out, "tree", b -> { });

  @AfterEach
  void close() {
    PrintingSdks.clearContext();
    sdk.close();
  }

  @Test
  void aFailedRequestIsDrawnWithItsChildLogAndError() throws Exception {
    String traceId;
    try (RecordingSpan request = root(sdk, "POST /payments")) {
      traceId = Mintaro.traceId();
      try (Span charge = Mintaro.startSpan("charge-card")) {
        LogCapture.record(System.Logger.Level.ERROR, "demo.Payments", "main", System.currentTimeMillis(),
            "card declined", new IllegalStateException("declined"));
      }
    }

    await(Duration.ofSeconds(5), () -> out.size() > 0);
    Thread.sleep(50);
    String tree = out.toString(StandardCharsets.UTF_8);
    assertThat(tree).startsWith("mintaro orders  trace " + traceId + "\n  error: ERROR log: card declined\n")
        .containsPattern("└─ POST /payments  server  [0-9.]+ (µs|ms)\n")
        .containsPattern("   └─ charge-card  internal  [0-9.]+ (µs|ms)\n")
        .containsPattern("      └─ \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR d\\.Payments  card declined\n")
        .contains("card declined\n" + " ".repeat(12) + "java.lang.IllegalStateException: declined\n"
            + " ".repeat(14) + "at io.mintaro.internal.print.TreePrintingTest.aFailedRequestIsDrawnWithItsChildLogAndError(")
        .doesNotContain("\u001b"); // not a terminal: no colours
  }
}
