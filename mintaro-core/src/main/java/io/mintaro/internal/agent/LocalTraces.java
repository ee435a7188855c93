package io.mintaro.internal.agent;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What an SDK holds now, read without a collector: the ids of the traces in its ring, and one
 * trace encoded exactly as the agent would send it (protocol v1's {@code traces[]} entry, open
 * spans included). For test mode and local tools; the agent's own path does not use it.
 */
public final class LocalTraces {
  private LocalTraces() {}

  /** Trace ids (32 hex digits) with records in the ring or spans open, the most recently written chain first. */
  public static List<String> traceIds(MintaroSdk sdk) {
    List<String> ids = new ArrayList<>();
    Core core = Core.of(sdk);
    core.recordAllOpenSpans(); // a trace of open spans only has nothing in the ring yet
    for (long[] id : core.recorder().traceIds()) {
      ids.add(Ids.traceHex(id[0], id[1]));
    }
    return ids;
  }

  /** The trace as protocol v1 JSON; an empty trace when nothing of it is in the ring. */
  public static String traceJson(MintaroSdk sdk, String traceId) {
    Core core = Core.of(sdk);
    long hi = Ids.parseHex16(traceId, 0);
    long lo = Ids.parseHex16(traceId, 16);
    core.recordOpenSpans(hi, lo);
    StringBuilder json = new StringBuilder();
    BatchEncoder.writeTrace(new JsonWriter(json), traceId, false, core.recorder().read(hi, lo, 0));
    return json.toString();
  }
}
