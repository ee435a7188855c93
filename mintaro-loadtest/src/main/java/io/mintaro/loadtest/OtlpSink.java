package io.mintaro.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mintaro.testkit.CountingRelay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The "local receiver" of the OpenTelemetry configuration. The real OpenTelemetry Collector is
 * not installable here, so this is a sink: it accepts OTLP/HTTP protobuf on {@code POST
 * /v1/traces} and {@code POST /v1/logs}, counts bytes and items, and answers 200 with an empty
 * protobuf body (an empty Export*ServiceResponse). A {@link CountingRelay} in front counts the
 * bytes on the wire; {@code GET /stats} and {@code POST /reset} are asked directly, not through it.
 */
final class OtlpSink {
  private OtlpSink() {}

  static void run(Map<String, String> a) throws Exception {
    int port = Integer.parseInt(LoadMain.require(a, "port"));
    int relayPort = Integer.parseInt(LoadMain.require(a, "relay-port"));
    AtomicLong traceRequests = new AtomicLong();
    AtomicLong logRequests = new AtomicLong();
    AtomicLong traceBodyBytes = new AtomicLong();
    AtomicLong logBodyBytes = new AtomicLong();
    AtomicLong spans = new AtomicLong();
    AtomicLong logRecords = new AtomicLong();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/traces", ex -> export(ex, traceRequests, traceBodyBytes, spans));
    server.createContext("/v1/logs", ex -> export(ex, logRequests, logBodyBytes, logRecords));
    CountingRelay relay = new CountingRelay(relayPort, port);
    server.createContext("/stats", ex -> {
      String json = "{\"upstreamBytes\":" + relay.upstreamBytes()
          + ",\"downstreamBytes\":" + relay.downstreamBytes()
          + ",\"connections\":" + relay.connections()
          + ",\"traceRequests\":" + traceRequests.get()
          + ",\"logRequests\":" + logRequests.get()
          + ",\"traceBodyBytes\":" + traceBodyBytes.get()
          + ",\"logBodyBytes\":" + logBodyBytes.get()
          + ",\"spans\":" + spans.get()
          + ",\"logRecords\":" + logRecords.get() + "}";
      respond(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/reset", ex -> {
      relay.resetCounts();
      for (AtomicLong c : new AtomicLong[] {traceRequests, logRequests, traceBodyBytes, logBodyBytes, spans, logRecords}) {
        c.set(0);
      }
      respond(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    });
    server.start();
    System.out.println("ready receiver port=" + port + " relay=" + relayPort);
    Thread.currentThread().join();
  }

  private static void export(HttpExchange ex, AtomicLong requests, AtomicLong bytes, AtomicLong items) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    requests.incrementAndGet();
    bytes.addAndGet(body.length);
    try {
      byte[] proto = body;
      String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          proto = in.readAllBytes();
        }
      }
      items.addAndGet(countItems(proto));
    } catch (RuntimeException e) {
      // a malformed body is still counted in bytes
    }
    respond(ex, 200, "application/x-protobuf", new byte[0]);
  }

  /**
   * Export{Trace,Logs}ServiceRequest, ResourceSpans/ResourceLogs and ScopeSpans/ScopeLogs share
   * one shape: field 1 repeated resource entries, each with field 2 repeated scope entries, each
   * with field 2 repeated items (spans or log records). Counts the items.
   */
  static long countItems(byte[] b) {
    long n = 0;
    for (long[] resource : fields(b, 0, b.length, 1)) {
      for (long[] scope : fields(b, (int) resource[0], (int) resource[1], 2)) {
        n += fields(b, (int) scope[0], (int) scope[1], 2).size();
      }
    }
    return n;
  }

  /** [start, end) ranges of the length-delimited fields numbered {@code field} in b[from, to). */
  private static java.util.List<long[]> fields(byte[] b, int from, int to, int field) {
    java.util.List<long[]> out = new java.util.ArrayList<>();
    int[] pos = {from};
    while (pos[0] < to) {
      long key = varint(b, pos);
      int number = (int) (key >>> 3);
      int type = (int) (key & 7);
      switch (type) {
        case 0: varint(b, pos); break;
        case 1: pos[0] += 8; break;
        case 5: pos[0] += 4; break;
        case 2: {
          int len = (int) varint(b, pos);
          if (number == field) {
            out.add(new long[] {pos[0], pos[0] + len});
          }
          pos[0] += len;
          break;
        }
        default: throw new IllegalArgumentException("wire type " + type);
      }
    }
    return out;
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("bad varint");
  }

  static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }
}
