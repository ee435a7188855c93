package io.mintaro.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures, on loopback, what the closing note of issue 2 reports: bytes sent to the collector
 * per 1,000 successful requests and per error trace, and the time from an error to its stored
 * trace (median and p99). Not a test: run it with {@code scripts/measure-capture.sh}.
 */
public final class CaptureMeasurement {
  private CaptureMeasurement() {}

  public static void main(String[] args) throws Exception {
    int errors = args.length > 0 ? Integer.parseInt(args[0]) : 250;
    double errorsPerSecond = args.length > 1 ? Double.parseDouble(args[1]) : 8;
    Path dir = Files.createTempDirectory("mintaro-measure");
    try (Stack stack = Stack.start(dir, Stack.defaults())) {
      for (int i = 0; i < 50; i++) {
        stack.checkout("item=warmup", null);
      }
      stack.relay.resetCounts();
      long t0 = System.nanoTime();
      // paced over 11 s so that the agents' long polls (5 s here) renew in the window
      for (int i = 0; i < 1000; i++) {
        stack.checkout("item=ok" + i, null);
        long wait = t0 + (i + 1) * 11_000_000L - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
      }
      double okSeconds = (System.nanoTime() - t0) / 1e9;
      long okBytes = stack.relay.upstreamBytes();

      stack.relay.resetCounts();
      List<String> traceIds = new ArrayList<>();
      long pause = (long) (1_000_000_000L / errorsPerSecond);
      long next = System.nanoTime();
      for (int i = 0; i < errors; i++) {
        String id = Stack.newTraceId();
        traceIds.add(id);
        stack.checkout("item=err" + i + "&mode=fail", id);
        next += pause;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L);
        }
      }
      List<Long> latencies = new ArrayList<>();
      int complete = 0;
      for (String id : traceIds) {
        JsonNode t = stack.awaitTrace(id, Stack::wholeStory, Duration.ofSeconds(20));
        if (Stack.wholeStory(t)) {
          complete++;
        }
        if (t != null && t.hasNonNull("completedAtMs")) {
          latencies.add(t.path("completedAtMs").asLong() - t.path("triggeredAtMs").asLong());
        }
      }
      Thread.sleep(1000);
      long errorBytes = stack.relay.upstreamBytes();
      Collections.sort(latencies);

      ObjectNode out = Stack.JSON.createObjectNode();
      out.put("successfulRequests", 1000);
      out.put("successfulSeconds", okSeconds);
      out.put("bytesPer1000Successful", okBytes);
      out.put("note", "bytesPer1000Successful is the agents' long polls (heartbeats) in that time; no batch is sent");
      out.put("errorTraces", errors);
      out.put("bytesPerErrorTrace", errorBytes / errors);
      out.put("completeWithAllThreeServices", complete);
      out.put("errorToStoredMsMedian", percentile(latencies, 50));
      out.put("errorToStoredMsP99", percentile(latencies, 99));
      out.put("errorToStoredMsMax", latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
      String json = Stack.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
      System.out.println(json);
      Path results = Path.of("target", "capture-measurement.json");
      Files.createDirectories(results.getParent());
      Files.writeString(results, json);
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
