package io.mintaro.it.replicas;

import io.mintaro.testkit.servers.Haproxy;
import io.mintaro.testkit.servers.PostgresCluster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * N collector processes ({@code java -jar mintaro-collector.jar}, the shaded jar named by the system
 * property {@code collector.jar}) on one PostgreSQL database, each on a port of its own on 127.0.0.1
 * and logging to a file of its own, with a real HAProxy in front of all of them.
 *
 * <p>Replicas are numbered from 1, as HAProxy's servers are named ({@code s1}, {@code s2}, ...).
 * {@link #kill9} is a SIGKILL (no shutdown hook runs), {@link #stop} a SIGTERM (the collector closes
 * itself), {@link #start} brings a replica back on the same port and waits until it is healthy.
 * {@link PrintLogsOnFailure} prints the end of every log of the replicas still open when a test fails.
 */
final class Replicas implements AutoCloseable {
    /** The API key of agents and API clients. */
    static final String KEY = "replica-test-key-0123456789";
    private static final Set<Replicas> OPEN = new CopyOnWriteArraySet<>();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final PostgresCluster cluster;
    private final String databaseUrl;
    private final Path logDir;
    private final Map<String, String> settings;
    private final List<Replica> replicas = new ArrayList<>();
    private Haproxy haproxy;

    private Replicas(Builder b) {
        this.cluster = b.cluster;
        this.databaseUrl = b.databaseUrl;
        this.logDir = b.logDir;
        this.settings = new LinkedHashMap<>(b.settings);
    }

    static Builder builder(PostgresCluster cluster, String databaseUrl) {
        return new Builder(cluster, databaseUrl);
    }

    /** What the replicas run with; {@link #start()} starts them. */
    static final class Builder {
        private final PostgresCluster cluster;
        private final String databaseUrl;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private int count = 3;
        private Path logDir;

        private Builder(PostgresCluster cluster, String databaseUrl) {
            this.cluster = cluster;
            this.databaseUrl = databaseUrl;
            setting("MINTARO_POLL_TIMEOUT_MS", "5000");
            setting("MINTARO_ANSWER_TIMEOUT_MS", "3000");
            setting("MINTARO_RECONNECT_WAIT_MS", "8000");
            setting("MINTARO_LATE_WINDOW_MS", "10000");
        }

        Builder count(int count) {
            this.count = count;
            return this;
        }

        /** Where the replicas' logs go ({@code replica-1.log}, ...); kept after the run. */
        Builder logs(Path dir) {
            this.logDir = dir;
            return this;
        }

        Builder pollTimeout(Duration d) {
            return setting("MINTARO_POLL_TIMEOUT_MS", Long.toString(d.toMillis()));
        }

        Builder answerTimeout(Duration d) {
            return setting("MINTARO_ANSWER_TIMEOUT_MS", Long.toString(d.toMillis()));
        }

        Builder reconnectWait(Duration d) {
            return setting("MINTARO_RECONNECT_WAIT_MS", Long.toString(d.toMillis()));
        }

        Builder lateWindow(Duration d) {
            return setting("MINTARO_LATE_WINDOW_MS", Long.toString(d.toMillis()));
        }

        /** Any other variable of {@code CollectorConfig.fromEnvironment}. */
        Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** Starts the replicas (at the same time: they migrate one database together), then HAProxy. */
        Replicas start() {
            if (logDir == null) {
                throw new IllegalStateException("logs(dir) is required");
            }
            Replicas r = new Replicas(this);
            OPEN.add(r);
            try {
                r.startAll(count);
                return r;
            } catch (RuntimeException | Error e) {
                r.printLogTails(60);
                r.close();
                throw e;
            }
        }
    }

    private void startAll(int count) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 1; i <= count; i++) {
            int port;
            do {
                port = freePort();
            } while (!ports.add(port));
            replicas.add(new Replica(i, port, logDir.resolve("replica-" + i + ".log")));
        }
        replicas.forEach(Replica::launch);
        List<CompletableFuture<Void>> healthy = replicas.stream()
                .map(r -> CompletableFuture.runAsync(r::awaitHealthy))
                .toList();
        try {
            CompletableFuture.allOf(healthy.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        haproxy = Haproxy.builder()
                .servers(replicas.stream().map(r -> new InetSocketAddress("127.0.0.1", r.port)).toList())
                // No authentication and no database access: it tells that the process serves HTTP.
                .checkPath("/api/health")
                .start();
        for (Replica r : replicas) {
            haproxy.awaitStatus(r.serverName(), "UP", Duration.ofSeconds(20));
        }
    }

    /** The number of replicas. */
    int count() {
        return replicas.size();
    }

    /** 1, 2, ... {@link #count()}. */
    IntStream numbers() {
        return IntStream.rangeClosed(1, replicas.size());
    }

    /** {@code http://127.0.0.1:<port>} of replica {@code i} (from 1). */
    String url(int i) {
        return "http://127.0.0.1:" + replica(i).port;
    }

    /** HAProxy's frontend, {@code http://127.0.0.1:<port>}: what the SDKs are given. */
    String lbUrl() {
        return haproxy.url();
    }

    Haproxy haproxy() {
        return haproxy;
    }

    /** HAProxy's name of replica {@code i}: {@code s<i>}. */
    String serverName(int i) {
        return replica(i).serverName();
    }

    Path logFile(int i) {
        return replica(i).log;
    }

    /** The process id of replica {@code i}, to tell that it was not restarted. */
    long pid(int i) {
        return replica(i).process.pid();
    }

    boolean running(int i) {
        Process p = replica(i).process;
        return p != null && p.isAlive();
    }

    /** SIGKILL of replica {@code i}, as in a crash; returns once the process is gone. */
    void kill9(int i) {
        Replica r = replica(i);
        r.note("kill -9");
        Process p = r.process;
        if (p != null) {
            p.toHandle().destroyForcibly();
            r.awaitExit(Duration.ofSeconds(20));
        }
    }

    /** SIGTERM of replica {@code i} (its shutdown hook closes the collector), and waits for it to exit. */
    void stop(int i) {
        Replica r = replica(i);
        r.note("stop (SIGTERM)");
        Process p = r.process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!r.awaitExit(Duration.ofSeconds(30))) {
                p.destroyForcibly();
                r.awaitExit(Duration.ofSeconds(10));
            }
        }
    }

    /** Starts replica {@code i} again, on the same port, and waits until it is healthy (and up in HAProxy). */
    void start(int i) {
        Replica r = replica(i);
        if (running(i)) {
            throw new IllegalStateException("replica " + i + " is running");
        }
        r.note("start");
        r.launch();
        r.awaitHealthy();
        haproxy.awaitStatus(r.serverName(), "UP", Duration.ofSeconds(20));
    }

    /** {@link #stop} then {@link #start}. */
    void restart(int i) {
        stop(i);
        start(i);
    }

    /** Starts every replica that is not running (after a test that killed one). */
    void startStopped() {
        for (Replica r : replicas) {
            if (!running(r.number)) {
                start(r.number);
            }
        }
    }

    /** The last {@code lines} lines of replica {@code i}'s log. */
    String logTail(int i, int lines) {
        return tail(replica(i).log, lines);
    }

    /** The whole log of replica {@code i}, restarts included. */
    String log(int i) {
        try {
            return Files.readString(replica(i).log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void printLogTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (Replica r : replicas) {
            out.append("\n===== replica ").append(r.number).append(" (port ").append(r.port).append(", ")
                    .append(running(r.number) ? "running" : "not running").append("), last ").append(lines)
                    .append(" lines of ").append(r.log).append(" =====\n").append(tail(r.log, lines));
        }
        if (haproxy != null) {
            out.append("\n===== HAProxy ").append(haproxy.logFile()).append(" =====\n")
                    .append(tail(haproxy.logFile(), lines));
        }
        if (cluster != null) {
            out.append("\n===== PostgreSQL ").append(cluster.logFile()).append(" =====\n")
                    .append(tail(cluster.logFile(), lines));
        }
        System.err.println(out);
    }

    @Override
    public void close() {
        OPEN.remove(this);
        if (haproxy != null) {
            haproxy.close();
        }
        for (Replica r : replicas) {
            Process p = r.process;
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (Replica r : replicas) {
            Process p = r.process;
            if (p != null && !r.awaitExit(Duration.ofSeconds(20))) {
                p.destroyForcibly();
                r.awaitExit(Duration.ofSeconds(10));
            }
        }
    }

    private Replica replica(int i) {
        if (i < 1 || i > replicas.size()) {
            throw new IllegalArgumentException("no replica " + i + " (1.." + replicas.size() + ")");
        }
        return replicas.get(i - 1);
    }

    private Map<String, String> environment(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MINTARO_COLLECTOR_HOST", "127.0.0.1");
        env.put("MINTARO_COLLECTOR_PORT", Integer.toString(port));
        env.put("MINTARO_DB", databaseUrl);
        env.put("MINTARO_DB_USER", cluster.user());
        if (!cluster.password().isEmpty()) {
            env.put("MINTARO_DB_PASSWORD", cluster.password());
        }
        env.put("MINTARO_API_KEYS", KEY);
        env.putAll(settings);
        return env;
    }

    /** One collector process. */
    private final class Replica {
        final int number;
        final int port;
        final Path log;
        volatile Process process;

        Replica(int number, int port, Path log) {
            this.number = number;
            this.port = port;
            this.log = log;
        }

        String serverName() {
            return "s" + number;
        }

        void launch() {
            Path jar = collectorJar();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(logDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().keySet().removeIf(name -> name.startsWith("MINTARO_"));
            pb.environment().putAll(environment(port));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + String.join(" ", command), e);
            }
        }

        /** Until {@code GET /api/health} answers 200; fails at once if the process exits. */
        void awaitHealthy() {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            while (true) {
                Process p = process;
                if (!p.isAlive()) {
                    throw new IllegalStateException("replica " + number + " exited (code " + p.exitValue()
                            + ") while starting; its log ends with:\n" + tail(log, 40));
                }
                try {
                    if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replica " + number + " not healthy after "
                            + START_TIMEOUT.toSeconds() + " s; its log ends with:\n" + tail(log, 40));
                }
                pause(100);
            }
        }

        boolean awaitExit(Duration timeout) {
            Process p = process;
            if (p == null) {
                return true;
            }
            try {
                return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !p.isAlive();
            }
        }

        /** A line in the replica's log, so that restarts and kills can be found in it. */
        void note(String what) {
            try {
                Files.writeString(log, "----- [test] " + Instant.now() + " " + what + " -----\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Path collectorJar() {
        String path = System.getProperty("collector.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("no collector jar at -Dcollector.jar=" + path + ": build it first with"
                    + " ./mvnw -q -o -B -pl mintaro-collector package -DskipTests");
        }
        return Path.of(path);
    }

    /**
     * A free loopback port below the kernel's ephemeral range when there is room, so that no outgoing
     * connection takes the port of a killed replica before it starts again.
     */
    static int freePort() {
        int low = 32768;
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            low = Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            // the usual Linux default
        }
        for (int attempt = 0; attempt < 50 && low > 11_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, low);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return port;
            } catch (IOException e) {
                // taken: another one
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no file)\n";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A directory for a test class's logs: {@code target/replica-logs/<class>}. */
    static Path logDir(Class<?> testClass) {
        return Path.of("target", "replica-logs", testClass.getSimpleName()).toAbsolutePath();
    }

    /** Prints the end of the logs of every open {@link Replicas} when a test fails, before its clean-up. */
    static final class PrintLogsOnFailure implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) {
            if (context.getExecutionException().isPresent()) {
                System.err.println("----- " + context.getDisplayName() + " failed: "
                        + context.getExecutionException().get());
                for (Replicas r : OPEN) {
                    r.printLogTails(40);
                }
            }
        }
    }
}
