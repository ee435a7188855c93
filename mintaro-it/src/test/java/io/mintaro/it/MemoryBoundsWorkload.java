package io.mintaro.it;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ServerExchange;
import io.mintaro.logging.LogCapture;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import javax.management.ObjectName;

/**
 * Run as its own JVM by {@link MemoryBoundsTest}: 500 application threads each serve requests
 * with a 10 MiB request body and 10,000 log lines, and end in a 500 (a trigger), while the
 * collector is down. Prints one line of figures after each round, measured while every
 * application thread is still alive (their thread-local state reachable): heap used after a full
 * GC, direct buffers, and the JVM's committed native memory (Native Memory Tracking).
 *
 * <p>Arguments: buffer size in bytes, rounds, requests per thread per round.
 */
public final class MemoryBoundsWorkload {
  static final int THREADS = 500;
  static final int BODY_BYTES = 10 * 1024 * 1024;
  static final int LOG_LINES = 10_000;

  private MemoryBoundsWorkload() {
  }

  public static void main(String[] args) throws Exception {
    int bufferSize = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int requestsPerRound = Integer.parseInt(args[2]);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
    MintaroSdk[] sdk = new MintaroSdk[1];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread thread = new Thread(() -> {
        try {
          barrier.await(); // all threads exist before the baseline
          barrier.await(); // the SDK is built
          for (int round = 0; round < rounds; round++) {
            for (int r = 0; r < requestsPerRound; r++) {
              serve(sdk[0], chunk);
            }
            barrier.await(); // round done: measured while this thread is alive
            barrier.await();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "app-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    barrier.await();
    System.out.println("baseline " + figures());
    // a collector that is down: nothing listens on port 1 of loopback
    sdk[0] = MintaroSdk.builder().service("memory").collector("http://127.0.0.1:1").apiKey("k")
        .bufferSize(bufferSize).reconnectMaxDelay(Duration.ofSeconds(1)).build();
    barrier.await();
    for (int round = 1; round <= rounds; round++) {
      barrier.await();
      System.out.println("round" + round + " " + figures() + " triggersRateLimited=" + sdk[0].stats().triggersRateLimited()
          + " triggersGroupLimited=" + sdk[0].stats().triggersGroupLimited()
          + " triggersDropped=" + sdk[0].stats().triggersDropped());
      barrier.await();
    }
    sdk[0].close();
  }

  private static void serve(MintaroSdk sdk, byte[] chunk) {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://127.0.0.1:8080/upload?id=1", "/upload",
        name -> name.equalsIgnoreCase("content-type") ? "application/octet-stream" : null);
    try {
      for (int sent = 0; sent < BODY_BYTES; sent += chunk.length) {
        exchange.requestBody().write(chunk, 0, chunk.length);
      }
      String thread = Thread.currentThread().getName();
      StringBuilder line = new StringBuilder(96);
      for (int i = 0; i < LOG_LINES; i++) {
        line.setLength(0);
        line.append("processing part ").append(i).append(" of the upload for customer 4242, all fine so far");
        LogCapture.record(LogCapture.currentContext(), System.Logger.Level.DEBUG, "app.Upload", thread,
            System.currentTimeMillis(), line, null);
      }
      exchange.status(500);
    } finally {
      exchange.close();
    }
  }

  /** {@code heap=<bytes> direct=<bytes> native=<bytes>}, after a full GC. */
  private static String figures() throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      direct += pool.getMemoryUsed();
    }
    return "heap=" + heap + " direct=" + direct + " native=" + nativeCommitted();
  }

  /**
   * Committed bytes, per Native Memory Tracking, of what code can make grow outside the heap:
   * thread stacks, direct and unsafe buffers ("Other"), and the VM's internal and monitor memory.
   * Compiled code, the compiler, GC tables and class metadata are the JVM's own and left out.
   * -1 when tracking is off.
   */
  private static long nativeCommitted() throws Exception {
    if (ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("NativeMemoryTracking").getValue().equals("off")) {
      return -1;
    }
    String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
        new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
    long sum = 0;
    int found = 0;
    for (String line : summary.split("\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("-\\s*(Thread|Other|Internal|Synchronizer|Object Monitors) \\(.*").matcher(line.trim());
      if (m.matches()) {
        sum += committed(line);
        found++;
      }
    }
    if (found == 0) {
      throw new IllegalStateException("no known category in the native memory summary:\n" + summary);
    }
    return sum;
  }

  private static long committed(String line) {
    int at = line.indexOf("committed=");
    return parseSize(line.substring(at + "committed=".length()).split("[,) ]")[0]);
  }

  private static long parseSize(String v) {
    long unit = v.endsWith("KB") ? 1024 : v.endsWith("MB") ? 1024 * 1024 : v.endsWith("GB") ? 1L << 30 : 1;
    return Long.parseLong(v.replaceAll("[A-Za-z]", "")) * unit;
  }
}
