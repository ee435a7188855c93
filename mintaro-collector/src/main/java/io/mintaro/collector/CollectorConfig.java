package io.mintaro.collector;

import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.internal.PemFiles;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Namespaces;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link Collector}.
 *
 * <p>Build one with {@link #builder()}; {@link Builder#build()} rejects invalid values with an
 * {@link IllegalArgumentException}, so a running collector never holds a bad setting.
 * {@link #fromEnvironment()} reads the same settings from environment variables and system
 * properties (a system property of the same name wins over the environment variable):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>name</th><th>default</th></tr>
 *   <tr><td>{@code MINTARO_COLLECTOR_HOST}</td><td>all interfaces</td></tr>
 *   <tr><td>{@code MINTARO_COLLECTOR_PORT}</td><td>7070 (0 = ephemeral)</td></tr>
 *   <tr><td>{@code MINTARO_DB}</td><td>{@code mintaro-data/mintaro.db}: a SQLite file (or
 *       {@code jdbc:sqlite:FILE}), or {@code jdbc:postgresql://HOST:PORT/DB}</td></tr>
 *   <tr><td>{@code MINTARO_DB_USER}, {@code MINTARO_DB_PASSWORD}</td><td>none (PostgreSQL only)</td></tr>
 *   <tr><td>{@code MINTARO_API_KEYS}</td><td>none: a key is generated and stored on first start</td></tr>
 *   <tr><td>{@code MINTARO_POLL_TIMEOUT_MS}</td><td>20000</td></tr>
 *   <tr><td>{@code MINTARO_LATE_WINDOW_MS}</td><td>30000</td></tr>
 *   <tr><td>{@code MINTARO_ANSWER_TIMEOUT_MS}</td><td>3000</td></tr>
 *   <tr><td>{@code MINTARO_MAX_BODY_BYTES}</td><td>16 MiB</td></tr>
 *   <tr><td>{@code MINTARO_COUNT_WINDOW_MS}</td><td>10000</td></tr>
 *   <tr><td>{@code MINTARO_RECONNECT_WAIT_MS}</td><td>8000</td></tr>
 *   <tr><td>{@code MINTARO_RETENTION_MAX_AGE_MS}</td><td>604800000 (7 days; 0 = no limit)</td></tr>
 *   <tr><td>{@code MINTARO_RETENTION_MAX_BYTES}</td><td>10 GiB per namespace (0 = no limit)</td></tr>
 *   <tr><td>{@code MINTARO_RETENTION_INTERVAL_MS}</td><td>30000</td></tr>
 *   <tr><td>{@code MINTARO_METRICS_KEY}</td><td>none: {@code GET /metrics} is open</td></tr>
 *   <tr><td>{@code MINTARO_EXPORT_*}</td><td>no export; see the collector's README</td></tr>
 *   <tr><td>{@code MINTARO_TLS_CERT}, {@code MINTARO_TLS_KEY}</td><td>none: plain HTTP; both PEM files: HTTPS
 *       (docs/security.md)</td></tr>
 *   <tr><td>{@code MINTARO_TLS_CLIENT_CA}</td><td>none; a PEM file: clients must present a certificate it
 *       signed (mTLS)</td></tr>
 *   <tr><td>{@code MINTARO_LOGIN_MAX_FAILURES}</td><td>10 wrong keys per client address per window (0 = no
 *       limit)</td></tr>
 *   <tr><td>{@code MINTARO_LOGIN_WINDOW_MS}</td><td>60000</td></tr>
 * </table>
 */
public final class CollectorConfig {

    /** Default HTTP port. */
    public static final int DEFAULT_PORT = 7070;
    /** Default database file, relative to the working directory. */
    public static final String DEFAULT_DB_PATH = "mintaro-data/mintaro.db";
    /** Default long-poll duration. */
    public static final long DEFAULT_POLL_TIMEOUT_MS = 20_000;
    /** Default time an agent keeps sending late records after answering. */
    public static final long DEFAULT_LATE_WINDOW_MS = 30_000;
    /** Default time the collector waits for an asked agent. */
    public static final long DEFAULT_ANSWER_TIMEOUT_MS = 3_000;
    /** Default cap on a request body after decompression (16 MiB, as in protocol v1). */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** Default time a counted trigger waits for its trace to be stored before it is counted on its own. */
    public static final long DEFAULT_COUNT_WINDOW_MS = 10_000;
    /** Default time an ask waits for its agent to poll, or a called authority for an agent to serve it. */
    public static final long DEFAULT_RECONNECT_WAIT_MS = 8_000;
    /** Default age at which a namespace's traces expire, unless the namespace sets its own (7 days). */
    public static final long DEFAULT_RETENTION_MAX_AGE_MS = 7L * 24 * 3600 * 1000;
    /** Default stored size beyond which a namespace's oldest traces expire, unless it sets its own (10 GiB). */
    public static final long DEFAULT_RETENTION_MAX_BYTES = 10L << 30;
    /** Default time between two retention runs. */
    public static final long DEFAULT_RETENTION_INTERVAL_MS = 30_000;

    /** Default number of attempts before an export is dead-lettered. */
    public static final int DEFAULT_EXPORT_MAX_ATTEMPTS = 10;
    /** Default bound of each exporter's queue (traces waiting). */
    public static final long DEFAULT_EXPORT_QUEUE_MAX = 100_000;
    /** Default wait after the first failed export; it doubles with each failure, up to 5 minutes. */
    public static final long DEFAULT_EXPORT_BACKOFF_MS = 1_000;
    /** Default timeout of one export request. */
    public static final long DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

    /** Default number of wrong keys one client address may present per {@link #DEFAULT_LOGIN_WINDOW_MS}. */
    public static final int DEFAULT_LOGIN_MAX_FAILURES = 10;
    /** Default window over which wrong keys are counted per client address. */
    public static final long DEFAULT_LOGIN_WINDOW_MS = 60_000;

    private static final Pattern API_KEY = Pattern.compile("[\\x21-\\x7e]{8,256}");

    private final String host;
    private final int port;
    private final Database database;
    private final List<String> apiKeys;
    private final Map<String, List<String>> namespaceKeys;
    private final long pollTimeoutMs;
    private final long lateWindowMs;
    private final long answerTimeoutMs;
    private final long maxBodyBytes;
    private final long countWindowMs;
    private final long reconnectWaitMs;
    private final long retentionMaxAgeMs;
    private final long retentionMaxBytes;
    private final long retentionIntervalMs;
    private final String metricsKey;
    private final Map<String, String> exportSettings;
    private final Map<TraceExporter, ExportFilter> exporters;
    private final int exportMaxAttempts;
    private final long exportQueueMax;
    private final long exportBackoffMs;
    private final long exportTimeoutMs;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final Path tlsClientCa;
    private final KeyStore tlsKeyStore;
    private final KeyStore tlsClientTrustStore;
    private final int loginMaxFailures;
    private final long loginWindowMs;

    private CollectorConfig(Builder b, KeyStore tlsKeyStore, KeyStore tlsClientTrustStore) {
        this.host = b.host;
        this.port = b.port;
        this.database = b.database;
        this.apiKeys = List.copyOf(b.apiKeys);
        Map<String, List<String>> namespaced = new TreeMap<>();
        b.namespaceKeys.forEach((ns, keys) -> namespaced.put(ns, List.copyOf(keys)));
        this.namespaceKeys = Collections.unmodifiableMap(namespaced);
        this.pollTimeoutMs = b.pollTimeoutMs;
        this.lateWindowMs = b.lateWindowMs;
        this.answerTimeoutMs = b.answerTimeoutMs;
        this.maxBodyBytes = b.maxBodyBytes;
        this.countWindowMs = b.countWindowMs;
        this.reconnectWaitMs = b.reconnectWaitMs;
        this.retentionMaxAgeMs = b.retentionMaxAgeMs;
        this.retentionMaxBytes = b.retentionMaxBytes;
        this.retentionIntervalMs = b.retentionIntervalMs;
        this.metricsKey = b.metricsKey;
        this.exportSettings = Collections.unmodifiableMap(new TreeMap<>(b.exportSettings));
        this.exporters = Collections.unmodifiableMap(new LinkedHashMap<>(b.exporters));
        this.exportMaxAttempts = b.exportMaxAttempts;
        this.exportQueueMax = b.exportQueueMax;
        this.exportBackoffMs = b.exportBackoffMs;
        this.exportTimeoutMs = b.exportTimeoutMs;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.tlsClientCa = b.tlsClientCa;
        this.tlsKeyStore = tlsKeyStore;
        this.tlsClientTrustStore = tlsClientTrustStore;
        this.loginMaxFailures = b.loginMaxFailures;
        this.loginWindowMs = b.loginWindowMs;
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the settings from system properties and environment variables.
     *
     * @throws IllegalArgumentException if a value is malformed or out of range
     */
    public static CollectorConfig fromEnvironment() {
        return fromSources(System.getenv(), System::getProperty, System.getProperties().stringPropertyNames());
    }

    static CollectorConfig fromSources(Map<String, String> env, Function<String, String> sysProps) {
        return fromSources(env, sysProps, Set.of());
    }

    // Package-private so tests can feed their own environment.
    static CollectorConfig fromSources(Map<String, String> env, Function<String, String> sysProps,
                                       Set<String> sysPropNames) {
        Function<String, String> lookup = name -> {
            String v = sysProps.apply(name);
            if (v == null || v.isBlank()) {
                v = env.get(name);
            }
            return v == null || v.isBlank() ? null : v.trim();
        };
        Builder b = builder();
        String v;
        if ((v = lookup.apply("MINTARO_COLLECTOR_HOST")) != null) {
            b.host(v);
        }
        if ((v = lookup.apply("MINTARO_COLLECTOR_PORT")) != null) {
            b.port((int) parseLong("MINTARO_COLLECTOR_PORT", v));
        }
        if ((v = lookup.apply("MINTARO_DB")) != null) {
            b.database(Database.parse(v, lookup.apply("MINTARO_DB_USER"), lookup.apply("MINTARO_DB_PASSWORD")));
        }
        if ((v = lookup.apply("MINTARO_API_KEYS")) != null) {
            List<String> keys = new ArrayList<>();
            for (String k : v.split(",")) {
                if (!k.isBlank()) {
                    keys.add(k.trim());
                }
            }
            b.apiKeys(keys);
        }
        if ((v = lookup.apply("MINTARO_POLL_TIMEOUT_MS")) != null) {
            b.pollTimeoutMs(parseLong("MINTARO_POLL_TIMEOUT_MS", v));
        }
        if ((v = lookup.apply("MINTARO_LATE_WINDOW_MS")) != null) {
            b.lateWindowMs(parseLong("MINTARO_LATE_WINDOW_MS", v));
        }
        if ((v = lookup.apply("MINTARO_ANSWER_TIMEOUT_MS")) != null) {
            b.answerTimeoutMs(parseLong("MINTARO_ANSWER_TIMEOUT_MS", v));
        }
        if ((v = lookup.apply("MINTARO_MAX_BODY_BYTES")) != null) {
            b.maxBodyBytes(parseLong("MINTARO_MAX_BODY_BYTES", v));
        }
        if ((v = lookup.apply("MINTARO_COUNT_WINDOW_MS")) != null) {
            b.countWindowMs(parseLong("MINTARO_COUNT_WINDOW_MS", v));
        }
        if ((v = lookup.apply("MINTARO_RECONNECT_WAIT_MS")) != null) {
            b.reconnectWaitMs(parseLong("MINTARO_RECONNECT_WAIT_MS", v));
        }
        if ((v = lookup.apply("MINTARO_RETENTION_MAX_AGE_MS")) != null) {
            b.retentionMaxAgeMs(parseLong("MINTARO_RETENTION_MAX_AGE_MS", v));
        }
        if ((v = lookup.apply("MINTARO_RETENTION_MAX_BYTES")) != null) {
            b.retentionMaxBytes(parseLong("MINTARO_RETENTION_MAX_BYTES", v));
        }
        if ((v = lookup.apply("MINTARO_RETENTION_INTERVAL_MS")) != null) {
            b.retentionIntervalMs(parseLong("MINTARO_RETENTION_INTERVAL_MS", v));
        }
        if ((v = lookup.apply("MINTARO_METRICS_KEY")) != null) {
            b.metricsKey(v);
        }
        if ((v = lookup.apply("MINTARO_EXPORT_MAX_ATTEMPTS")) != null) {
            b.exportMaxAttempts((int) parseLong("MINTARO_EXPORT_MAX_ATTEMPTS", v));
        }
        if ((v = lookup.apply("MINTARO_EXPORT_QUEUE_MAX")) != null) {
            b.exportQueueMax(parseLong("MINTARO_EXPORT_QUEUE_MAX", v));
        }
        if ((v = lookup.apply("MINTARO_EXPORT_BACKOFF_MS")) != null) {
            b.exportBackoffMs(parseLong("MINTARO_EXPORT_BACKOFF_MS", v));
        }
        if ((v = lookup.apply("MINTARO_EXPORT_TIMEOUT_MS")) != null) {
            b.exportTimeoutMs(parseLong("MINTARO_EXPORT_TIMEOUT_MS", v));
        }
        String certificate = lookup.apply("MINTARO_TLS_CERT");
        String key = lookup.apply("MINTARO_TLS_KEY");
        if (certificate != null || key != null) {
            if (certificate == null || key == null) {
                throw new IllegalArgumentException("MINTARO_TLS_CERT and MINTARO_TLS_KEY go together: set both "
                        + "(PEM files of the certificate and its private key) or neither");
            }
            b.tls(Path.of(certificate), Path.of(key));
        }
        if ((v = lookup.apply("MINTARO_TLS_CLIENT_CA")) != null) {
            b.tlsClientCa(Path.of(v));
        }
        if ((v = lookup.apply("MINTARO_LOGIN_MAX_FAILURES")) != null) {
            b.loginMaxFailures((int) parseLong("MINTARO_LOGIN_MAX_FAILURES", v));
        }
        if ((v = lookup.apply("MINTARO_LOGIN_WINDOW_MS")) != null) {
            b.loginWindowMs(parseLong("MINTARO_LOGIN_WINDOW_MS", v));
        }
        Set<String> names = new java.util.TreeSet<>(env.keySet());
        names.addAll(sysPropNames);
        for (String name : names) {
            if (name.startsWith("MINTARO_EXPORT_") && (v = lookup.apply(name)) != null) {
                b.exportSetting(name, v);
            }
        }
        return b.build();
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    /** Interface to bind to, or {@code null} for all interfaces. */
    public String host() {
        return host;
    }

    /** Configured port; 0 means an ephemeral port (see {@link Collector#port()}). */
    public int port() {
        return port;
    }

    /** The database: a SQLite file (its directory is created if missing), or PostgreSQL. */
    public Database database() {
        return database;
    }

    /**
     * Configured keys of the default namespace (admin keys); with none here and none stored, a key
     * is generated on first start.
     */
    public List<String> apiKeys() {
        return apiKeys;
    }

    /** Every configured key by namespace: {@link #apiKeys()} under {@code default}, and those of other namespaces. */
    public Map<String, List<String>> keysByNamespace() {
        Map<String, List<String>> out = new TreeMap<>(namespaceKeys);
        if (!apiKeys.isEmpty()) {
            List<String> all = new ArrayList<>(apiKeys);
            all.addAll(out.getOrDefault(Namespaces.DEFAULT, List.of()));
            out.put(Namespaces.DEFAULT, List.copyOf(all));
        }
        return Collections.unmodifiableMap(out);
    }

    /** How long a poll waits for a command before it is answered with none. */
    public long pollTimeoutMs() {
        return pollTimeoutMs;
    }

    /** How long agents keep sending records written after they answered; told to agents at registration. */
    public long lateWindowMs() {
        return lateWindowMs;
    }

    /** How long the collector waits for an asked agent before completing a trace without it. */
    public long answerTimeoutMs() {
        return answerTimeoutMs;
    }

    /** Largest accepted request body, counted after gzip decompression. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * How long a counted trigger (one whose trace its agent did not collect) waits for its trace to
     * be stored by another agent before it counts as an occurrence of its own. Within it, the
     * trigger joins its trace when the trace arrives; after it, a trace arriving late is counted
     * twice. Counts are shown at once either way.
     */
    public long countWindowMs() {
        return countWindowMs;
    }

    /**
     * How long an ask waits for its agent to poll (then the agent has the answer timeout to
     * answer), and a callee known only by its authority for an agent to register with it: after a
     * collector restart, the agents take a few seconds to come back.
     */
    public long reconnectWaitMs() {
        return reconnectWaitMs;
    }

    /**
     * The age at which a namespace's traces expire (counted from when the collector stored them),
     * unless the namespace sets its own; 0 for no limit.
     */
    public long retentionMaxAgeMs() {
        return retentionMaxAgeMs;
    }

    /**
     * The stored size of a namespace beyond which its oldest traces expire, unless the namespace
     * sets its own; 0 for no limit (docs/retention.md says what a stored byte is).
     */
    public long retentionMaxBytes() {
        return retentionMaxBytes;
    }

    /** The time between two retention runs; the first runs one interval after the start. */
    public long retentionIntervalMs() {
        return retentionIntervalMs;
    }

    /**
     * The key {@code GET /metrics} requires as {@code Authorization: Bearer <key>}, or {@code null}
     * when it is open (the default: Prometheus scrapes without credentials).
     */
    public String metricsKey() {
        return metricsKey;
    }

    /**
     * Settings of the exporters found with {@link java.util.ServiceLoader}: every
     * {@code MINTARO_EXPORT_*} variable or property, by name.
     */
    public Map<String, String> exportSettings() {
        return exportSettings;
    }

    /** Exporters given to the builder (embedded use), with their filters; in addition to the configured ones. */
    public Map<TraceExporter, ExportFilter> exporters() {
        return exporters;
    }

    /** Attempts before an export is dead-lettered. */
    public int exportMaxAttempts() {
        return exportMaxAttempts;
    }

    /** Most traces waiting in one exporter's queue; past it, completed traces are stored but not queued. */
    public long exportQueueMax() {
        return exportQueueMax;
    }

    /** Wait after the first failed attempt; doubled at each further failure, up to 5 minutes. */
    public long exportBackoffMs() {
        return exportBackoffMs;
    }

    /** Timeout of one export request (connect and response). */
    public long exportTimeoutMs() {
        return exportTimeoutMs;
    }

    /** Whether the collector serves HTTPS ({@link #tlsCertificate()} and {@link #tlsPrivateKey()} are set). */
    public boolean tls() {
        return tlsKeyStore != null;
    }

    /** The PEM file of the certificate (and its chain) the collector serves HTTPS with, or {@code null}. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** The PEM file of the certificate's private key (unencrypted PKCS#8), or {@code null}. */
    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    /**
     * The PEM file of the CAs whose client certificates the collector requires (mTLS), or
     * {@code null}: no client certificate is asked for.
     */
    public Path tlsClientCa() {
        return tlsClientCa;
    }

    /** The certificate and key, as read and checked at {@link Builder#build()}; null without TLS. */
    KeyStore tlsKeyStore() {
        return tlsKeyStore;
    }

    /** The client CAs, as read at {@link Builder#build()}; null without mTLS. */
    KeyStore tlsClientTrustStore() {
        return tlsClientTrustStore;
    }

    /**
     * How many wrong keys one client address may present within {@link #loginWindowMs()} before
     * its further attempts are answered 429; 0 for no limit.
     */
    public int loginMaxFailures() {
        return loginMaxFailures;
    }

    /** The window over which {@link #loginMaxFailures()} counts. */
    public long loginWindowMs() {
        return loginWindowMs;
    }

    @Override
    public String toString() {
        // Keys are secrets: only their number is shown.
        return "CollectorConfig{host=" + (host == null ? "*" : host) + ", port=" + port + ", database=" + database.describe()
                + ", apiKeys=" + apiKeys.size() + ", pollTimeoutMs=" + pollTimeoutMs + ", lateWindowMs=" + lateWindowMs
                + ", answerTimeoutMs=" + answerTimeoutMs + ", maxBodyBytes=" + maxBodyBytes
                + ", countWindowMs=" + countWindowMs + ", reconnectWaitMs=" + reconnectWaitMs
                + ", retentionMaxAgeMs=" + retentionMaxAgeMs + ", retentionMaxBytes=" + retentionMaxBytes
                + ", retentionIntervalMs=" + retentionIntervalMs
                + ", metricsKey=" + (metricsKey == null ? "none" : "set")
                + ", tls=" + (tls() ? tlsCertificate + (tlsClientCa == null ? "" : ", clientCa=" + tlsClientCa) : "off")
                + ", loginMaxFailures=" + loginMaxFailures + ", loginWindowMs=" + loginWindowMs
                // Export settings may hold secrets (OTLP headers): only their names are shown.
                + ", exportSettings=" + exportSettings.keySet() + ", exporters=" + exporters.size() + "}";
    }

    /** Mutable builder; {@link #build()} validates every value. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private Database database = Database.sqlite(Path.of(DEFAULT_DB_PATH));
        private final Set<String> apiKeys = new LinkedHashSet<>();
        private final Map<String, Set<String>> namespaceKeys = new TreeMap<>();
        private long pollTimeoutMs = DEFAULT_POLL_TIMEOUT_MS;
        private long lateWindowMs = DEFAULT_LATE_WINDOW_MS;
        private long answerTimeoutMs = DEFAULT_ANSWER_TIMEOUT_MS;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long countWindowMs = DEFAULT_COUNT_WINDOW_MS;
        private long reconnectWaitMs = DEFAULT_RECONNECT_WAIT_MS;
        private long retentionMaxAgeMs = DEFAULT_RETENTION_MAX_AGE_MS;
        private long retentionMaxBytes = DEFAULT_RETENTION_MAX_BYTES;
        private long retentionIntervalMs = DEFAULT_RETENTION_INTERVAL_MS;
        private String metricsKey;
        private final Map<String, String> exportSettings = new LinkedHashMap<>();
        private final Map<TraceExporter, ExportFilter> exporters = new LinkedHashMap<>();
        private int exportMaxAttempts = DEFAULT_EXPORT_MAX_ATTEMPTS;
        private long exportQueueMax = DEFAULT_EXPORT_QUEUE_MAX;
        private long exportBackoffMs = DEFAULT_EXPORT_BACKOFF_MS;
        private long exportTimeoutMs = DEFAULT_EXPORT_TIMEOUT_MS;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Path tlsClientCa;
        private int loginMaxFailures = DEFAULT_LOGIN_MAX_FAILURES;
        private long loginWindowMs = DEFAULT_LOGIN_WINDOW_MS;

        private Builder() {
        }

        /**
         * Sets one exporter setting, as the variable of that name would ({@code MINTARO_EXPORT_ZIPKIN},
         * {@code MINTARO_EXPORT_ZIPKIN_FILTER}...); {@code null} removes it.
         */
        public Builder exportSetting(String name, String value) {
            if (value == null || value.isBlank()) {
                exportSettings.remove(name);
            } else {
                exportSettings.put(name, value.trim());
            }
            return this;
        }

        /** Adds an exporter instance (embedded use); it is closed with the collector. */
        public Builder exporter(TraceExporter exporter, ExportFilter filter) {
            exporters.put(Objects.requireNonNull(exporter, "exporter"), filter == null ? ExportFilter.ALL : filter);
            return this;
        }

        /** Attempts before an export is dead-lettered, 1–1000. */
        public Builder exportMaxAttempts(int attempts) {
            this.exportMaxAttempts = attempts;
            return this;
        }

        /** Bound of each exporter's queue, 1–10,000,000 traces. */
        public Builder exportQueueMax(long traces) {
            this.exportQueueMax = traces;
            return this;
        }

        /** First back-off after a failed export, 1 ms to 10 minutes. */
        public Builder exportBackoffMs(long ms) {
            this.exportBackoffMs = ms;
            return this;
        }

        /** Timeout of one export request, 1 ms to 10 minutes. */
        public Builder exportTimeoutMs(long ms) {
            this.exportTimeoutMs = ms;
            return this;
        }

        /** Interface to bind to ({@code "127.0.0.1"} for loopback only); {@code null} for all interfaces. */
        public Builder host(String host) {
            this.host = host == null || host.isBlank() ? null : host.trim();
            return this;
        }

        /** TCP port, 0–65535; 0 picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A SQLite database file. */
        public Builder dbPath(Path dbPath) {
            Objects.requireNonNull(dbPath, "dbPath");
            if (dbPath.toString().isBlank()) {
                throw new IllegalArgumentException("dbPath must not be empty");
            }
            return database(Database.sqlite(dbPath));
        }

        /** The database (SQLite by default). */
        public Builder database(Database database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /** Replaces the accepted API keys (8–256 printable ASCII characters each, no spaces). */
        public Builder apiKeys(Collection<String> keys) {
            this.apiKeys.clear();
            if (keys != null) {
                this.apiKeys.addAll(keys);
            }
            return this;
        }

        /** Adds one accepted API key. */
        public Builder apiKey(String key) {
            this.apiKeys.add(key);
            return this;
        }

        /**
         * Adds an admin key of {@code namespace}, known only to this collector's configuration (the
         * namespace is created on start); for embedding, as the demo does.
         */
        public Builder apiKey(String namespace, String key) {
            this.namespaceKeys.computeIfAbsent(namespace, n -> new LinkedHashSet<>()).add(key);
            return this;
        }

        /** Long-poll duration, 1 ms to 10 minutes. */
        public Builder pollTimeoutMs(long ms) {
            this.pollTimeoutMs = ms;
            return this;
        }

        /** Late window, 0 ms to 1 hour. */
        public Builder lateWindowMs(long ms) {
            this.lateWindowMs = ms;
            return this;
        }

        /** Answer timeout, 1 ms to 10 minutes. */
        public Builder answerTimeoutMs(long ms) {
            this.answerTimeoutMs = ms;
            return this;
        }

        /** Body cap after decompression, 1 KiB to 1 GiB. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** See {@link CollectorConfig#reconnectWaitMs()}: 1 ms to 10 minutes. */
        public Builder reconnectWaitMs(long ms) {
            this.reconnectWaitMs = ms;
            return this;
        }

        /** See {@link CollectorConfig#retentionMaxAgeMs()}: 0 (no limit), or 1 minute to 100 years. */
        public Builder retentionMaxAgeMs(long ms) {
            this.retentionMaxAgeMs = ms;
            return this;
        }

        /** See {@link CollectorConfig#retentionMaxBytes()}: 0 (no limit), or 1 MiB to 1 PiB. */
        public Builder retentionMaxBytes(long bytes) {
            this.retentionMaxBytes = bytes;
            return this;
        }

        /** See {@link CollectorConfig#retentionIntervalMs()}: 1 second to 1 day. */
        public Builder retentionIntervalMs(long ms) {
            this.retentionIntervalMs = ms;
            return this;
        }

        /** Count window (see {@link CollectorConfig#countWindowMs()}), 0 ms to 1 hour. */
        public Builder countWindowMs(long ms) {
            this.countWindowMs = ms;
            return this;
        }

        /**
         * The key {@code GET /metrics} requires (8–256 printable ASCII characters, no spaces or commas,
         * as API keys); {@code null} leaves it open.
         */
        public Builder metricsKey(String key) {
            this.metricsKey = key;
            return this;
        }

        /**
         * Serves HTTPS with this certificate (a PEM file; further certificates in it are its chain)
         * and its private key (a PEM file, unencrypted PKCS#8); both {@code null}: plain HTTP. The
         * files are read and checked by {@link #build()}.
         */
        public Builder tls(Path certificate, Path privateKey) {
            this.tlsCertificate = certificate;
            this.tlsPrivateKey = privateKey;
            return this;
        }

        /**
         * Requires every client to present a certificate signed by a CA of this PEM file (mTLS);
         * {@code null}: none is asked for. Needs {@link #tls}.
         */
        public Builder tlsClientCa(Path caCertificates) {
            this.tlsClientCa = caCertificates;
            return this;
        }

        /** See {@link CollectorConfig#loginMaxFailures()}: 0 (no limit) to 1,000,000. */
        public Builder loginMaxFailures(int failures) {
            this.loginMaxFailures = failures;
            return this;
        }

        /** See {@link CollectorConfig#loginWindowMs()}: 1 second to 1 day. */
        public Builder loginWindowMs(long ms) {
            this.loginWindowMs = ms;
            return this;
        }

        /**
         * Validates and freezes the settings.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public CollectorConfig build() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            for (String key : apiKeys) {
                requireKey("an API key", key);
            }
            for (Map.Entry<String, Set<String>> e : namespaceKeys.entrySet()) {
                Namespaces.require(e.getKey());
                for (String key : e.getValue()) {
                    requireKey("an API key", key);
                }
            }
            if (metricsKey != null) {
                requireKey("the metrics key (MINTARO_METRICS_KEY)", metricsKey);
            }
            requireRange("pollTimeoutMs", pollTimeoutMs, 1, 600_000);
            requireRange("lateWindowMs", lateWindowMs, 0, 3_600_000);
            requireRange("answerTimeoutMs", answerTimeoutMs, 1, 600_000);
            requireRange("maxBodyBytes", maxBodyBytes, 1024, 1L << 30);
            requireRange("countWindowMs", countWindowMs, 0, 3_600_000);
            requireRange("reconnectWaitMs", reconnectWaitMs, 1, 600_000);
            requireRange("retentionIntervalMs", retentionIntervalMs, 1_000, 86_400_000);
            if (retentionMaxAgeMs != 0) {
                requireRange("retentionMaxAgeMs", retentionMaxAgeMs, 60_000, 100L * 366 * 24 * 3600 * 1000);
            }
            if (retentionMaxBytes != 0) {
                requireRange("retentionMaxBytes", retentionMaxBytes, 1L << 20, 1L << 50);
            }
            requireRange("exportMaxAttempts", exportMaxAttempts, 1, 1_000);
            requireRange("exportQueueMax", exportQueueMax, 1, 10_000_000);
            requireRange("exportBackoffMs", exportBackoffMs, 1, 600_000);
            requireRange("exportTimeoutMs", exportTimeoutMs, 1, 600_000);
            for (Map.Entry<String, String> e : exportSettings.entrySet()) {
                if (e.getKey().endsWith("_FILTER")) {
                    ExportFilter.parse(e.getKey(), e.getValue());
                }
            }
            requireRange("loginMaxFailures", loginMaxFailures, 0, 1_000_000);
            requireRange("loginWindowMs", loginWindowMs, 1_000, 86_400_000);
            KeyStore keyStore = null;
            KeyStore clientTrustStore = null;
            if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
                throw new IllegalArgumentException("the TLS certificate (MINTARO_TLS_CERT) and its key (MINTARO_TLS_KEY)"
                        + " go together: give both or neither");
            }
            if (tlsCertificate != null) {
                keyStore = PemFiles.keyStore("MINTARO_TLS_CERT", tlsCertificate, "MINTARO_TLS_KEY", tlsPrivateKey);
            }
            if (tlsClientCa != null) {
                if (keyStore == null) {
                    throw new IllegalArgumentException("MINTARO_TLS_CLIENT_CA needs TLS: set MINTARO_TLS_CERT and "
                            + "MINTARO_TLS_KEY too");
                }
                clientTrustStore = PemFiles.trustStore("MINTARO_TLS_CLIENT_CA", tlsClientCa);
            }
            return new CollectorConfig(this, keyStore, clientTrustStore);
        }

        private static void requireKey(String what, String key) {
            if (key == null || !API_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        what + " must be 8-256 printable ASCII characters without spaces or commas");
            }
            if (key.indexOf(',') >= 0) {
                throw new IllegalArgumentException(what + " must not contain a comma");
            }
        }

        private static void requireRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + "-" + max + ", got " + value);
            }
        }
    }
}
