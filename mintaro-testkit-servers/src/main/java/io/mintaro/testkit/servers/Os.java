package io.mintaro.testkit.servers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The plain-JDK plumbing both servers share: processes, signals, ports, scratch directories. */
final class Os {
  /** The longest path of a unix socket (sun_path is 108 bytes with its terminating NUL). */
  static final int MAX_SOCKET_PATH = 107;

  private static final Set<String> REAPED = ConcurrentHashMap.newKeySet();

  private Os() {}

  /** Whether this JVM runs as root (uid 0). */
  static boolean isRoot() {
    try {
      // /proc/self belongs to the process's effective uid; no process to spawn.
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return ((Integer) uid) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      Result id = run(List.of("id", "-u"), Map.of(), Duration.ofSeconds(10));
      return id.exitCode() == 0 && id.output().strip().equals("0");
    }
  }

  /** The output (stdout and stderr together) and exit code of a finished command. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command to its end; its environment gets {@code env} on top of a cleaned one. */
  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    return run(command, null, env, timeout);
  }

  /** {@link #run(List, Map, Duration)} in {@code directory} (null: this JVM's). */
  static Result run(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    cleanEnvironment(builder.environment());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    }
    // Output stays small (tools' messages); a thread collects it so that the timeout holds even
    // when a stuck tool keeps its stdout open.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // The process is gone; what was read is kept.
      }
    }, "mintaro-testkit-output");
    reader.setDaemon(true);
    reader.start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  /**
   * Drops libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATA, PGOPTIONS...) so that
   * whatever the developer's shell has set cannot point a tool at another server.
   */
  static void cleanEnvironment(Map<String, String> env) {
    env.keySet().removeIf(name -> name.startsWith("PG"));
  }

  /** An executable on PATH (or at an absolute path), if there is one. */
  static Optional<Path> which(String name) {
    if (name.startsWith("/")) {
      Path path = Path.of(name);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    // Debian keeps haproxy, runuser and friends in sbin, which a non-root PATH may lack.
    dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    for (String dir : dirs) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Sends a signal by name ("INT", "QUIT", "TERM") with the shell's builtin kill. */
  static void signal(ProcessHandle process, String signal) {
    run(List.of("/bin/sh", "-c", "kill -" + signal + " \"$1\" 2>/dev/null || true", "sh",
        Long.toString(process.pid())), Map.of(), Duration.ofSeconds(10));
  }

  /**
   * Whether a process still runs. A zombie does not: where PID 1 does not reap orphans (some
   * container inits don't), a dead server's children stay zombies forever and
   * {@link ProcessHandle#isAlive()} still says true for them.
   */
  static boolean alive(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // "pid (comm) S ...": the state follows the last ')' since comm may hold anything.
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return process.isAlive();
    }
  }

  /** Waits until none of {@code processes} runs, SIGKILLs those left at the deadline. */
  static void awaitGone(List<ProcessHandle> processes, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (processes.stream().anyMatch(Os::alive) && System.nanoTime() < deadline) {
      sleep(20);
    }
    for (ProcessHandle process : processes) {
      if (alive(process)) {
        process.destroyForcibly();
      }
    }
    long hardDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (processes.stream().anyMatch(Os::alive) && System.nanoTime() < hardDeadline) {
      sleep(20);
    }
  }

  /** SIGKILLs a process and everything below it, without waiting. */
  static List<ProcessHandle> killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    root.descendants().forEach(all::add);
    all.forEach(ProcessHandle::destroyForcibly);
    return all;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A loopback port that is free now. It is taken below the kernel's ephemeral range when there
   * is room, so that no outgoing connection is handed the same port while a server that has to
   * come back on it (a restart after a crash) is down. Another process may still take it first;
   * the callers retry on "address in use".
   */
  static int freePort() {
    int low = ephemeralLow();
    int floor = 10_000;
    if (low - floor >= 1_000) {
      for (int attempt = 0; attempt < 50; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(floor, low);
        if (bindable(port)) {
          return port;
        }
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether something accepts TCP connections on loopback {@code port}. */
  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last {@code lines} lines of a text file, or a note that it is missing. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (NoSuchFileException e) {
      return "(no " + file + ")";
    } catch (IOException | UncheckedIOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** The size of a file, 0 when missing. */
  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** What a file holds after {@code offset}, "" when missing. */
  static String readFrom(Path file, long offset) {
    try {
      byte[] all = Files.readAllBytes(file);
      int from = (int) Math.min(Math.max(0, offset), all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * A fresh scratch directory {@code <tmp>/<prefix><random>}, with this JVM's pid in
   * {@code owner.pid} so that a later run can find it if this one dies without its shutdown hooks.
   * {@code otherUser} (the server's OS user when it is not ours) must be able to reach it, and the
   * socket must fit in a unix socket path: either failing, /tmp is used instead of java.io.tmpdir.
   */
  static Path scratchDirectory(String prefix, boolean otherUser) {
    Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (base.toString().length() > 48 || (otherUser && !traversableByOthers(base))) {
      base = Path.of("/tmp");
    }
    reapStale(base, prefix);
    try {
      Path dir = Files.createTempDirectory(base, prefix);
      ProcessHandle self = ProcessHandle.current();
      String start = self.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0");
      Files.writeString(dir.resolve("owner.pid"), self.pid() + " " + start + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a scratch directory in " + base, e);
    }
  }

  private static boolean traversableByOthers(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return true;
  }

  /** Records the server's pid next to the owner's, for {@link #reapStale}. */
  static void writeServerPid(Path dir, long pid) {
    try {
      Files.writeString(dir.resolve("server.pid"), pid + "\n");
    } catch (IOException e) {
      // Only the reaping of a crashed run needs it.
    }
  }

  /**
   * Once per JVM and prefix: scratch directories whose owning JVM is gone (killed with SIGKILL, so
   * no shutdown hook ran) lose their server (SIGKILL, and only if it still is the program we
   * started) and are deleted.
   */
  private static void reapStale(Path base, String prefix) {
    if (!REAPED.add(base + "/" + prefix)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, prefix + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && ownerGone(dir)) {
          serverOf(dir).ifPresent(server -> awaitGone(killTree(server), Duration.ofSeconds(2)));
          deleteTree(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover from another run must not fail this one.
    }
  }

  private static boolean ownerGone(Path dir) {
    String[] owner;
    try {
      owner = Files.readString(dir.resolve("owner.pid")).strip().split(" ");
    } catch (IOException e) {
      return false; // being created right now by someone else, or not ours
    }
    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
    if (process.isEmpty() || !alive(process.get())) {
      return true;
    }
    long started = owner.length > 1 ? Long.parseLong(owner[1]) : 0;
    Optional<Instant> actual = process.get().info().startInstant();
    // The same pid but started at another time: the pid was reused, the owner is gone.
    return started != 0 && actual.isPresent()
        && Math.abs(actual.get().toEpochMilli() - started) > 2_000;
  }

  private static Optional<ProcessHandle> serverOf(Path dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve("server.pid")).strip());
      return ProcessHandle.of(pid)
          .filter(Os::alive)
          .filter(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/haproxy"))
              .orElse(false));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Hands a directory tree to another OS user (and that user's primary group). */
  static void chownTree(Path dir, String user) {
    try {
      UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal owner = lookup.lookupPrincipalByName(user);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          own(d);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          own(f);
          return FileVisitResult.CONTINUE;
        }

        private void own(Path p) throws IOException {
          PosixFileAttributeView view =
              Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          view.setOwner(owner);
          view.setGroup(group);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not hand " + dir + " to the OS user " + user, e);
    }
  }

  /** Deletes a directory tree; what cannot be deleted is left. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Best effort: a leftover scratch directory is harmless and reaped by the next run.
    }
  }

  /** A shutdown hook, or null when the JVM is already shutting down. */
  static Thread addShutdownHook(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return hook;
    } catch (IllegalStateException e) {
      return null;
    }
  }

  static void removeShutdownHook(Thread hook) {
    if (hook == null || Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down: the hook runs anyway, and is harmless after close.
    }
  }
}
