package io.mintaro.http;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.agent.RingDump;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service hop the way the W3C test harness ({@code w3c/trace-context}, {@code test/test.py})
 * sees a service: it sends a request with some headers, the service calls out, and the harness
 * reads the headers of the outgoing calls. Here the service is a {@link ServerExchange} with
 * {@link ClientExchange}s made inside it. Header names are case-insensitive and may repeat; the
 * values of a repeated header reach the exchange joined by {@link ServerExchange#combine}, as an
 * integration passes them.
 */
final class Hop {
  /** The trace the server span is in. */
  final String traceId;
  /** The server span as the agent would send it. */
  final Map<String, Object> serverSpan;
  /** The whole trace as the agent would send it. */
  final Map<String, Object> trace;
  /** The headers of each outgoing call, in the order they were set. */
  final List<Map<String, String>> calls;

  private final List<String> clientSpanIds;

  private Hop(String traceId, String serverSpanId, List<String> clientSpanIds, Map<String, Object> trace,
      List<Map<String, String>> calls) {
    this.traceId = traceId;
    this.trace = trace;
    this.serverSpan = byId(trace, serverSpanId);
    this.clientSpanIds = clientSpanIds;
    this.calls = calls;
  }

  /** A test may send several requests in one trace: spans are found by id, not by name. */
  private static Map<String, Object> byId(Map<String, Object> trace, String spanId) {
    return RingDump.list(trace, "spans").stream().filter(s -> spanId.equals(s.get("spanId"))).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace));
  }

  /** A request with these header name/value pairs, and one outgoing call. */
  static Hop through(MintaroSdk sdk, String... headers) {
    return through(sdk, 1, headers);
  }

  static Hop through(MintaroSdk sdk, int outgoingCalls, String... headers) {
    Map<String, List<String>> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < headers.length; i += 2) {
      request.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
    }
    ServerExchange server = ServerExchange.start(sdk, "GET", "http://svc/hop", "/hop",
        name -> ServerExchange.combine(request.get(name)));
    List<Map<String, String>> calls = new ArrayList<>();
    List<String> clientSpanIds = new ArrayList<>();
    for (int c = 0; c < outgoingCalls; c++) {
      Map<String, String> sent = new LinkedHashMap<>();
      ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("http://next/" + c));
      clientSpanIds.add(call.data.span.spanId());
      call.propagationHeaders((name, value) -> {
        if (sent.put(name, value) != null) {
          throw new AssertionError("header " + name + " set twice");
        }
      });
      call.status(200);
      call.close();
      calls.add(sent);
    }
    server.status(200);
    server.close();
    return new Hop(server.traceId(), server.data.span.spanId(), clientSpanIds, RingDump.trace(sdk, server.traceId()),
        calls);
  }

  Map<String, String> sent() {
    return calls.get(0);
  }

  /** The server span's parent: the caller's span id, or null when the request started the trace. */
  Object serverParent() {
    return serverSpan.get("parentSpanId");
  }

  String traceparent() {
    return sent().get("traceparent");
  }

  String tracestate() {
    return sent().get("tracestate");
  }

  /** The trace id of the outgoing traceparent. */
  String sentTraceId() {
    return traceparent().substring(3, 35);
  }

  String sentParentId() {
    return traceparent().substring(36, 52);
  }

  int sentFlags() {
    return Integer.parseInt(traceparent().substring(53, 55), 16);
  }

  /** The outgoing tracestate's members, split on commas. */
  List<String> sentMembers() {
    return Arrays.asList(tracestate().split(",", -1));
  }

  /** The span id of the first outgoing call's client span. */
  String clientSpanId() {
    return clientSpanIds.get(0);
  }

  /** The server span's id. */
  String serverSpanId() {
    return (String) serverSpan.get("spanId");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> serverAttributes() {
    return (Map<String, Object>) serverSpan.get("attributes");
  }

  /** The breadcrumbs of this request's server span. */
  List<Map<String, Object>> breadcrumbs() {
    return RingDump.list(trace, "breadcrumbs").stream().filter(b -> serverSpanId().equals(b.get("spanId"))).toList();
  }
}
