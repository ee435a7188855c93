package io.mintaro.collector.store.internal;

import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.store.Namespaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key a trace is stored under: its id in the default namespace, {@code <namespace>/<id>} in
 * any other. Two namespaces may see the same trace id (a request that crosses teams) and store it
 * twice, apart; rows from before namespaces need no rewrite. Trace ids are validated hex, and
 * namespace names have no {@code /}, so a key has one reading.
 */
final class TraceKeys {
    private TraceKeys() {
    }

    /** The batch with its trace ids replaced by their keys in {@code namespace}. */
    static Batch qualify(Batch b, String namespace) {
        if (Namespaces.DEFAULT.equals(namespace)) {
            return b;
        }
        List<Batch.Trigger> triggers = new ArrayList<>();
        for (Batch.Trigger t : b.triggers()) {
            triggers.add(new Batch.Trigger(key(namespace, t.traceId()), t.kind(), t.reason(), t.atMs()));
        }
        List<Batch.TraceEntry> traces = new ArrayList<>();
        for (Batch.TraceEntry e : b.traces()) {
            traces.add(new Batch.TraceEntry(key(namespace, e.traceId()), e.reply(), e.spans(), e.messages(), e.logs(),
                    e.breadcrumbs()));
        }
        List<Batch.Counted> counted = new ArrayList<>();
        for (Batch.Counted c : b.counted()) {
            List<Batch.CountedTrace> ids = new ArrayList<>();
            for (Batch.CountedTrace t : c.traces()) {
                ids.add(new Batch.CountedTrace(key(namespace, t.traceId()), t.atMs()));
            }
            counted.add(new Batch.Counted(c.kind(), c.endpoint(), c.problem(), ids, c.more(), c.lastAtMs()));
        }
        return new Batch(b.agentId(), triggers, traces, counted);
    }

    static Set<String> ids(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        keys.forEach(k -> out.add(traceId(k)));
        return out;
    }

    static <V> Map<String, V> ids(Map<String, V> byKey) {
        Map<String, V> out = new LinkedHashMap<>();
        byKey.forEach((k, v) -> out.put(traceId(k), v));
        return out;
    }

    static String key(String namespace, String traceId) {
        return Namespaces.DEFAULT.equals(namespace) ? traceId : namespace + "/" + traceId;
    }

    static String traceId(String key) {
        if (key == null) {
            return null;
        }
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? Namespaces.DEFAULT : key.substring(0, slash);
    }
}
