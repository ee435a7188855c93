package io.mintaro.collector.protocol;

import java.util.List;

/** A validated {@code /agent/v1/register} body. */
public record Registration(String agentId, String service, String host, Long pid, String sdk, List<String> authorities) {
}
