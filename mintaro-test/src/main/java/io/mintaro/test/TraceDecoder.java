package io.mintaro.test;

import io.mintaro.internal.json.JsonReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads protocol v1's trace JSON, as the agent would send it, into the recorded types. */
final class TraceDecoder {
  private TraceDecoder() {}

  @SuppressWarnings("unchecked")
  static RecordedTrace decode(String json) {
    Map<String, Object> trace = (Map<String, Object>) JsonReader.parse(json);
    List<RecordedSpan> spans = new ArrayList<>();
    for (Map<String, Object> s : list(trace, "spans")) {
      Map<String, String> attributes = new LinkedHashMap<>();
      ((Map<String, Object>) s.get("attributes")).forEach((k, v) -> attributes.put(k, String.valueOf(v)));
      List<RecordedError> handled = new ArrayList<>();
      for (Map<String, Object> e : list(s, "handledErrors")) {
        handled.add(error(e));
      }
      List<RecordedEvent> events = new ArrayList<>();
      for (Map<String, Object> e : list(s, "events")) {
        Map<String, String> eventAttributes = new LinkedHashMap<>();
        ((Map<String, Object>) e.get("attributes")).forEach((k, v) -> eventAttributes.put(k, String.valueOf(v)));
        events.add(new RecordedEvent(num(e, "timeUs"), str(e, "name"), Collections.unmodifiableMap(eventAttributes)));
      }
      spans.add(new RecordedSpan(str(s, "spanId"), str(s, "parentSpanId"), str(s, "name"), str(s, "kind"),
          str(s, "status"), num(s, "startUs"), s.get("endUs") == null ? null : num(s, "endUs"),
          Collections.unmodifiableMap(attributes), error((Map<String, Object>) s.get("error")),
          List.copyOf(handled), List.copyOf(events)));
    }
    List<RecordedExchange> exchanges = new ArrayList<>();
    for (Map<String, Object> m : list(trace, "messages")) {
      exchanges.add(new RecordedExchange(str(m, "spanId"), str(m, "direction"), str(m, "method"), str(m, "url"),
          (int) num(m, "status"), num(m, "durationUs"), str(m, "error"), headers(m, "requestHeaders"),
          str(m, "requestBody"), "base64".equals(m.get("requestBodyEncoding")), num(m, "requestBodySize"),
          Boolean.TRUE.equals(m.get("requestBodyTruncated")), headers(m, "responseHeaders"),
          str(m, "responseBody"), "base64".equals(m.get("responseBodyEncoding")), num(m, "responseBodySize"),
          Boolean.TRUE.equals(m.get("responseBodyTruncated"))));
    }
    List<RecordedLog> logs = new ArrayList<>();
    for (Map<String, Object> l : list(trace, "logs")) {
      logs.add(new RecordedLog(str(l, "spanId"), num(l, "timeUs"), str(l, "level"), str(l, "logger"),
          str(l, "thread"), str(l, "message"), error((Map<String, Object>) l.get("error"))));
    }
    List<RecordedBreadcrumb> breadcrumbs = new ArrayList<>();
    for (Map<String, Object> b : list(trace, "breadcrumbs")) {
      breadcrumbs.add(new RecordedBreadcrumb(str(b, "spanId"), str(b, "role"), str(b, "agentId"),
          str(b, "authority")));
    }
    return new RecordedTrace(str(trace, "traceId"), List.copyOf(spans), List.copyOf(exchanges),
        List.copyOf(logs), List.copyOf(breadcrumbs));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<Header> headers(Map<String, Object> m, String key) {
    List<Header> out = new ArrayList<>();
    Object v = m.get(key);
    if (v != null) {
      for (List<Object> pair : (List<List<Object>>) v) {
        out.add(new Header(String.valueOf(pair.get(0)), pair.get(1) == null ? null : String.valueOf(pair.get(1))));
      }
    }
    return List.copyOf(out);
  }

  private static RecordedError error(Map<String, Object> e) {
    return e == null ? null : new RecordedError(str(e, "type"), str(e, "message"), str(e, "stack"));
  }

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v.toString();
  }

  private static long num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }
}
