package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.agent.Agent;
import io.mintaro.collector.agent.AgentRegistry;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.store.AgentRow;
import io.mintaro.collector.store.ServiceActivity;
import io.mintaro.collector.store.ServiceRow;
import io.mintaro.collector.store.Storage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The health of each service ({@code GET /api/services}, {@code GET /api/services/{service}}): its
 * versions, its agents and whether they are connected, and its triggers, errors, stored traces and
 * counted occurrences over time; see {@code docs/api.md}.
 *
 * <p>Whether an agent is connected is known from two sources: this collector's memory (the agent
 * polls here now, or did recently) and the stored last-seen times, which every collector on the
 * database flushes every 10 s, so that an agent polling another replica counts too.
 */
public final class ServiceEndpoints {
    /** The range when {@code from} is not given: the 24 hours before {@code to}. */
    static final long DEFAULT_RANGE_MS = 24L * 3_600_000;
    /** More buckets than this are refused rather than computed and sent. */
    static final int MAX_BUCKETS = 1_500;
    /**
     * How far the stored last-seen times may lag this collector's memory (the flush interval, with
     * room to spare): agents are read from this much earlier, then judged by the fresher time.
     */
    static final long FLUSH_LAG_MS = 60_000;

    /** Bucket widths, by name. */
    static final Map<String, Long> BUCKETS = Map.of("minute", 60_000L, "hour", 3_600_000L, "day", 86_400_000L);

    private final Storage store;
    private final AgentRegistry registry;
    private final LongSupplier clock;
    private final CollectorMetrics metrics;

    /** @param metrics records the time of every store call */
    public ServiceEndpoints(Storage store, AgentRegistry registry, LongSupplier clock, CollectorMetrics metrics) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** An agent as the API shows it: the stored row and this collector's fresher view of it. */
    record AgentView(AgentRow row, long lastSeenAtMs, boolean connected, AgentStats stats) {
    }

    /** {@code [fromMs, toMs)}, from {@code from} and {@code to}. */
    record Range(long fromMs, long toMs) {
    }

    /** {@code GET /api/services}. */
    public void services(Context ctx) throws SQLException {
        long now = clock.getAsLong();
        Range range = range(ctx, now);
        String namespace = SessionEndpoints.namespace(ctx);
        record Found(List<ServiceRow> rows, Map<String, List<AgentView>> agents, Map<String, ServiceActivity> totals) {
        }
        Found found = metrics.database("services", () -> {
            List<ServiceRow> rows = store.stats().services(namespace);
            Map<String, List<AgentView>> agents = agents(namespace, null, range.fromMs(), now);
            List<String> names = new ArrayList<>();
            rows.forEach(r -> names.add(r.name()));
            return new Found(rows, agents, store.stats().activityTotals(namespace, names, range.fromMs(),
                    range.toMs()));
        });
        Map<String, Long> lastSeen = lastSeen(namespace, found.rows());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("fromMs", range.fromMs());
        out.put("toMs", range.toMs());
        ArrayNode services = out.putArray("services");
        lastSeen.forEach((name, ms) -> services.add(service(name, ms, found.agents().getOrDefault(name, List.of()),
                found.totals().getOrDefault(name, ServiceActivity.none(range.fromMs())))));
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/services/{service}}. */
    public void service(Context ctx) throws SQLException {
        String name = Params.servicePath(ctx);
        long now = clock.getAsLong();
        Range range = range(ctx, now);
        String bucketName = Params.choice(ctx, "bucket", List.copyOf(new TreeMap<>(BUCKETS).keySet()), null);
        if (bucketName == null) {
            bucketName = defaultBucket(range);
        }
        long width = BUCKETS.get(bucketName);
        long first = Math.floorDiv(range.fromMs(), width) * width;
        long count = (range.toMs() - first + width - 1) / width;
        if (count > MAX_BUCKETS) {
            throw ApiException.badRequest("bucket: the range holds " + count + " buckets of a " + bucketName
                    + ", more than " + MAX_BUCKETS + "; choose a longer bucket or a shorter range");
        }
        record Found(List<ServiceRow> rows, List<AgentView> agents, List<ServiceActivity> buckets) {
        }
        String namespace = SessionEndpoints.namespace(ctx);
        Found found = metrics.database("service", () -> new Found(store.stats().services(namespace),
                agents(namespace, name, range.fromMs(), now).getOrDefault(name, List.of()),
                store.stats().activity(namespace, name, range.fromMs(), range.toMs(), width)));
        Long lastSeen = lastSeen(namespace, found.rows()).get(name);
        if (lastSeen == null) {
            throw ApiException.notFound("unknown service");
        }
        ServiceActivity total = ServiceActivity.none(range.fromMs());
        Map<Long, ServiceActivity> byStart = new HashMap<>();
        for (ServiceActivity b : found.buckets()) {
            byStart.put(b.startMs(), b);
            total = total.plus(b);
        }

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("service", service(name, lastSeen, found.agents(), total));
        ArrayNode agents = out.putArray("agents");
        for (AgentView a : found.agents()) {
            agents.add(agent(a));
        }
        out.set("stats", summedStats(found.agents()));
        ObjectNode activity = out.putObject("activity");
        activity.put("fromMs", range.fromMs());
        activity.put("toMs", range.toMs());
        activity.put("bucket", bucketName);
        activity.put("bucketMs", width);
        ArrayNode buckets = activity.putArray("buckets");
        for (long start = first; start < range.toMs(); start += width) {
            ServiceActivity b = byStart.getOrDefault(start, ServiceActivity.none(start));
            activity(buckets.addObject().put("startMs", start), b);
        }
        Responses.json(ctx, 200, out);
    }

    /**
     * The bucket that gives a readable number of bars: minutes up to 3 hours, hours up to 7 days,
     * days beyond.
     */
    static String defaultBucket(Range range) {
        long span = range.toMs() - range.fromMs();
        return span <= 3 * 3_600_000L ? "minute" : span <= 7 * 86_400_000L ? "hour" : "day";
    }

    private static Range range(Context ctx, long now) {
        Long to = Params.instantMs(ctx, "to");
        Long from = Params.instantMs(ctx, "from");
        long toMs = to == null ? now : to;
        long fromMs = from == null ? toMs - DEFAULT_RANGE_MS : from;
        if (fromMs >= toMs) {
            throw ApiException.badRequest("from must be before to");
        }
        return new Range(fromMs, toMs);
    }

    /** The services ever registered, by name, with their latest last-seen time from the store or memory. */
    private Map<String, Long> lastSeen(String namespace, List<ServiceRow> rows) {
        Map<String, Long> lastSeen = new TreeMap<>();
        for (ServiceRow row : rows) {
            lastSeen.put(row.name(), row.lastSeenAtMs());
        }
        // In-memory times are fresher than the periodically flushed ones.
        registry.lastSeenByService(namespace).forEach((name, ms) -> lastSeen.merge(name, ms, Math::max));
        return lastSeen;
    }

    /**
     * The agents seen since {@code sinceMs} (connected ones always included), per service, each
     * with this collector's fresher view where it has one.
     */
    private Map<String, List<AgentView>> agents(String namespace, String service, long sinceMs, long now)
            throws SQLException {
        long connectedSince = now - registry.connectedWithinMs();
        long since = Math.min(sinceMs, connectedSince);
        Map<String, List<AgentView>> out = new TreeMap<>();
        for (AgentRow row : store.agents().seenSince(namespace, service, since - FLUSH_LAG_MS)) {
            Agent local = registry.get(row.agentId());
            long lastSeen = local == null ? row.lastSeenAtMs() : Math.max(row.lastSeenAtMs(), local.lastSeenAtMs());
            if (lastSeen < since) {
                continue;
            }
            boolean connected = row.lastSeenAtMs() >= connectedSince || (local != null && registry.connected(local, now));
            AgentStats stats = row.stats();
            AgentStats reported = local == null ? null : local.stats();
            if (reported != null && (stats == null || reported.receivedAtMs() >= stats.receivedAtMs())) {
                stats = reported;
            }
            out.computeIfAbsent(row.service(), s -> new ArrayList<>()).add(new AgentView(row, lastSeen, connected, stats));
        }
        return out;
    }

    /** A service's line of {@code /api/services}. */
    private static ObjectNode service(String name, long lastSeenAtMs, List<AgentView> agents, ServiceActivity total) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        n.put("agents", agents.stream().filter(AgentView::connected).count());
        n.put("lastSeenAt", Json.isoFromMillis(lastSeenAtMs));
        n.put("lastSeenAtMs", lastSeenAtMs);
        n.put("agentsSeen", agents.size());
        n.set("versions", versions(agents));
        activity(n, total);
        return n;
    }

    /**
     * The versions of the service's agents: how many were seen and how many are connected, most
     * connected first (then most seen, then by version; agents without a version last).
     */
    private static ArrayNode versions(List<AgentView> agents) {
        Map<String, long[]> counts = new HashMap<>();
        for (AgentView a : agents) {
            long[] c = counts.computeIfAbsent(Objects.requireNonNullElse(a.row().version(), ""), v -> new long[2]);
            c[0]++;
            if (a.connected()) {
                c[1]++;
            }
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, long[]>, Boolean>comparing(e -> e.getKey().isEmpty())
                .thenComparing(e -> -e.getValue()[1])
                .thenComparing(e -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, long[]> e : sorted) {
            ObjectNode v = out.addObject();
            // The empty string stands for "none" only here: a registered version is never empty.
            v.put("version", e.getKey().isEmpty() ? null : e.getKey());
            v.put("agents", e.getValue()[0]);
            v.put("connected", e.getValue()[1]);
        }
        return out;
    }

    private static void activity(ObjectNode n, ServiceActivity a) {
        n.put("triggers", a.triggers());
        n.put("errors", a.errors());
        n.put("stored", a.stored());
        n.put("counted", a.counted());
    }

    private static ObjectNode agent(AgentView a) {
        AgentRow r = a.row();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("agentId", r.agentId());
        n.put("host", r.host());
        n.put("pid", r.pid());
        n.put("sdk", r.sdk());
        n.put("version", r.version());
        n.put("connected", a.connected());
        n.put("registeredAtMs", r.registeredAtMs());
        n.put("lastSeenAtMs", a.lastSeenAtMs());
        if (a.stats() == null) {
            n.putNull("stats");
        } else {
            n.set("stats", a.stats().toJson());
        }
        return n;
    }

    /**
     * The figures of the connected agents' recorders, added up: the running processes of the
     * service, each since it started. {@code historyMs} is the shortest history of them (the
     * recorder that reaches back least), {@code retentionShort} how many are short of history.
     */
    private static ObjectNode summedStats(List<AgentView> agents) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        long reporting = 0;
        long bufferBytes = 0;
        Long minHistory = null;
        long short_ = 0;
        Map<String, Long> sums = new LinkedHashMap<>();
        AgentStats.COUNTERS.forEach(c -> sums.put(c, 0L));
        for (AgentView a : agents) {
            AgentStats s = a.stats();
            if (!a.connected() || s == null) {
                continue;
            }
            reporting++;
            bufferBytes += s.bufferBytes() == null ? 0 : s.bufferBytes();
            if (s.historyMs() != null) {
                minHistory = minHistory == null ? s.historyMs() : Math.min(minHistory, s.historyMs());
            }
            if (Boolean.TRUE.equals(s.retentionShort())) {
                short_++;
            }
            for (String c : AgentStats.COUNTERS) {
                Long v = s.counter(c);
                if (v != null) {
                    sums.merge(c, v, Long::sum);
                }
            }
        }
        n.put("agentsReporting", reporting);
        n.put("bufferBytes", bufferBytes);
        n.put("historyMs", minHistory);
        n.put("retentionShort", short_);
        sums.forEach(n::put);
        return n;
    }
}
