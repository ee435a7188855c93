package io.mintaro.collector.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.access.Access;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.IngestListener;
import io.mintaro.collector.store.IngestResult;
import io.mintaro.collector.store.Storage;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP handlers of agent protocol v1 ({@code /agent/v1/...}); see {@code docs/protocol.md}. */
public final class AgentEndpoints {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoints.class);
    /** The only protocol version this collector speaks. */
    public static final String PROTOCOL_VERSION = "1";

    private final Storage store;
    private final AgentRegistry registry;
    private final Retrieval retrieval;
    private final BodyReader bodyReader;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final long pollTimeoutMs;
    private final long lateWindowMs;
    private final long liveWithinMs;
    private final CollectorMetrics metrics;
    private volatile boolean shuttingDown;

    private volatile IngestListener ingestListener = IngestListener.NONE;

    /** Sets who is told about every committed batch (alerts). */
    public void onStored(IngestListener listener) {
        this.ingestListener = listener;
    }

    public AgentEndpoints(Storage store, AgentRegistry registry, Retrieval retrieval, BodyReader bodyReader,
                          ScheduledExecutorService scheduler, LongSupplier clock, long pollTimeoutMs,
                          long lateWindowMs, CollectorMetrics metrics) {
        this.store = store;
        this.registry = registry;
        this.retrieval = retrieval;
        this.bodyReader = bodyReader;
        this.scheduler = scheduler;
        this.clock = clock;
        this.pollTimeoutMs = pollTimeoutMs;
        this.lateWindowMs = lateWindowMs;
        this.liveWithinMs = pollTimeoutMs * 2 + 5_000;
        this.metrics = metrics;
    }

    /** The request attribute holding the namespace of the request's ingest key. */
    private static final String NAMESPACE = "mintaro.namespace";

    /**
     * Before-handler: the request's key must be one that may send agent data ({@code 401}
     * otherwise, or {@code 403} for a read key); its namespace is the agent's.
     */
    public static void authenticate(Context ctx, Access access) throws SQLException {
        ApiKey key = access.authenticate(ctx.header("Authorization"), ctx.ip());
        if (!key.kind().mayIngest()) {
            throw new ApiException(403, "a read key cannot send agent data: use an ingest key");
        }
        ctx.attribute(NAMESPACE, key.namespace());
    }

    private static String namespace(Context ctx) {
        String ns = ctx.attribute(NAMESPACE);
        if (ns == null) {
            throw new IllegalStateException("not an authenticated agent request");
        }
        return ns;
    }

    /** Before-handler: every agent request must say {@code Mintaro-Protocol: 1}. */
    public void checkProtocol(Context ctx) {
        String version = ctx.header("Mintaro-Protocol");
        if (version == null) {
            throw ApiException.badRequest("missing Mintaro-Protocol header; this collector speaks version "
                    + PROTOCOL_VERSION);
        }
        if (!PROTOCOL_VERSION.equals(version.trim())) {
            throw ApiException.badRequest("unsupported Mintaro-Protocol version '" + truncate(version)
                    + "'; this collector speaks version " + PROTOCOL_VERSION);
        }
    }

    /** {@code POST /agent/v1/register}. */
    public void register(Context ctx) throws IOException, SQLException {
        Registration r = ProtocolParser.registration(body(ctx)).inNamespace(namespace(ctx));
        long now = clock.getAsLong();
        Set<String> refused = metrics.database("register", () -> {
            if (!store.agents().upsert(r, now)) {
                // Agent ids are random: this is a clash or a key holder trying another's agent id.
                throw new ApiException(409, "agent id already registered with a key of another namespace");
            }
            return store.collections().serves(r, now, liveWithinMs);
        });
        Agent previous = registry.get(r.agentId());
        registry.register(r, now);
        metrics.registered();
        if (previous == null) {
            log.info("agent {} registered: service {}{}, host {}, pid {}, sdk {}, authorities {}{}", r.agentId(),
                    r.service(), r.version() == null ? "" : " " + r.version(), r.host(), r.pid(), r.sdk(),
                    r.authorities(),
                    refused.isEmpty() ? "" : " (refused: " + refused + ")");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("agentId", r.agentId());
        out.put("pollTimeoutMs", pollTimeoutMs);
        out.put("lateWindowMs", lateWindowMs);
        Responses.json(ctx, 200, out);
    }

    /**
     * {@code POST /agent/v1/poll}: a long poll served asynchronously, so a waiting agent holds a
     * connection but no server thread.
     */
    public void poll(Context ctx) throws IOException, SQLException {
        ObjectNode body = body(ctx);
        String agentId = ProtocolParser.pollAgentId(body);
        List<String> authorities = ProtocolParser.pollAuthorities(body);
        Agent agent = agent(ctx, agentId);
        agent.seen(clock.getAsLong());
        AgentStats stats = stats(body, agentId);
        if (stats != null) {
            agent.reported(stats); // memory only: the periodic flush stores it
        }
        if (authorities != null && !authorities.equals(List.copyOf(agent.authorities()))) {
            Registration updated = agent.withAuthorities(authorities);
            store.agents().upsert(updated, clock.getAsLong());
            store.collections().serves(updated, clock.getAsLong(), liveWithinMs);
            agent.replaceAuthorities(authorities);
        }
        if (shuttingDown) {
            Responses.json(ctx, 200, Json.MAPPER.createObjectNode().set("commands", Json.MAPPER.createArrayNode()));
            return;
        }
        ctx.future(() -> {
            // Opened before agent.poll answers an older poll of this agent, so a replaced poll never
            // shows as a gap; every poll future completes (commands, timeout, a newer poll, shutdown),
            // and it is closed before its answer is written.
            metrics.pollOpened();
            CompletableFuture<List<String>> answered;
            try {
                answered = agent.poll(pollTimeoutMs, scheduler);
                retrieval.pollOpened(agent);
            } catch (RuntimeException | Error e) {
                metrics.pollClosed();
                throw e;
            }
            return answered.whenComplete((ids, e) -> metrics.pollClosed()).thenAccept(traceIds -> {
                retrieval.delivered(agent, traceIds);
                agent.seen(clock.getAsLong());
                ObjectNode out = Json.MAPPER.createObjectNode();
                ArrayNode commands = out.putArray("commands");
                for (String traceId : traceIds) {
                    commands.addObject().put("type", "collect").put("traceId", traceId);
                }
                Responses.json(ctx, 200, out);
            });
        });
    }

    /** {@code POST /agent/v1/batches}: all or nothing, acknowledged after the commit. */
    public void batches(Context ctx) throws IOException, SQLException {
        byte[] bytes = read(ctx);
        long started = System.nanoTime();
        Batch batch = ProtocolParser.batch(Json.parseObject(bytes));
        Agent agent = agent(ctx, batch.agentId());
        long now = clock.getAsLong();
        agent.seen(now);
        IngestResult result = metrics.database("ingest",
                () -> store.ingest().store(batch, agent.namespace(), agent.service(), now));
        if (!result.droppedTraces().isEmpty()) {
            log.debug("agent {} sent records of untriggered, unknown traces {}; dropped", batch.agentId(),
                    result.droppedTraces());
        }
        metrics.batchStored(result.accepted(), bytes.length, System.nanoTime() - started);
        ingestListener.stored(agent.namespace(), result, now);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("accepted", result.accepted());
        Responses.json(ctx, 200, out);
    }

    /**
     * The recorder's figures of a poll, or null. Malformed figures are ignored, not refused: they
     * are diagnostics, and refusing the poll would cost the agent its only channel to the collector.
     */
    private AgentStats stats(ObjectNode body, String agentId) {
        try {
            return ProtocolParser.pollStats(body, clock.getAsLong());
        } catch (ApiException e) {
            log.debug("agent {} sent unusable stats ({}); ignored", agentId, e.getMessage());
            return null;
        }
    }

    /**
     * The agent, registered here or with another collector on the same database, in the namespace
     * of the request's key.
     *
     * @throws ApiException 404 when no collector knows it in that namespace: the agent registers again
     */
    private Agent agent(Context ctx, String agentId) throws SQLException {
        String namespace = namespace(ctx);
        Agent agent = registry.get(agentId);
        if (agent == null) {
            Registration r = store.agents().find(agentId).orElseThrow(() -> ApiException.notFound("unknown agent"));
            agent = registry.register(r, clock.getAsLong());
        }
        if (!agent.namespace().equals(namespace)) {
            throw ApiException.notFound("unknown agent");
        }
        return agent;
    }

    /** From now on polls are answered at once, so that the server can stop without waiting. */
    public void shutdown() {
        shuttingDown = true;
    }

    private ObjectNode body(Context ctx) throws IOException {
        return Json.parseObject(read(ctx));
    }

    private byte[] read(Context ctx) throws IOException {
        return bodyReader.read(ctx.req().getInputStream(), ctx.header("Content-Encoding"),
                ctx.req().getContentLengthLong());
    }

    private static String truncate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
