package io.mintaro.collector.store;

import io.mintaro.collector.protocol.AgentStats;

/**
 * A stored agent: its latest registration, when it was last seen (flushed every 10 s by the
 * collector it talks to) and what its recorder last reported.
 *
 * @param version the service version it registered with, or null
 * @param stats the recorder's latest figures as stored, or null when it never reported any
 */
public record AgentRow(String agentId, String service, String version, String host, Long pid, String sdk,
                       long registeredAtMs, long lastSeenAtMs, AgentStats stats) {
}
