package io.mintaro.testkit.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real HAProxy (Debian's {@code /usr/sbin/haproxy}) in front of HTTP servers: one frontend on a
 * free loopback port, one backend balancing {@code roundrobin} with health checks
 * ({@code option httpchk GET /health}, {@code inter 500ms fall 2 rise 1}), {@code retries 2} and
 * {@code option redispatch}, keep-alive on both sides. The server timeout (60 s by default) is
 * longer than a long poll (up to 30 s). HAProxy runs in the foreground ({@code -db}), so the
 * process is this JVM's, and logs to stderr, into {@link #logFile()}.
 *
 * <pre>{@code
 * try (Haproxy lb = Haproxy.start(List.of(a.getAddress(), b.getAddress()))) {
 *   http.send(HttpRequest.newBuilder(URI.create(lb.url() + "/who")).build(), ofString());
 *   lb.awaitStatus("s1", "DOWN", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Servers are named {@code s1}, {@code s2}, ... in the order given, unless named with
 * {@link Builder#server(String, InetSocketAddress)}. A stats page on a second loopback port
 * ({@link #stats()}, {@link #serverStatus()}) tells which servers HAProxy thinks are up.
 */
public final class Haproxy implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final String BACKEND = "app";
  private static final String STATS_URI = "/haproxy-stats";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path binary;
  private final Path directory;
  private final Path configFile;
  private final Path logFile;
  private final Builder options;
  private final Thread shutdownHook;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile int port;
  private volatile int statsPort;
  private volatile Process process;
  private boolean closed;

  private Haproxy(Builder options, Path binary, Path directory) {
    this.options = options;
    this.binary = binary;
    this.directory = directory;
    this.configFile = directory.resolve("haproxy.cfg");
    this.logFile = directory.resolve("haproxy.log");
    this.shutdownHook = Os.addShutdownHook("mintaro-haproxy-cleanup", this::abandon);
  }

  /** HAProxy with the defaults in front of {@code backends}, named s1, s2, ... */
  public static Haproxy start(List<InetSocketAddress> backends) {
    return builder().servers(backends).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of an HAProxy; {@link #start()} makes it. */
  public static final class Builder {
    private final Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
    private String checkPath = "/health";
    private Duration checkInterval = Duration.ofMillis(500);
    private int fall = 2;
    private int rise = 1;
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration clientTimeout = Duration.ofSeconds(60);
    private Duration serverTimeout = Duration.ofSeconds(60);
    private Duration startTimeout = Duration.ofSeconds(10);
    private boolean stats = true;
    private int port;
    private Path binary;

    private Builder() {}

    /** A backend server with its name in HAProxy (letters, digits, '_', '.', '-'). */
    public Builder server(String name, InetSocketAddress address) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("server name " + name);
      }
      if (servers.putIfAbsent(name, Objects.requireNonNull(address, "address")) != null) {
        throw new IllegalArgumentException("server " + name + " twice");
      }
      return this;
    }

    /** Backend servers named s1, s2, ... after those there are already. */
    public Builder servers(List<InetSocketAddress> addresses) {
      for (InetSocketAddress address : addresses) {
        server("s" + (servers.size() + 1), address);
      }
      return this;
    }

    /** The health check's path, {@code /health} by default; a server is up while it answers 2xx/3xx. */
    public Builder checkPath(String path) {
      if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException("check path " + path);
      }
      this.checkPath = path;
      return this;
    }

    /** Time between health checks ({@code inter}), 500 ms by default. */
    public Builder checkInterval(Duration interval) {
      this.checkInterval = positive(interval, "checkInterval");
      return this;
    }

    /** Failed checks in a row that take a server down ({@code fall}), 2 by default. */
    public Builder fall(int checks) {
      this.fall = atLeastOne(checks, "fall");
      return this;
    }

    /** Passed checks in a row that bring a server back ({@code rise}), 1 by default. */
    public Builder rise(int checks) {
      this.rise = atLeastOne(checks, "rise");
      return this;
    }

    /** {@code timeout connect}, 1 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** {@code timeout client}, 60 s by default. */
    public Builder clientTimeout(Duration timeout) {
      this.clientTimeout = positive(timeout, "clientTimeout");
      return this;
    }

    /**
     * {@code timeout server}: how long HAProxy waits for a server's answer, 60 s by default. It
     * must exceed the longest long poll (about 30 s), or HAProxy answers 504 in its place.
     */
    public Builder serverTimeout(Duration timeout) {
      this.serverTimeout = positive(timeout, "serverTimeout");
      return this;
    }

    /** How long HAProxy may take to accept connections, 10 s by default. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive(timeout, "startTimeout");
      return this;
    }

    /** Whether to serve the stats page on a second loopback port (default true). */
    public Builder stats(boolean enabled) {
      this.stats = enabled;
      return this;
    }

    /** A fixed frontend port instead of a free one (0, the default, picks one). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      this.port = port;
      return this;
    }

    /** The haproxy executable; by default {@code haproxy} on PATH or {@code /usr/sbin/haproxy}. */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** Writes the configuration, starts HAProxy and waits until its frontend accepts connections. */
    public Haproxy start() {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("no backend servers");
      }
      Path bin = binary != null ? binary : Os.which("haproxy").orElseThrow(() -> new IllegalStateException(
          "No haproxy (neither on PATH nor /usr/sbin/haproxy): install Debian's package `haproxy`"
              + " (apt-get install haproxy)"));
      if (!Files.isExecutable(bin)) {
        throw new IllegalStateException(bin + " is not executable: install Debian's package `haproxy`");
      }
      Builder copy = copy();
      Path directory = Os.scratchDirectory("mintaro-haproxy-", false);
      Haproxy haproxy = null;
      try {
        haproxy = new Haproxy(copy, bin, directory);
        haproxy.launch();
        return haproxy;
      } catch (RuntimeException e) {
        if (haproxy != null) {
          haproxy.close();
        } else {
          Os.deleteTree(directory);
        }
        throw e;
      }
    }

    private Builder copy() {
      Builder copy = new Builder();
      copy.servers.putAll(servers);
      copy.checkPath = checkPath;
      copy.checkInterval = checkInterval;
      copy.fall = fall;
      copy.rise = rise;
      copy.connectTimeout = connectTimeout;
      copy.clientTimeout = clientTimeout;
      copy.serverTimeout = serverTimeout;
      copy.startTimeout = startTimeout;
      copy.stats = stats;
      copy.port = port;
      copy.binary = binary;
      return copy;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " " + d);
      }
      return d;
    }

    private static int atLeastOne(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " " + n);
      }
      return n;
    }
  }

  /** The frontend's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String url() {
    return "http://" + HOST + ":" + port;
  }

  /** The stats page's port on 127.0.0.1 (0 when disabled). */
  public int statsPort() {
    return statsPort;
  }

  /** The stats page, {@code http://127.0.0.1:<statsPort>/haproxy-stats} (null when disabled). */
  public String statsUrl() {
    return options.stats ? "http://" + HOST + ":" + statsPort + STATS_URI : null;
  }

  /** The stats as CSV (HAProxy's {@code ;csv} export): one line per frontend, server and backend. */
  public String stats() {
    if (!options.stats) {
      throw new IllegalStateException("the stats page is disabled (Builder.stats(false))");
    }
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(statsUrl() + ";csv")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the stats page answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read HAProxy's stats at " + statsUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Each backend server's status as HAProxy sees it, by name, in the order given: "UP", "DOWN",
   * or a transition such as "UP 1/2" (up, one failed check out of the two that take it down).
   */
  public Map<String, String> serverStatus() {
    String[] lines = stats().split("\n");
    List<String> header = List.of(lines[0].replaceFirst("^#\\s*", "").split(",", -1));
    int pxname = header.indexOf("pxname");
    int svname = header.indexOf("svname");
    int status = header.indexOf("status");
    Map<String, String> byServer = new LinkedHashMap<>();
    for (String name : options.servers.keySet()) {
      byServer.put(name, null);
    }
    for (int i = 1; i < lines.length; i++) {
      String[] fields = lines[i].split(",", -1);
      if (fields.length > status && fields[pxname].equals(BACKEND)
          && byServer.containsKey(fields[svname])) {
        byServer.put(fields[svname], fields[status]);
      }
    }
    return byServer;
  }

  /** Waits until HAProxy reports {@code status} ("UP", "DOWN") for {@code server}. */
  public void awaitStatus(String server, String status, Duration timeout) {
    if (!options.servers.containsKey(server)) {
      throw new IllegalArgumentException("no server " + server + " in " + options.servers.keySet());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = serverStatus().get(server);
      if (status.equals(last)) {
        return;
      }
      Os.sleep(50);
    }
    throw new IllegalStateException("server " + server + " is still " + last + ", not " + status
        + ", after " + timeout.toMillis() + " ms; HAProxy's log ends with:\n" + Os.tail(logFile, 20));
  }

  /** The backend servers by name, as configured. */
  public Map<String, InetSocketAddress> servers() {
    return Map.copyOf(options.servers);
  }

  /** HAProxy's stderr: its warnings, health check transitions and one line per request. */
  public Path logFile() {
    return logFile;
  }

  /** The configuration HAProxy runs with. */
  public Path configFile() {
    return configFile;
  }

  public boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Stops HAProxy at once (SIGTERM, the hard stop) and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Process p = process;
    if (p != null) {
      p.destroy();
      if (!exits(p, Duration.ofSeconds(5))) {
        p.destroyForcibly();
        exits(p, Duration.ofSeconds(5));
      }
    }
    Os.deleteTree(directory);
    Os.removeShutdownHook(shutdownHook);
  }

  @Override
  public String toString() {
    return "Haproxy[" + url() + " -> " + options.servers + "]";
  }

  private void abandon() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      exits(p, Duration.ofSeconds(2));
    }
    Os.deleteTree(directory);
  }

  private void launch() {
    long deadline = System.nanoTime() + options.startTimeout.toNanos();
    port = options.port != 0 ? options.port : Os.freePort();
    statsPort = options.stats ? Os.freePort() : 0;
    int moves = 0;
    while (true) {
      writeConfig();
      long logOffset = Os.size(logFile);
      Process p = spawn();
      process = p;
      String failure = awaitListening(p, deadline);
      if (failure == null) {
        Os.writeServerPid(directory, p.pid());
        return;
      }
      process = null;
      String log = Os.readFrom(logFile, logOffset);
      boolean frontendClash = log.contains(HOST + ":" + port + "]");
      if (System.nanoTime() < deadline && moves < 5 && log.contains("cannot bind socket")
          && !(frontendClash && options.port != 0)) {
        // Someone took a port between our probe and HAProxy's bind: take others.
        moves++;
        if (frontendClash) {
          port = Os.freePort();
        }
        statsPort = options.stats ? Os.freePort() : 0;
        continue;
      }
      throw new IllegalStateException(failure + "; HAProxy's log (" + logFile + ") ends with:\n"
          + Os.tail(logFile, 40) + "\nconfiguration " + configFile);
    }
  }

  private void writeConfig() {
    StringBuilder cfg = new StringBuilder();
    String check = " check inter " + ms(options.checkInterval) + " fall " + options.fall
        + " rise " + options.rise;
    cfg.append("# Written by io.mintaro.testkit.servers.Haproxy\n")
        .append("global\n")
        .append("  log stderr format raw local0 info\n")
        .append("  maxconn 2000\n")
        .append("\n")
        .append("defaults\n")
        .append("  mode http\n")
        .append("  log global\n")
        .append("  option httplog\n")
        .append("  option dontlognull\n")
        .append("  timeout connect ").append(ms(options.connectTimeout)).append('\n')
        .append("  timeout client ").append(ms(options.clientTimeout)).append('\n')
        .append("  timeout server ").append(ms(options.serverTimeout)).append('\n')
        .append("  retries 2\n")
        .append("  option redispatch\n")
        .append("\n")
        .append("frontend web\n")
        .append("  bind ").append(HOST).append(':').append(port).append('\n')
        .append("  default_backend ").append(BACKEND).append('\n')
        .append("\n")
        .append("backend ").append(BACKEND).append('\n')
        .append("  balance roundrobin\n")
        .append("  option httpchk GET ").append(options.checkPath).append('\n');
    options.servers.forEach((name, address) -> cfg.append("  server ").append(name).append(' ')
        .append(address(address)).append(check).append('\n'));
    if (options.stats) {
      cfg.append("\n")
          .append("listen stats\n")
          .append("  bind ").append(HOST).append(':').append(statsPort).append('\n')
          .append("  stats enable\n")
          .append("  stats uri ").append(STATS_URI).append('\n');
    }
    try {
      Files.writeString(configFile, cfg);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + configFile, e);
    }
  }

  private Process spawn() {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-db", "-f", configFile.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + String.join(" ", command), e);
    }
  }

  /** Null once the frontend (and the stats page) accept connections, else why not. */
  private String awaitListening(Process p, long deadline) {
    while (true) {
      if (!p.isAlive()) {
        return "HAProxy exited (code " + p.exitValue() + ") while starting on " + HOST + ":" + port;
      }
      // With the stats page, only it is probed: an empty connection to the frontend is logged.
      if ((options.stats ? answersStats() : Os.accepts(port)) && p.isAlive()) {
        return null;
      }
      if (System.nanoTime() >= deadline) {
        p.destroyForcibly();
        exits(p, Duration.ofSeconds(5));
        return "HAProxy did not accept connections on " + HOST + ":" + port + " within "
            + options.startTimeout.toMillis() + " ms";
      }
      Os.sleep(20);
    }
  }

  /**
   * Whether our own stats page answers. HAProxy binds every listener before it serves any, so this
   * also tells that the frontend port is ours and not a stranger's that made HAProxy fail.
   */
  private boolean answersStats() {
    try {
      return stats().contains("\nweb,FRONTEND,");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String address(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    if (address.getAddress() instanceof Inet6Address) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return host + ":" + address.getPort();
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }

  private static boolean exits(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }
}
