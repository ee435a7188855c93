package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error storm: every request fails, and the trigger limits are opened wide so that only the
 * upload budget ({@code MINTARO_UPLOAD_RATE}) stands between the storm and the link. The bytes on
 * the wire (counted by the relay, headers and polls included) stay under the three agents'
 * budgets, while the same storm without a budget sends several times more.
 */
class ErrorStormTest {
  private static final long RATE = 4 * 1024;
  private static final long STORM_MILLIS = 8_000;
  /** What one trace may take the bucket into debt by, and the polls and counts. */
  private static final long SLACK_PER_AGENT = 32 * 1024;
  /** An item name of 1,500 random characters, in each service's bodies and logs, so traces do not compress away. */
  private static final String ITEM = randomText(1_500);

  @TempDir
  Path dir;

  @Test
  void theUploadStaysUnderItsByteRateInAStormThatWouldOtherwiseSendMore() throws Exception {
    storm("warm-up", 0, 3_000); // the first stack of a JVM runs cold: measure neither run cold
    Storm unlimited = storm("unlimited", 0, STORM_MILLIS);
    Storm limited = storm("limited", RATE, STORM_MILLIS);
    System.out.printf("[measure] error storm, %d ms: with %d B/s per agent %,d bytes on the wire (%.0f requests/s);"
            + " without a budget %,d bytes (%.0f requests/s)%n", STORM_MILLIS, RATE, limited.wireBytes,
        limited.requestsPerSecond(), unlimited.wireBytes, unlimited.requestsPerSecond());

    long budget = 3 * (RATE * (limited.millis / 1000 + 1) + SLACK_PER_AGENT);
    assertThat(limited.wireBytes).as("bytes uploaded under a budget of %d B/s per agent", RATE)
        .isLessThanOrEqualTo(budget);
    assertThat(unlimited.wireBytes).as("the same storm without a budget sends more than the budget allows")
        .isGreaterThan(budget);
    assertThat(limited.failed).isEqualTo(limited.requests);
    assertThat(limited.requests).isPositive();
  }

  private Storm storm(String name, long uploadRate, long stormMillis) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    try (Stack stack = Stack.start(home, Stack.defaults()
        .randomFaults(1.0, 0)
        .triggerRateLimit(1000, 1000)
        .triggerGroupLimit(100_000)
        .uploadRate(uploadRate))) {
      AtomicLong requests = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      stack.relay.resetCounts();
      long started = System.nanoTime();
      long end = started + stormMillis * 1_000_000L;
      List<Thread> users = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread user = new Thread(() -> {
          while (System.nanoTime() < end) {
            try {
              int status = stack.checkout("item=" + ITEM, null).statusCode();
              requests.incrementAndGet();
              if (status >= 500) {
                failed.incrementAndGet();
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
        user.start();
        users.add(user);
      }
      for (Thread user : users) {
        user.join();
      }
      long millis = (System.nanoTime() - started) / 1_000_000L;
      return new Storm(stack.relay.upstreamBytes(), requests.get(), failed.get(), millis);
    }
  }

  private static String randomText(int length) {
    java.util.Random random = new java.util.Random(15);
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      out.append(Character.forDigit(random.nextInt(36), 36));
    }
    return out.toString();
  }

  private record Storm(long wireBytes, long requests, long failed, long millis) {
    double requestsPerSecond() {
      return requests * 1000.0 / millis;
    }
  }
}
