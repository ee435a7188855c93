package io.mintaro.it.otel;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One service in a JVM of its own, started and stopped by the test; its output goes to a file. */
final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;

  private ServiceProcess(String name, Process process, int port) {
    this.name = name;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code main} with the test's class path, less the entries {@code exclude} matches, and
   * waits until it prints {@code READY <port>}.
   */
  static ServiceProcess start(String name, Class<?> main, Predicate<String> exclude, List<String> jvmArgs,
      String... args) throws Exception {
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!exclude.test(entry)) {
        classPath.add(entry);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmArgs);
    command.add("-Dlogback.configurationFile=logback-" + name + ".xml");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(main.getName());
    command.addAll(List.of(args));
    Path log = Paths.get("target", name + ".log");
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, log, ready), name + "-output");
    pump.setDaemon(true);
    pump.start();
    try {
      return new ServiceProcess(name, process, ready.get(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not start; see " + log.toAbsolutePath(), e);
    }
  }

  private static void pump(Process process, Path log, CompletableFuture<Integer> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.startsWith("READY ")) {
          ready.complete(Integer.parseInt(line.substring(6).trim()));
        }
      }
      ready.completeExceptionally(new IOException("exited with " + process.waitFor()));
    } catch (Exception e) {
      ready.completeExceptionally(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " at " + url();
  }
}
