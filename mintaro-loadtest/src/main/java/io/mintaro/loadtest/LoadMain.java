package io.mintaro.loadtest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point of {@code mintaro-loadtest.jar}; the scripts in {@code benchmarks/load/} start one
 * JVM per role:
 *
 * <ul>
 *   <li>{@code service --role edge|backend --mode none|mintaro|otel --port P [--backend URL] [--otlp URL]}
 *   <li>{@code receiver --port P --relay-port R}: the OTLP/HTTP byte-counting sink behind a TCP relay
 *   <li>{@code collector --port P --relay-port R --stats-port S --db FILE --api-key K}: the Mintaro
 *       collector behind a TCP relay
 *   <li>{@code capture --collector URL --api URL --stats URL ...}: the three demo services and a
 *       fixed-rate load generator that measures capture completeness and latency
 * </ul>
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: java -jar mintaro-loadtest.jar service|receiver|collector|capture --option value ...");
      System.exit(2);
    }
    Map<String, String> a = options(Arrays.copyOfRange(args, 1, args.length));
    switch (args[0]) {
      case "service": Services.run(a); break;
      case "receiver": OtlpSink.run(a); break;
      case "collector": CollectorHost.run(a); break;
      case "capture": CaptureLoad.run(a); break;
      default: throw new IllegalArgumentException("unknown role " + args[0]);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    return a;
  }

  static String get(Map<String, String> a, String key, String fallback) {
    String v = a.get(key);
    return v == null ? fallback : v;
  }

  static String require(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
