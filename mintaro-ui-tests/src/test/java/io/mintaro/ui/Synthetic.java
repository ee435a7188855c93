package io.mintaro.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic traces shaped like the demo's: each call is a server span in the callee, with a
 * client span in the caller, an inbound and an outbound exchange with JSON bodies, and DEBUG,
 * INFO and (at the failure) ERROR logs with a stack trace.
 */
final class Synthetic {
  private static final AtomicLong SEQ = new AtomicLong(1);

  private Synthetic() {
  }

  /** One call to {@code service}; {@code calls} are made one after another from inside it. */
  record Call(String service, String method, String path, double workMs, String exception, List<Call> calls) {
    static Call of(String service, String method, String path, double workMs, Call... calls) {
      return new Call(service, method, path, workMs, null, List.of(calls));
    }

    Call failing(String exceptionType) {
      return new Call(service, method, path, workMs, exceptionType, calls);
    }

    String name() {
      return method + " " + path;
    }
  }

  /** A trace ready to post: per service, its protocol v1 trace entry. */
  record Trace(String traceId, String triggerService, String triggerKind, String triggerReason, long triggerAtMs,
               Map<String, ObjectNode> entries, String rootSpanId, Map<String, String> spanIds) {
  }

  static String traceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong() | 1, r.nextLong());
  }

  static String spanId() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong() | 1);
  }

  /**
   * Builds a trace starting at {@code startUs}. The trigger is an error in the deepest failing
   * call when there is one, otherwise a slow trigger in the root service when {@code slowMs} is
   * exceeded, otherwise a manual trigger.
   */
  static Trace build(Call root, long startUs, double slowThresholdMs) {
    Builder b = new Builder(traceId());
    b.serve(root, null, null, startUs);
    String kind;
    String reason;
    String service;
    if (b.failedCall != null) {
      kind = "error";
      reason = "HTTP 500 " + b.failedCall.name();
      service = b.failedCall.service();
    } else if (b.rootDurationUs / 1000.0 > slowThresholdMs) {
      kind = "slow";
      reason = String.format("slow: %s took %d ms", root.name(), b.rootDurationUs / 1000);
      service = root.service();
    } else {
      kind = "manual";
      reason = "manual: synthetic";
      service = root.service();
    }
    return new Trace(b.traceId, service, kind, reason, (startUs + b.rootDurationUs) / 1000, b.entries, b.rootSpanId,
        b.spanIds);
  }

  private record Served(long durationUs, boolean failed) {
  }

  private static final class Builder {
    final String traceId;
    final Map<String, ObjectNode> entries = new LinkedHashMap<>();
    final Map<String, String> spanIds = new LinkedHashMap<>();
    Call failedCall;
    String rootSpanId;
    long rootDurationUs;

    Builder(String traceId) {
      this.traceId = traceId;
    }

    ObjectNode entry(String service) {
      return entries.computeIfAbsent(service, s -> {
        ObjectNode e = FakeAgents.JSON.createObjectNode().put("traceId", traceId).put("reply", false);
        e.putArray("spans");
        e.putArray("messages");
        e.putArray("logs");
        e.putArray("breadcrumbs");
        return e;
      });
    }

    /** Serves {@code call}; returns its server span's duration in microseconds and whether it failed. */
    Served serve(Call call, String parentSpanId, ObjectNode request, long startUs) {
      String spanId = spanId();
      if (parentSpanId == null) {
        rootSpanId = spanId;
      }
      spanIds.putIfAbsent(call.service() + " " + call.name(), spanId);
      ObjectNode entry = entry(call.service());
      String logger = "com.example." + call.service() + ".Handler";
      long t = startUs + 150;
      log(entry, spanId, t, "DEBUG", logger, "handling " + call.name() + " for trace " + traceId.substring(0, 8), null);
      t += 40;
      log(entry, spanId, t, "TRACE", logger, "headers parsed, " + (request == null ? 0 : request.size()) + " fields", null);
      t += (long) (call.workMs() * 500);
      boolean downstreamFailed = false;
      for (Call next : call.calls()) {
        String clientId = spanId();
        spanIds.putIfAbsent(call.service() + " -> " + next.name(), clientId);
        ObjectNode body = FakeAgents.JSON.createObjectNode().put("orderId", traceId.substring(0, 8))
            .put("amount", 12.5).put("caller", call.service());
        log(entry, clientId, t, "DEBUG", logger, "calling " + next.service() + " " + next.name(), null);
        long calleeStart = t + 300;
        Served callee = serve(next, clientId, body, calleeStart);
        boolean failed = callee.failed();
        long clientEnd = calleeStart + callee.durationUs() + 300;
        int status = failed ? 500 : 200;
        span(entry, clientId, spanId, next.name(), "client", failed ? "failed" : "succeeded", t, clientEnd,
            Map.of("http.url", url(next), "http.status_code", String.valueOf(status)), null);
        message(entry, clientId, "outbound", next, status, t, clientEnd - t, body, response(next, failed));
        log(entry, clientId, clientEnd, failed ? "WARN" : "DEBUG", logger,
            next.service() + " answered " + status + " in " + (clientEnd - t) / 1000 + " ms", null);
        t = clientEnd + 100;
        downstreamFailed |= failed;
      }
      t += (long) (call.workMs() * 500);
      boolean failed = call.exception() != null || downstreamFailed;
      ObjectNode error = null;
      if (call.exception() != null) {
        if (failedCall == null) {
          failedCall = call;
        }
        error = FakeAgents.JSON.createObjectNode().put("type", call.exception())
            .put("message", "synthetic failure in " + call.name())
            .put("stack", call.exception() + ": synthetic failure in " + call.name() + "\n\tat com.example."
                + call.service() + ".Handler.handle(Handler.java:42)\n\tat com.example.Server.dispatch(Server.java:118)\n"
                + "\tat java.base/java.lang.Thread.run(Thread.java:840)");
        log(entry, spanId, t, "ERROR", logger, "request failed: " + call.exception(), error);
      } else if (!failed) {
        log(entry, spanId, t, "INFO", logger, call.name() + " done", null);
      }
      long end = t + 200;
      span(entry, spanId, parentSpanId, call.name(), "server", failed ? "failed" : "succeeded", startUs, end,
          Map.of("http.route", call.path(), "http.method", call.method()), error);
      message(entry, spanId, "inbound", call, failed ? 500 : 200, startUs, end - startUs, request, response(call, failed));
      if (parentSpanId == null) {
        rootDurationUs = end - startUs;
      }
      return new Served(end - startUs, failed);
    }

    ObjectNode response(Call call, boolean failed) {
      ObjectNode r = FakeAgents.JSON.createObjectNode();
      if (failed) {
        r.put("error", call.exception() != null ? call.exception() : "upstream failed");
      } else {
        r.put("status", "ok").put("service", call.service());
      }
      return r;
    }

    static String url(Call call) {
      return "http://" + call.service() + ".internal:8080" + call.path();
    }

    static void span(ObjectNode entry, String spanId, String parent, String name, String kind, String status,
                     long startUs, long endUs, Map<String, String> attributes, ObjectNode error) {
      ObjectNode s = entry.withArray("spans").addObject().put("spanId", spanId).put("parentSpanId", parent)
          .put("name", name).put("kind", kind).put("status", status).put("startUs", startUs).put("endUs", endUs);
      ObjectNode attrs = s.putObject("attributes");
      attributes.forEach(attrs::put);
      s.set("error", error);
      s.putArray("handledErrors");
    }

    static void message(ObjectNode entry, String spanId, String direction, Call call, int status, long startUs,
                        long durationUs, ObjectNode request, ObjectNode response) {
      String req = request == null ? null : request.toString();
      String resp = response.toString();
      ObjectNode m = entry.withArray("messages").addObject().put("seq", SEQ.getAndIncrement()).put("spanId", spanId)
          .put("direction", direction).put("method", call.method()).put("url", url(call)).put("status", status)
          .put("startUs", startUs).put("durationUs", durationUs);
      ArrayNode rh = m.putArray("requestHeaders");
      rh.addArray().add("content-type").add("application/json");
      rh.addArray().add("authorization").add("[REDACTED]");
      m.put("requestBody", req).put("requestBodyEncoding", req == null ? null : "utf8")
          .put("requestBodySize", req == null ? 0 : req.length()).put("requestBodyTruncated", false);
      m.putArray("responseHeaders").addArray().add("content-type").add("application/json");
      m.put("responseBody", resp).put("responseBodyEncoding", "utf8").put("responseBodySize", resp.length())
          .put("responseBodyTruncated", false);
      m.putNull("error");
    }

    static void log(ObjectNode entry, String spanId, long timeUs, String level, String logger, String message,
                    ObjectNode error) {
      entry.withArray("logs").addObject().put("seq", SEQ.getAndIncrement()).put("spanId", spanId).put("timeUs", timeUs)
          .put("level", level).put("logger", logger).put("thread", "worker-3").put("message", message)
          .set("error", error);
    }
  }

  static List<Call> list(Call... calls) {
    return new ArrayList<>(List.of(calls));
  }
}
