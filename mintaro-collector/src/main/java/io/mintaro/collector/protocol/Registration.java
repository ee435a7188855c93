package io.mintaro.collector.protocol;

import io.mintaro.collector.store.Namespaces;
import java.util.List;

/**
 * A validated {@code /agent/v1/register} body.
 *
 * @param version the version of the service running in the process, or null when the agent sent none
 * @param namespace the namespace of the key the agent registered with (not part of the body)
 */
public record Registration(String agentId, String service, String version, String host, Long pid, String sdk,
                           List<String> authorities, String namespace) {

    /** A registration in the default namespace. */
    public Registration(String agentId, String service, String version, String host, Long pid, String sdk,
                        List<String> authorities) {
        this(agentId, service, version, host, pid, sdk, authorities, Namespaces.DEFAULT);
    }

    /** This registration, made with a key of {@code namespace}. */
    public Registration inNamespace(String namespace) {
        return new Registration(agentId, service, version, host, pid, sdk, authorities, namespace);
    }

    /** This registration with other authorities. */
    public Registration withAuthorities(List<String> authorities) {
        return new Registration(agentId, service, version, host, pid, sdk, authorities, namespace);
    }
}
