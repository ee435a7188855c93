package io.mintaro.internal.agent;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonReader;
import io.mintaro.internal.json.JsonWriter;
import io.mintaro.internal.recorder.FlightRecorder;
import java.util.List;
import java.util.Map;

/**
 * Test helper: what an SDK would ship for one trace, as protocol v1 JSON parsed back into maps.
 * It reads the SDK's own ring and encodes it exactly as the agent does, so tests see the records
 * the way the collector would.
 */
public final class RingDump {
  private RingDump() {}

  /** The trace as the agent would send it now, open spans included. */
  public static Map<String, Object> trace(MintaroSdk sdk, String traceId) {
    Core.of(sdk).recordOpenSpans(Ids.parseHex16(traceId, 0), Ids.parseHex16(traceId, 16));
    return trace(Core.of(sdk).recorder(), traceId);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> trace(FlightRecorder recorder, String traceId) {
    long hi = Ids.parseHex16(traceId, 0);
    long lo = Ids.parseHex16(traceId, 16);
    StringBuilder json = new StringBuilder();
    BatchEncoder.writeTrace(new JsonWriter(json), traceId, false, recorder.read(hi, lo, 0));
    return (Map<String, Object>) JsonReader.parse(json.toString());
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Map<String, Object> trace, String kind) {
    return (List<Map<String, Object>>) trace.get(kind);
  }

  /** The one span of this name; fails when there is none or several. */
  public static Map<String, Object> span(Map<String, Object> trace, String name) {
    List<Map<String, Object>> found = list(trace, "spans").stream().filter(s -> name.equals(s.get("name"))).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one span named '" + name + "' but found " + found.size() + " in " + trace);
    }
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
