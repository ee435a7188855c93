package io.mintaro.internal.print;

import static io.mintaro.internal.print.PrintingSdks.printingTo;
import static io.mintaro.internal.print.PrintingSdks.root;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.logging.LogCapture;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stdout is a pipe nobody reads: the printer stalls, the application does not. */
class StuckStdoutTest {
  @Test
  @Timeout(60) // a printer writing on the application's thread would hang here for ever
  void aFullPipeNeverBlocksTheApplicationAndTracesPastTheQueueAreCountedAsDropped() throws Exception {
    Pipe pipe = Pipe.open(); // a real OS pipe; its reading end is never read
    MintaroSdk sdk = printingTo(Channels.newOutputStream(pipe.sink()), "json",
        b -> b.triggerRateLimit(1_000_000, 1_000_000).triggerGroupLimit(1_000_000));
    String big = "x".repeat(8 * 1024);
    try {
      long slowest = 0;
      long started = System.nanoTime();
      for (int i = 0; i < 3_000; i++) {
        long t0 = System.nanoTime();
        try (RecordingSpan request = root(sdk, "GET /orders/" + i)) {
          LogCapture.record(System.Logger.Level.INFO, "app", "main", System.currentTimeMillis(), big, null, null, null);
          Mintaro.trigger("order " + i);
        }
        slowest = Math.max(slowest, System.nanoTime() - t0);
      }
      long total = System.nanoTime() - started;

      // the pipe's 64 KiB filled after a few traces; the rest queued up to the bound, then dropped
      assertThat(Duration.ofNanos(total)).isLessThan(Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
      assertThat(sdk.stats().triggersDropped()).isGreaterThan(0);
      assertThat(sdk.stats().triggersReported()).isLessThan(3_000);

      long closing = System.nanoTime();
      sdk.close(Duration.ofMillis(200)); // the flush at shutdown is bounded too
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
    } finally {
      PrintingSdks.clearContext();
      pipe.source().close(); // the stalled write fails, and the printer's thread ends
      pipe.sink().close();
    }
  }
}
