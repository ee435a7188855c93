package io.mintaro.collector.protocol;

import java.util.List;

/**
 * A validated {@code /agent/v1/register} body.
 *
 * @param version the version of the service running in the process, or null when the agent sent none
 */
public record Registration(String agentId, String service, String version, String host, Long pid, String sdk,
                           List<String> authorities) {
}
