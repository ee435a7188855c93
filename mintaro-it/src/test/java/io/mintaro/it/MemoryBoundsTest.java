package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK's memory stays within its budget however hard the application pushes it while the
 * collector is down: 500 threads, 10 MiB request bodies, 10,000 log lines per request, every
 * request a trigger ({@link MemoryBoundsWorkload}, in its own JVM). The stated overhead beyond
 * the flight recorder's buffer is {@link #HEAP_OVERHEAD} of heap and {@link #NATIVE_OVERHEAD} of
 * native memory (docs/reliability.md); and later rounds of the same work use no more than the
 * first, which is what an unbounded per-thread buffer or queue would break.
 */
class MemoryBoundsTest {
  private static final int BUFFER = 16 * 1024 * 1024;
  static final long HEAP_OVERHEAD = 16L * 1024 * 1024;
  /** Thread stacks, direct buffers and VM-internal memory (see MemoryBoundsWorkload#nativeCommitted). */
  static final long NATIVE_OVERHEAD = 8L * 1024 * 1024;
  /** What a later round may add over the first: GC noise, not a per-request growth. */
  private static final long ROUND_GROWTH = 4L * 1024 * 1024;

  @Test
  void heapAndNativeMemoryStayWithinTheBufferPlusTheStatedOverheadAndDoNotGrowWithMoreWork() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Xss512k", "-XX:NativeMemoryTracking=summary", "-cp", System.getProperty("java.class.path"),
        MemoryBoundsWorkload.class.getName(), Integer.toString(BUFFER), "3", "1")
        .redirectErrorStream(true).start();
    List<Map<String, Long>> rounds = new ArrayList<>();
    Map<String, Long> baseline = null;
    StringBuilder other = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("baseline ")) {
          baseline = figures(line);
        } else if (line.startsWith("round")) {
          rounds.add(figures(line));
          System.out.println("[measure] " + line);
        } else {
          other.append(line).append('\n');
        }
      }
    }
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as("the workload's exit; it said:\n%s", other).isZero();
    assertThat(baseline).isNotNull();
    assertThat(rounds).hasSize(3);
    System.out.println("[measure] baseline " + baseline);

    for (Map<String, Long> round : rounds) {
      assertThat(round.get("heap") - baseline.get("heap")).as("heap beyond the baseline")
          .isLessThanOrEqualTo(BUFFER + HEAP_OVERHEAD);
      assertThat(round.get("native") - baseline.get("native")).as("native memory beyond the baseline")
          .isLessThanOrEqualTo(NATIVE_OVERHEAD);
      assertThat(round.get("direct") - baseline.get("direct")).as("direct buffers beyond the baseline")
          .isLessThanOrEqualTo(1024 * 1024);
    }
    Map<String, Long> first = rounds.get(0);
    Map<String, Long> last = rounds.get(2);
    assertThat(last.get("heap") - first.get("heap")).as("heap growth from round 1 to 3").isLessThanOrEqualTo(ROUND_GROWTH);
    assertThat(last.get("native") - first.get("native")).as("native growth from round 1 to 3")
        .isLessThanOrEqualTo(ROUND_GROWTH);
    // every request was a trigger with the collector down: past the group's 60 a minute and the
    // burst of 100, each was only counted
    assertThat(last.get("triggersRateLimited") + last.get("triggersGroupLimited"))
        .isGreaterThanOrEqualTo(3L * MemoryBoundsWorkload.THREADS - 60 - 100);
  }

  private static Map<String, Long> figures(String line) {
    Map<String, Long> out = new HashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      }
    }
    return out;
  }
}
