package io.mintaro.collector;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.mintaro.collector.agent.AgentEndpoints;
import io.mintaro.collector.agent.AgentRegistry;
import io.mintaro.collector.agent.Retrieval;
import io.mintaro.collector.api.ApiEndpoints;
import io.mintaro.collector.api.GroupEndpoints;
import io.mintaro.collector.api.ServiceEndpoints;
import io.mintaro.collector.api.SessionEndpoints;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.TraceExporterProvider;
import io.mintaro.collector.export.internal.ExportService;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Auth;
import io.mintaro.collector.internal.DatabaseErrors;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.store.AgentStore;
import io.mintaro.collector.store.CollectionStore;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.metrics.MetricsEndpoint;
import io.mintaro.collector.store.IngestStore;
import io.mintaro.collector.store.Storage;
import io.mintaro.collector.web.UiEndpoints;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mintaro collector: the agent protocol v1 endpoints, the REST API, the browser UI and the
 * store (SQLite, or PostgreSQL shared by several collectors).
 *
 * <p>Embeddable, for example in an end-to-end test:
 * <pre>{@code
 * try (Collector collector = Collector.start(CollectorConfig.builder()
 *         .host("127.0.0.1").port(0).dbPath(tempDir.resolve("mintaro.db")).apiKey("test-key-123")
 *         .build())) {
 *     String url = collector.url(); // http://127.0.0.1:<port>
 *     ...
 * }
 * }</pre>
 * Several collectors may run in one JVM as long as they use different SQLite files.
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** REST API bodies (triage, sign-in) are small; agent batches get the configured cap. */
    private static final long API_MAX_BODY_BYTES = 64 * 1024;

    private final CollectorConfig config;
    private final Storage store;
    private final ScheduledThreadPoolExecutor scheduler;
    private final AgentRegistry registry;
    private final AgentEndpoints agentEndpoints;
    private final ExportService exports;
    private final CollectorMetrics metrics;
    private final List<String> apiKeys;
    private final Javalin app;
    private final int boundPort;
    private final Object closeLock = new Object();
    private boolean closed;

    private Collector(CollectorConfig config) throws Exception {
        this.config = config;
        LongSupplier clock = System::currentTimeMillis;
        this.store = Storage.open(config.database());
        ScheduledThreadPoolExecutor sched = null;
        Javalin started = null;
        ExportService exportService = null;
        CollectorMetrics createdMetrics = null;
        int instance = INSTANCES.incrementAndGet();
        try {
            // Per collector, not global: several collectors may run in one JVM.
            CollectorMetrics collectorMetrics = new CollectorMetrics();
            createdMetrics = collectorMetrics;
            this.metrics = collectorMetrics;
            // Before anything completes a trace (below: the interrupted collections), so it is queued.
            exportService = startExports(config, store, clock, "mintaro-collector-" + instance);
            this.exports = exportService;
            ExportService exportsForGauges = exportService;
            for (String name : exportService.names()) {
                collectorMetrics.exportQueue(name, () -> exportsForGauges.pending(name));
            }
            if (config.apiKeys().isEmpty()) {
                String key = store.agents().generatedApiKey(Collector::newApiKey);
                log.warn("No API key configured (MINTARO_API_KEYS); using the key generated on first start "
                        + "and stored in the database ({}): {}", config.database().describe(), key);
                this.apiKeys = List.of(key);
            } else {
                this.apiKeys = config.apiKeys();
            }
            store.collections().configure(new CollectionStore.Policy(config.answerTimeoutMs(),
                    config.reconnectWaitMs()));
            store.collections().onCompleted(c -> collectorMetrics.traceCompleted(
                    System.currentTimeMillis() - c.firstTriggerAtMs(), c.answered().size() + c.missing().size(),
                    c.missing().size()));

            sched = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "mintaro-collector-" + instance + "-timer");
                t.setDaemon(true);
                return t;
            });
            // Cancelled poll timeouts would otherwise stay queued until they are due.
            sched.setRemoveOnCancelPolicy(true);
            this.scheduler = sched;

            this.registry = new AgentRegistry(config.pollTimeoutMs());
            AgentRegistry agents = registry;
            collectorMetrics.connectedAgents(() -> agents.connectedByService(clock.getAsLong()));
            Retrieval retrieval = new Retrieval(store, registry, scheduler, clock);
            this.agentEndpoints = new AgentEndpoints(store, registry, retrieval,
                    new BodyReader(config.maxBodyBytes()), scheduler, clock, config.pollTimeoutMs(),
                    config.lateWindowMs(), collectorMetrics);
            ApiEndpoints api = new ApiEndpoints(store, clock, exportService::health, collectorMetrics);
            ServiceEndpoints services = new ServiceEndpoints(store, registry, clock, collectorMetrics);
            Auth auth = new Auth(apiKeys);
            BodyReader apiBodies = new BodyReader(Math.min(config.maxBodyBytes(), API_MAX_BODY_BYTES));
            GroupEndpoints groups = new GroupEndpoints(store, apiBodies, clock, collectorMetrics);
            // Outside /api: Prometheus scrapes without sessions, and with its own key if any.
            MetricsEndpoint metricsEndpoint = new MetricsEndpoint(collectorMetrics, config.metricsKey());
            SessionEndpoints sessions = new SessionEndpoints(store.sessions(), auth, apiBodies, clock);
            UiEndpoints ui = new UiEndpoints();

            // Collections left by an earlier run (or by a collector that died) go on from the database.
            retrieval.start();
            scheduler.scheduleWithFixedDelay(guarded("retrieval sweep", retrieval::sweep), 0, 100,
                    TimeUnit.MILLISECONDS);
            scheduler.scheduleWithFixedDelay(guarded("agent bookkeeping", this::agentBookkeeping), 10, 10,
                    TimeUnit.SECONDS);
            scheduler.scheduleWithFixedDelay(guarded("count window", this::forgetCounts), COUNT_SWEEP_MS,
                    COUNT_SWEEP_MS, TimeUnit.MILLISECONDS);

            started = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.maxRequestSize = config.maxBodyBytes();
                cfg.jetty.addConnector((server, httpConfig) -> {
                    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    // A long poll is idle for pollTimeoutMs; the connection must outlive it.
                    connector.setIdleTimeout(Math.max(30_000, config.pollTimeoutMs() + 30_000));
                    return connector;
                });
                cfg.routes.before("/agent/*", ctx -> {
                    auth.check(ctx.header("Authorization"));
                    agentEndpoints.checkProtocol(ctx);
                });
                cfg.routes.before("/api/*", sessions::authenticate);
                cfg.routes.post("/agent/v1/register", agentEndpoints::register);
                cfg.routes.post("/agent/v1/poll", agentEndpoints::poll);
                cfg.routes.post("/agent/v1/batches", agentEndpoints::batches);
                // After-handlers run after the exception mappers and before the answer is written, so
                // this sees every refused batch, the 401 of the before-handler included.
                cfg.routes.after("/agent/v1/batches", ctx -> {
                    int status = ctx.statusCode();
                    if (status >= 400 && "POST".equals(ctx.method().name())) {
                        collectorMetrics.batchRejected(Integer.toString(status));
                    }
                });
                cfg.routes.get("/metrics", metricsEndpoint::scrape);
                cfg.routes.get("/api/health", api::health);
                cfg.routes.get("/api/traces", api::traces);
                cfg.routes.get("/api/traces/{traceId}", api::trace);
                cfg.routes.get("/api/services", services::services);
                cfg.routes.get("/api/services/{service}", services::service);
                cfg.routes.get("/api/slow", api::slow);
                cfg.routes.get("/api/groups", groups::groups);
                cfg.routes.get("/api/groups/{fingerprint}", groups::group);
                cfg.routes.get("/api/groups/{fingerprint}/traces", groups::traces);
                cfg.routes.put("/api/groups/{fingerprint}/triage", groups::triage);
                cfg.routes.post("/api/session", sessions::create);
                cfg.routes.delete("/api/session", sessions::delete);
                for (String page : UiEndpoints.PAGES) {
                    cfg.routes.get(page, ui::page);
                }
                cfg.routes.get("/ui/<path>", ui::file);
                cfg.routes.exception(ApiException.class, (e, ctx) -> Responses.error(ctx, e.status(), e.getMessage()));
                cfg.routes.exception(HttpResponseException.class,
                        (e, ctx) -> Responses.error(ctx, e.getStatus(), e.getMessage()));
                cfg.routes.exception(Exception.class, (e, ctx) -> {
                    if (DatabaseErrors.unavailable(e)) {
                        // The agent keeps its data and tries again; the pool reconnects by itself.
                        log.warn("{} {}: database unavailable ({})", ctx.method(), ctx.path(), e.getMessage());
                        ctx.header("Retry-After", "1");
                        Responses.error(ctx, 503, "database unavailable");
                        return;
                    }
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                    Responses.error(ctx, 500, "internal error");
                });
            });
            started.start();
            this.app = started;
            this.boundPort = started.port();
        } catch (Exception | Error e) {
            if (started != null) {
                try {
                    started.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (sched != null) {
                sched.shutdownNow();
            }
            if (exportService != null) {
                exportService.close();
            }
            if (createdMetrics != null) {
                createdMetrics.close();
            }
            store.close();
            throw e;
        }
        log.info("Mintaro collector listening on port {} ({}, schema {})", port(), store.database().describe(),
                store.schemaVersion());
    }

    /** The configured exporters (builder instances, then those of the providers), each with its filter. */
    private static ExportService startExports(CollectorConfig config, Storage store, LongSupplier clock, String prefix)
            throws java.sql.SQLException {
        Map<TraceExporter, ExportFilter> exporters = new LinkedHashMap<>(config.exporters());
        Map<String, String> settings = config.exportSettings();
        java.util.function.Function<String, String> lookup = name -> name.equals("MINTARO_EXPORT_TIMEOUT_MS")
                ? String.valueOf(config.exportTimeoutMs()) : settings.get(name);
        List<TraceExporter> created = new ArrayList<>();
        try {
            for (TraceExporterProvider provider : ServiceLoader.load(TraceExporterProvider.class,
                    Collector.class.getClassLoader())) {
                TraceExporter exporter = provider.create(lookup);
                if (exporter != null) {
                    created.add(exporter);
                    String filterName = "MINTARO_EXPORT_" + exporter.name().toUpperCase(Locale.ROOT) + "_FILTER";
                    exporters.put(exporter, ExportFilter.parse(filterName, settings.get(filterName)));
                }
            }
            List<String> names = new ArrayList<>();
            for (TraceExporter e : exporters.keySet()) {
                if (names.contains(e.name())) {
                    throw new IllegalArgumentException("two exporters are named " + e.name());
                }
                names.add(e.name());
            }
        } catch (RuntimeException e) {
            created.forEach(TraceExporter::close);
            throw e;
        }
        ExportService service = new ExportService(store, exporters, new ExportService.Policy(
                config.exportMaxAttempts(), config.exportBackoffMs(), 300_000, 200,
                // A claim outlives an export that times out; a collector that died leaves it due again.
                Math.max(10_000, 2 * config.exportTimeoutMs() + 5_000)), clock, prefix);
        store.exports().configure(service.names(), service.reexportingLate(), config.exportQueueMax());
        store.exports().onQueued(service::wake);
        for (Map.Entry<TraceExporter, ExportFilter> e : exporters.entrySet()) {
            log.info("exporting completed traces to {} (filter: {})", e.getKey().name(), e.getValue());
        }
        service.start();
        return service;
    }

    /**
     * Starts a collector: opens (or creates) the database, starts the exporters, then binds the HTTP
     * port.
     *
     * @throws IllegalStateException if the database cannot be opened or the port cannot be bound
     * @throws IllegalArgumentException if an export setting is invalid (the message names it)
     */
    public static Collector start(CollectorConfig config) {
        try {
            return new Collector(config);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the Mintaro collector: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Mintaro collector: " + e.getMessage(), e);
        }
    }

    /** The bound TCP port (the actual one when the configured port is 0). */
    public int port() {
        return boundPort;
    }

    /** Base URL for clients on this machine, e.g. {@code http://127.0.0.1:7070}. */
    public String url() {
        String host = config.host();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** An API key this collector accepts: the first configured one, or the generated one. */
    public String apiKey() {
        return apiKeys.get(0);
    }

    /** The store (tests call its periodic work, such as the end of count windows, at chosen times). */
    Storage store() {
        return store;
    }

    /** The settings this collector runs with. */
    public CollectorConfig config() {
        return config;
    }

    /** Stops serving, answers open polls, flushes agent bookkeeping and closes the database. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        agentEndpoints.shutdown();
        registry.releaseAll();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP server failed: {}", e.toString());
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exports.close();
        agentBookkeeping();
        store.close();
        metrics.close();
        log.info("Mintaro collector on port {} stopped", boundPort);
    }

    /** Writes agents' last-seen times and stats now, as the 10 s timer does (tests call it at chosen times). */
    void flushAgents() {
        agentBookkeeping();
    }

    private void agentBookkeeping() {
        long now = System.currentTimeMillis();
        Map<String, AgentStore.Seen> seen = registry.drainUnflushed();
        try {
            store.agents().touch(seen);
        } catch (Exception e) {
            log.warn("cannot store agents' last-seen times and stats: {}", e.getMessage());
        }
        registry.forgetSilent(now);
    }

    /** How often the ids of counted triggers past the count window are forgotten. */
    private static final long COUNT_SWEEP_MS = 2_000;
    /** Chunks per run at most, so that one run never holds the writer for long. */
    private static final int COUNT_CHUNKS_PER_RUN = 20;

    /** Ends the count window of counted triggers whose trace did not arrive in time (they stay counted). */
    private void forgetCounts() {
        try {
            for (int i = 0; i < COUNT_CHUNKS_PER_RUN; i++) {
                if (store.ingest().forgetCounted(System.currentTimeMillis(), config.countWindowMs()) < IngestStore.FORGET_CHUNK) {
                    return;
                }
            }
        } catch (Exception e) {
            log.warn("cannot forget counted triggers past the count window: {}", e.getMessage());
        }
    }

    private static Runnable guarded(String name, Runnable task) {
        // An exception would silently cancel a periodic task.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} failed", name, e);
            }
        };
    }

    private static String newApiKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "mk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
