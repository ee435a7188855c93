package io.mintaro.internal.print;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** SDKs built from the environment with {@code mintaro.print} set, printing into a stream of the test's. */
final class PrintingSdks {
  private PrintingSdks() {}

  /** An SDK whose printer writes to {@code out} (System.out while it is built). */
  static MintaroSdk printingTo(OutputStream out, String mode, Consumer<MintaroSdk.Builder> more) {
    PrintStream saved = System.out;
    System.setProperty("mintaro.print", mode);
    try {
      System.setOut(out instanceof PrintStream ? (PrintStream) out : new PrintStream(out, false, StandardCharsets.UTF_8));
      MintaroSdk.Builder builder = MintaroSdk.builder().service("orders").fromEnvironment();
      more.accept(builder);
      return builder.build();
    } finally {
      System.setOut(saved);
      System.clearProperty("mintaro.print");
    }
  }

  static RecordingSpan root(MintaroSdk sdk, String name) {
    return Core.of(sdk).startSpan(name, Core.KIND_SERVER, null, 0, null, true);
  }

  static void clearContext() {
    ContextStorage.swap(null);
  }

  /** Waits until {@code condition} holds, failing after {@code timeout}. */
  static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(10);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object json) {
    return (Map<String, Object>) json;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object json) {
    return (List<Object>) json;
  }

  /** The trace entry of a printed JSON line. */
  static Map<String, Object> traceOf(String line) {
    return map(list(map(map(JsonReader.parse(line)).get("batch")).get("traces")).get(0));
  }

  /** The non-empty lines written so far. */
  static List<String> lines(ByteArrayOutputStream out) {
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isEmpty()).toList();
  }
}
