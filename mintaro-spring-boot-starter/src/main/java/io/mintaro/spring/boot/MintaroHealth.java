package io.mintaro.spring.boot;

import io.mintaro.MintaroSdk;
import io.mintaro.MintaroStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's link to the collector, as a health status and details, for whichever Actuator is
 * present. UP when connected or when no collector is configured (recording locally is a
 * configuration, not a fault). UNKNOWN when a collector is configured but not reached: never
 * DOWN, so that a collector outage cannot take the application out of service.
 */
final class MintaroHealth {
  private final SdkSelector selector;
  private final SdkFactory factory;

  MintaroHealth(SdkSelector selector, SdkFactory factory) {
    this.selector = selector;
    this.factory = factory;
  }

  /** The status code: {@code UP} or {@code UNKNOWN}. */
  String status() {
    MintaroSdk sdk = selector.own();
    if (sdk.stats().connected()) {
      return "UP";
    }
    return factory.built(sdk) && !factory.collectorConfigured() ? "UP" : "UNKNOWN";
  }

  Map<String, Object> details() {
    MintaroSdk sdk = selector.own();
    MintaroStats stats = sdk.stats();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("service", sdk.service());
    details.put("agentId", sdk.agentId());
    if (factory.built(sdk)) {
      details.put("collector", factory.collectorConfigured() ? "configured" : "none (recording locally)");
    }
    details.put("connected", stats.connected());
    details.put("triggersReported", stats.triggersReported());
    details.put("triggersRateLimited", stats.triggersRateLimited());
    details.put("triggersGroupLimited", stats.triggersGroupLimited());
    details.put("triggersCounted", stats.triggersCounted());
    details.put("triggersDropped", stats.triggersDropped());
    details.put("batchesSent", stats.batchesSent());
    details.put("batchesFailed", stats.batchesFailed());
    details.put("bytesSent", stats.bytesSent());
    details.put("bytesRecorded", stats.bytesRecorded());
    details.put("historyMillis", stats.historyMillis());
    details.put("oldestRecordAgeMillis", stats.oldestRecordAgeMillis());
    return details;
  }
}
