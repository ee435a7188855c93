package io.mintaro.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Calls the frontend at a steady rate, as users would; it is not instrumented itself. */
public final class LoadGenerator implements AutoCloseable {
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  private LoadGenerator(URI target, double perSecond) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long pauseNanos = (long) (1_000_000_000L / perSecond);
    String[] items = {"book", "lamp", "kettle", "chair", "pen"};
    this.thread = new Thread(() -> {
      long next = System.nanoTime();
      while (running) {
        String item = items[(int) (sent.get() % items.length)];
        HttpRequest request = HttpRequest.newBuilder(URI.create(target + "?item=" + item))
            .timeout(Duration.ofSeconds(10)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
          if (e != null || r.statusCode() >= 400) {
            failed.incrementAndGet();
          }
        });
        sent.incrementAndGet();
        next += pauseNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "demo-load");
    thread.setDaemon(true);
  }

  public static LoadGenerator start(URI target, double perSecond) {
    LoadGenerator generator = new LoadGenerator(target, perSecond);
    generator.thread.start();
    return generator;
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
