package io.mintaro.testkit.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway PostgreSQL cluster from the Debian packages: {@code initdb} into a fresh temporary
 * directory, then {@code postgres} itself (no {@code pg_ctl}, so that the process is this JVM's)
 * on a free loopback port, tuned for tests (no fsync, no synchronous commit, no full-page writes).
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.start()) {
 *   String url = pg.createDatabase("orders");
 *   try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password())) { ... }
 *   pg.kill();     // SIGKILL of the postmaster, as in a crash
 *   pg.restart();  // crash recovery, same data, same port
 * }
 * }</pre>
 *
 * <p>The superuser is {@code mintaro}, authentication is {@code trust} (no password). PostgreSQL
 * refuses to run as root: when this JVM is root, {@code initdb} and {@code postgres} run as the OS
 * user {@code postgres} that Debian's package creates, through {@code setpriv} (or
 * {@code runuser}), and the temporary directory belongs to that user. A shutdown hook kills the
 * server and deletes the directory if the test run ends without {@link #close()}; a later run
 * reaps what a JVM killed with SIGKILL left behind.
 */
public final class PostgresCluster implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final String USER = "mintaro";
  private static final String OS_USER = "postgres";
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}");
  private static final Set<String> OWN_SETTINGS =
      Set.of("listen_addresses", "port", "unix_socket_directories");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path binDir;
  private final int majorVersion;
  private final List<String> asServerUser;
  private final Path directory;
  private final Path dataDirectory;
  private final Path logFile;
  private final Map<String, String> settings;
  private final Duration startTimeout;
  private final Thread shutdownHook;
  private volatile int port;
  private volatile Process process;
  private volatile ProcessHandle postmaster;
  private boolean closed;

  private PostgresCluster(Builder builder, Path binDir, List<String> asServerUser, Path directory) {
    this.binDir = binDir;
    this.majorVersion = majorVersion(binDir);
    this.asServerUser = asServerUser;
    this.directory = directory;
    this.dataDirectory = directory.resolve("data");
    this.logFile = directory.resolve("postgres.log");
    this.settings = new LinkedHashMap<>(builder.settings);
    this.startTimeout = builder.startTimeout;
    this.port = builder.port;
    this.shutdownHook = Os.addShutdownHook("mintaro-postgres-cleanup", this::abandon);
  }

  /** A cluster with the defaults: a free port, the newest PostgreSQL installed, 30 s to start. */
  public static PostgresCluster start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a cluster; {@link #start()} makes it. */
  public static final class Builder {
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(30);
    private int port;
    private Path binDir;

    private Builder() {
      settings.put("fsync", "off");
      settings.put("synchronous_commit", "off");
      settings.put("full_page_writes", "off");
      settings.put("max_connections", "200");
      settings.put("shared_buffers", "128MB");
    }

    /**
     * A server setting ({@code postgres -c name=value}), on top of or instead of the defaults
     * {@code fsync=off}, {@code synchronous_commit=off}, {@code full_page_writes=off},
     * {@code max_connections=200}, {@code shared_buffers=128MB}. The listen address, port and
     * socket directory are the cluster's own.
     */
    public Builder setting(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (OWN_SETTINGS.contains(name)) {
        throw new IllegalArgumentException(name + " is set by PostgresCluster itself");
      }
      settings.put(name, value);
      return this;
    }

    /** How long the server may take to accept connections (default 30 s), at every start. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** A fixed loopback port instead of a free one (0, the default, picks one). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The directory with {@code initdb} and {@code postgres}; by default the newest of
     * {@code /usr/lib/postgresql/<version>/bin}, else {@code pg_config --bindir}.
     */
    public Builder binDir(Path binDir) {
      this.binDir = Objects.requireNonNull(binDir, "binDir");
      return this;
    }

    /** initdb, start, and wait until the server accepts connections. */
    public PostgresCluster start() {
      Path bin = binDir != null ? requireServerBinaries(binDir) : locateBinDir();
      boolean root = Os.isRoot();
      List<String> asServerUser = root ? asPostgresUser() : List.of();
      Path directory = Os.scratchDirectory("mintaro-pg-", root);
      PostgresCluster cluster = null;
      try {
        if (root) {
          Os.chownTree(directory, OS_USER);
        }
        cluster = new PostgresCluster(this, bin, asServerUser, directory);
        cluster.initdb();
        cluster.launch(port == 0);
        return cluster;
      } catch (RuntimeException e) {
        if (cluster != null) {
          cluster.close();
        } else {
          Os.deleteTree(directory);
        }
        throw e;
      }
    }
  }

  /** The JDBC URL of {@code database} (user and password are {@link #user()}, {@link #password()}). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  /** The JDBC URL of the database {@code postgres}. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The superuser, {@code mintaro}. */
  public String user() {
    return USER;
  }

  /** The empty string: authentication is {@code trust}, any password (or none) is accepted. */
  public String password() {
    return "";
  }

  /** The TCP port on {@link #host()}; a restart keeps it. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1}: the server listens on loopback IPv4 only. */
  public String host() {
    return HOST;
  }

  /** The major version of the server, 15 for PostgreSQL 15.x. */
  public int majorVersion() {
    return majorVersion;
  }

  /** The server's stdout and stderr, across restarts. */
  public Path logFile() {
    return logFile;
  }

  /** The cluster's data directory (PGDATA). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The directory of the server's unix socket, which is also the cluster's temporary directory. */
  public Path socketDirectory() {
    return directory;
  }

  /**
   * Creates a database owned by {@code mintaro} (with {@code createdb}) and returns its JDBC URL.
   * Names are letters, digits, '_' and '-', up to 63 characters, and keep their case.
   */
  public synchronized String createDatabase(String name) {
    requireName(name);
    requireRunning("createDatabase");
    tool("createdb", name);
    return jdbcUrl(name);
  }

  /**
   * Drops a database if it exists, with {@code dropdb}; from PostgreSQL 13 on, its open
   * connections are terminated first ({@code --force}) so that a pool left open does not block it.
   */
  public synchronized void dropDatabase(String name) {
    requireName(name);
    requireRunning("dropDatabase");
    if (majorVersion >= 13) {
      tool("dropdb", "--if-exists", "--force", name);
    } else {
      tool("dropdb", "--if-exists", name);
    }
  }

  /** Whether the server runs (it may still be starting or stopping). */
  public boolean running() {
    Process p = process;
    ProcessHandle pm = postmaster;
    return p != null && p.isAlive() && pm != null && Os.alive(pm);
  }

  /**
   * Fast shutdown (SIGINT: open sessions are ended, the server checkpoints and exits) and waits for
   * it; after 30 s, an immediate shutdown, then SIGKILL. Nothing happens if it is not running.
   */
  public synchronized void stop() {
    Process p = process;
    ProcessHandle pm = postmaster;
    if (p == null || pm == null) {
      return;
    }
    if (p.isAlive()) {
      List<ProcessHandle> children = pm.descendants().toList();
      Os.signal(pm, "INT");
      if (!exits(p, Duration.ofSeconds(30))) {
        Os.signal(pm, "QUIT");
        if (!exits(p, Duration.ofSeconds(5))) {
          Os.killTree(pm);
          p.destroyForcibly();
          exits(p, Duration.ofSeconds(5));
        }
      }
      Os.awaitGone(children, Duration.ofSeconds(5));
    }
    process = null;
    postmaster = null;
  }

  /**
   * SIGKILL of the postmaster, as in a crash: no shutdown checkpoint, the next start runs crash
   * recovery. Returns once the postmaster is gone and its children, which notice its death and
   * exit on their own, are gone too (those still there after 5 s get a SIGKILL), so that
   * {@link #restart()} finds the data directory free. Open connections are broken.
   */
  public synchronized void kill() {
    Process p = process;
    ProcessHandle pm = postmaster;
    if (p == null || pm == null) {
      return;
    }
    List<ProcessHandle> children = pm.descendants().toList();
    pm.destroyForcibly();
    if (!exits(p, Duration.ofSeconds(10))) {
      p.destroyForcibly();
      exits(p, Duration.ofSeconds(5));
    }
    Os.awaitGone(children, Duration.ofSeconds(5));
    process = null;
    postmaster = null;
  }

  /**
   * Starts the server again on the same data directory and the same port, and waits until it
   * accepts connections; a running server is stopped first. After {@link #kill()} this is crash
   * recovery.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    stop();
    launch(false);
  }

  /** Stops the server (SIGKILL if it does not stop) and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } catch (RuntimeException e) {
      abandon();
    } finally {
      ProcessHandle pm = postmaster;
      if (pm != null) {
        Os.awaitGone(Os.killTree(pm), Duration.ofSeconds(5));
      }
      Os.deleteTree(directory);
      Os.removeShutdownHook(shutdownHook);
    }
  }

  @Override
  public String toString() {
    return "PostgresCluster[" + HOST + ":" + port + ", PostgreSQL " + majorVersion + ", "
        + directory + (running() ? "" : ", not running") + "]";
  }

  /** The shutdown hook: no time for a clean stop, and the data is thrown away anyway. */
  private void abandon() {
    ProcessHandle pm = postmaster;
    Process p = process;
    List<ProcessHandle> all = new ArrayList<>();
    if (pm != null) {
      all.addAll(Os.killTree(pm));
    }
    if (p != null) {
      p.destroyForcibly();
      all.add(p.toHandle());
    }
    Os.awaitGone(all, Duration.ofSeconds(2));
    Os.deleteTree(directory);
  }

  private void initdb() {
    List<String> command = new ArrayList<>(asServerUser);
    command.addAll(List.of(binDir.resolve("initdb").toString(),
        "-D", dataDirectory.toString(),
        "-A", "trust",
        "-U", USER,
        "--no-sync",
        // C: the same sorting and messages on every machine, and English server logs to wait on.
        "--locale=C",
        "--encoding=UTF8"));
    Os.Result result = Os.run(command, directory, Map.of(), Duration.ofSeconds(120));
    if (!result.ok()) {
      throw new IllegalStateException("initdb failed (exit " + result.exitCode() + "): "
          + String.join(" ", command) + "\n" + result.output().strip());
    }
  }

  /** Starts postgres and waits until it accepts connections; may move to another port on a clash. */
  private void launch(boolean mayMovePort) {
    if (port == 0) {
      port = Os.freePort();
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    int moves = 0;
    while (true) {
      long logOffset = Os.size(logFile);
      Process p = spawn();
      process = p;
      postmaster = p.toHandle();
      String failure = awaitReady(p, logOffset, deadline);
      if (failure == null) {
        postmaster = postmasterFromPidFile().orElse(p.toHandle());
        Os.writeServerPid(directory, postmaster.pid());
        return;
      }
      process = null;
      postmaster = null;
      String log = Os.readFrom(logFile, logOffset);
      boolean timedOut = System.nanoTime() >= deadline;
      if (!timedOut && mayMovePort && moves < 5 && log.contains("could not bind")) {
        moves++;
        port = Os.freePort();
        continue;
      }
      if (!timedOut && (log.contains("lock file") || log.contains("still in use"))) {
        // Right after a kill: the old postmaster or a child still holds the directory or the
        // shared memory for a moment.
        Os.sleep(100);
        continue;
      }
      throw new IllegalStateException(failure + "; the server log (" + logFile + ") ends with:\n"
          + Os.tail(logFile, 40));
    }
  }

  private Process spawn() {
    List<String> command = new ArrayList<>(asServerUser);
    command.addAll(List.of(binDir.resolve("postgres").toString(), "-D", dataDirectory.toString()));
    settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
    command.addAll(List.of(
        "-c", "listen_addresses=" + HOST,
        "-c", "port=" + port,
        "-c", "unix_socket_directories=" + directory));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Os.cleanEnvironment(builder.environment());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + String.join(" ", command), e);
    }
  }

  /** Null once the server accepts connections, else why not (the process is then gone). */
  private String awaitReady(Process p, long logOffset, long deadline) {
    Optional<Path> pgIsReady = Optional.of(binDir.resolve("pg_isready")).filter(Files::isExecutable);
    while (true) {
      if (!p.isAlive()) {
        return "PostgreSQL exited (code " + p.exitValue() + ") while starting on " + HOST + ":" + port;
      }
      boolean ready = pgIsReady.isPresent()
          ? Os.run(List.of(pgIsReady.get().toString(), "-q", "-h", HOST, "-p", Integer.toString(port),
              "-U", USER, "-d", "postgres", "-t", "1"), Map.of(), Duration.ofSeconds(10)).ok()
          : Os.readFrom(logFile, logOffset).contains("ready to accept connections") && Os.accepts(port);
      if (ready && p.isAlive()) {
        return null;
      }
      if (System.nanoTime() >= deadline) {
        Os.killTree(p.toHandle());
        exits(p, Duration.ofSeconds(5));
        return "PostgreSQL did not accept connections on " + HOST + ":" + port + " within "
            + startTimeout.toSeconds() + " s";
      }
      Os.sleep(50);
    }
  }

  /** With runuser, the process we started is runuser; postmaster.pid names the real server. */
  private Optional<ProcessHandle> postmasterFromPidFile() {
    try {
      String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void tool(String name, String... arguments) {
    List<String> command = new ArrayList<>(List.of(binDir.resolve(name).toString(),
        "-h", directory.toString(), "-p", Integer.toString(port), "-U", USER, "-w"));
    command.addAll(List.of(arguments));
    Os.Result result = Os.run(command, Map.of(), TOOL_TIMEOUT);
    if (!result.ok()) {
      throw new IllegalStateException(name + " failed (exit " + result.exitCode() + "): "
          + String.join(" ", command) + "\n" + result.output().strip());
    }
  }

  private void requireRunning(String what) {
    if (!running()) {
      throw new IllegalStateException(what + ": the cluster is not running (" + this + ")");
    }
  }

  private static void requireName(String name) {
    if (name == null || !DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name " + name
          + ": use letters, digits, '_' and '-', up to 63 characters");
    }
  }

  private static boolean exits(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for PostgreSQL to exit", e);
    }
  }

  /** The command prefix that runs a program as the OS user postgres, for a JVM running as root. */
  private static List<String> asPostgresUser() {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException("This JVM runs as root, and PostgreSQL refuses to run as root;"
          + " it would run as the OS user '" + OS_USER + "' that Debian's package `postgresql`"
          + " creates, but there is no such user. Install it: apt-get install postgresql");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // setpriv execs the program, so the process we hold is the postmaster itself.
    Optional<Path> setpriv = Os.which("setpriv");
    if (setpriv.isPresent()) {
      return List.of(setpriv.get().toString(), "--reuid=" + OS_USER, "--regid=" + OS_USER,
          "--init-groups", "--");
    }
    Optional<Path> runuser = Os.which("runuser");
    if (runuser.isPresent()) {
      return List.of(runuser.get().toString(), "-u", OS_USER, "--");
    }
    throw new IllegalStateException("This JVM runs as root, and PostgreSQL refuses to run as root;"
        + " neither setpriv nor runuser (Debian's util-linux) is there to run it as '" + OS_USER + "'");
  }

  /** The newest /usr/lib/postgresql/<version>/bin with a server, else pg_config --bindir. */
  static Path locateBinDir() {
    List<Path> candidates = new ArrayList<>();
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      List<Path> versions = new ArrayList<>();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(debian)) {
        dirs.forEach(versions::add);
      } catch (IOException e) {
        // Then pg_config, or the error below.
      }
      versions.stream()
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
          .sorted(Comparator.comparing((Path v) -> v.getFileName().toString(),
              PostgresCluster::compareVersions).reversed())
          .forEach(v -> candidates.add(v.resolve("bin")));
    }
    Os.which("pg_config").ifPresent(pgConfig -> {
      Os.Result result = Os.run(List.of(pgConfig.toString(), "--bindir"), Map.of(), TOOL_TIMEOUT);
      if (result.ok() && !result.output().isBlank()) {
        candidates.add(Path.of(result.output().strip()));
      }
    });
    for (Path candidate : candidates) {
      if (hasServerBinaries(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No PostgreSQL server found: no initdb and postgres in "
        + "/usr/lib/postgresql/<version>/bin nor in `pg_config --bindir`. Install Debian's package"
        + " `postgresql` (apt-get install postgresql); its server binaries are not on PATH, which"
        + " is expected. Looked in: " + candidates);
  }

  private static Path requireServerBinaries(Path binDir) {
    if (!hasServerBinaries(binDir)) {
      throw new IllegalStateException("No initdb and postgres in " + binDir
          + " (Debian's package `postgresql` puts them in /usr/lib/postgresql/<version>/bin)");
    }
    return binDir;
  }

  private static boolean hasServerBinaries(Path binDir) {
    return Files.isExecutable(binDir.resolve("initdb")) && Files.isExecutable(binDir.resolve("postgres"));
  }

  private static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0,
          i < y.length ? Integer.parseInt(y[i]) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** From {@code postgres --version}: "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
  private static int majorVersion(Path binDir) {
    Os.Result result = Os.run(List.of(binDir.resolve("postgres").toString(), "--version"),
        Map.of(), TOOL_TIMEOUT);
    Matcher matcher = Pattern.compile("\\)\\s+(\\d+)").matcher(result.output());
    if (!result.ok() || !matcher.find()) {
      throw new IllegalStateException(binDir.resolve("postgres") + " --version said: "
          + result.output().strip());
    }
    return Integer.parseInt(matcher.group(1));
  }
}
