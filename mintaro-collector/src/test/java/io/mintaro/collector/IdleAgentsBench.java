package io.mintaro.collector;

import io.mintaro.testkit.servers.PostgresCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures idle agents (a tool, not a test): the collector's heap per registered agent holding a
 * long poll, and what those polls cost the database.
 *
 * <p>{@code IdleAgentsBench <collector jar> [agents, default 10000] [idle seconds, default 45]}
 *
 * <p>Starts a throwaway PostgreSQL (with {@code pg_stat_statements}) and the collector's shaded jar
 * as a process of its own (poll timeout 20 s), registers the agents, keeps each one's long poll
 * open (renewing it as an agent does), and prints the collector's used heap after a full GC with
 * no agents and with all of them, per agent; then every statement the database ran during the
 * idle period, and the polls answered in it.
 */
public final class IdleAgentsBench {
    private static final String KEY = "bench-key-0123456789";

    private IdleAgentsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 45;
        try (PostgresCluster pg = PostgresCluster.builder()
                .setting("shared_preload_libraries", "pg_stat_statements").start()) {
            String url = pg.createDatabase("idle");
            try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                 Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION pg_stat_statements");
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("idle-collector", ".log");
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString());
            pb.environment().put("MINTARO_DB", url);
            pb.environment().put("MINTARO_DB_USER", pg.user());
            pb.environment().put("MINTARO_API_KEYS", KEY);
            pb.environment().put("MINTARO_COLLECTOR_HOST", "127.0.0.1");
            pb.environment().put("MINTARO_COLLECTOR_PORT", String.valueOf(port));
            pb.environment().put("MINTARO_POLL_TIMEOUT_MS", "20000");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process collector = pb.start();
            try {
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(10)).build();
                awaitHealthy(http, base);
                long emptyHeap = usedHeapAfterGc(collector.pid());
                long started = System.nanoTime();
                List<CompletableFuture<?>> registrations = new ArrayList<>();
                for (int i = 0; i < agents; i++) {
                    String id = String.format("%016x", 0x1000000L + i);
                    registrations.add(http.sendAsync(post(base, "/agent/v1/register",
                            "{\"agentId\":\"" + id + "\",\"service\":\"svc" + (i % 50) + "\",\"host\":\"h" + i
                                    + "\",\"pid\":" + i + ",\"sdk\":\"0.1.0\",\"authorities\":[\"10.0." + (i / 250)
                                    + "." + (i % 250) + ":8080\"]}"), HttpResponse.BodyHandlers.discarding()));
                    if (registrations.size() % 500 == 0) {
                        CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).join();
                    }
                }
                CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).join();
                System.out.printf("registered %d agents in %.1f s%n", agents, (System.nanoTime() - started) / 1e9);
                AtomicLong polls = new AtomicLong();
                AtomicLong failures = new AtomicLong();
                for (int i = 0; i < agents; i++) {
                    poll(http, base, String.format("%016x", 0x1000000L + i), polls, failures);
                }
                Thread.sleep(10_000); // every poll open, registrations' writes done
                try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                     Statement st = c.createStatement()) {
                    st.execute("SELECT pg_stat_statements_reset()");
                }
                long pollsBefore = polls.get();
                Thread.sleep(idleSeconds * 1000L);
                long idlePolls = polls.get() - pollsBefore;
                long fullHeap = usedHeapAfterGc(collector.pid());
                System.out.printf("collector heap after GC: %d KiB empty, %d KiB with %d idle agents: %.0f bytes per"
                        + " agent%n", emptyHeap / 1024, fullHeap / 1024, agents,
                        (fullHeap - emptyHeap) / (double) agents);
                System.out.printf("idle %d s: %d polls answered (renewed), %d failed%n", idleSeconds, idlePolls,
                        failures.get());
                try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                     Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT calls, query FROM pg_stat_statements"
                             + " WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC")) {
                    long total = 0;
                    System.out.println("statements the database ran while the agents were idle:");
                    while (rs.next()) {
                        total += rs.getLong(1);
                        System.out.printf("  %8d  %s%n", rs.getLong(1), rs.getString(2).replaceAll("\\s+", " "));
                    }
                    System.out.printf("  %8d  in all; per answered poll: %.4f%n", total,
                            idlePolls == 0 ? 0.0 : total / (double) idlePolls);
                }
            } finally {
                collector.destroy();
                collector.waitFor();
            }
        }
        System.exit(0);
    }

    private static void poll(HttpClient http, String base, String agentId, AtomicLong polls, AtomicLong failures) {
        http.sendAsync(post(base, "/agent/v1/poll", "{\"agentId\":\"" + agentId + "\"}"),
                HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                        failures.incrementAndGet();
                    } else {
                        polls.incrementAndGet();
                    }
                    poll(http, base, agentId, polls, failures);
                });
    }

    private static HttpRequest post(String base, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY).header("Mintaro-Protocol", "1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void awaitHealthy(HttpClient http, String base) throws Exception {
        for (int i = 0; i < 300; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("collector did not start");
    }

    /** Used heap of {@code pid} after a full GC, from {@code jcmd GC.heap_info}. */
    private static long usedHeapAfterGc(long pid) throws Exception {
        run("jcmd", String.valueOf(pid), "GC.run");
        String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
        // "garbage-first heap   total 262144K, used 23456K [..."
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the heap from: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
