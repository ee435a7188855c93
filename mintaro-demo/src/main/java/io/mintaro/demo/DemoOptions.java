package io.mintaro.demo;

import java.time.Duration;

/** How the demo services behave. Zero rates make them deterministic, as the tests need. */
public final class DemoOptions {
  String collector;
  String apiKey;
  int frontendPort;
  int ordersPort;
  int paymentsPort;
  double failureRate;
  double slowRate;
  Duration slowDelay = Duration.ofMillis(1500);
  Duration hangDelay = Duration.ofSeconds(5);
  Duration ordersTimeout = Duration.ofSeconds(3);
  Duration slowThreshold = Duration.ofSeconds(1);
  Duration reconnectMaxDelay = Duration.ofSeconds(30);
  int bufferSize = 16 * 1024 * 1024;
  int triggerGroupLimit = 60;
  double triggerRate = 10;
  int triggerBurst = 100;
  long uploadRate = io.mintaro.MintaroSdk.DEFAULT_UPLOAD_RATE;

  public static DemoOptions create() {
    return new DemoOptions();
  }

  /** Collector URL and API key; null collector records locally only. */
  public DemoOptions collector(String url, String apiKey) {
    this.collector = url;
    this.apiKey = apiKey;
    return this;
  }

  /** Fixed ports; 0 picks free ones. */
  public DemoOptions ports(int frontend, int orders, int payments) {
    this.frontendPort = frontend;
    this.ordersPort = orders;
    this.paymentsPort = payments;
    return this;
  }

  /** Payments fails this fraction of unmarked requests and is slow for another fraction. */
  public DemoOptions randomFaults(double failureRate, double slowRate) {
    this.failureRate = failureRate;
    this.slowRate = slowRate;
    return this;
  }

  public DemoOptions slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  public DemoOptions hangDelay(Duration delay) {
    this.hangDelay = delay;
    return this;
  }

  /** How long orders waits for payments before giving up. */
  public DemoOptions ordersTimeout(Duration timeout) {
    this.ordersTimeout = timeout;
    return this;
  }

  public DemoOptions slowThreshold(Duration threshold) {
    this.slowThreshold = threshold;
    return this;
  }

  public DemoOptions reconnectMaxDelay(Duration delay) {
    this.reconnectMaxDelay = delay;
    return this;
  }

  public DemoOptions bufferSize(int bytes) {
    this.bufferSize = bytes;
    return this;
  }

  /** Traces collected per minute per error group of each service; the rest are counted. */
  public DemoOptions triggerGroupLimit(int perMinute) {
    this.triggerGroupLimit = perMinute;
    return this;
  }

  /** Traces collected per second by each service, and the burst; the rest are counted. */
  public DemoOptions triggerRateLimit(double perSecond, int burst) {
    this.triggerRate = perSecond;
    this.triggerBurst = burst;
    return this;
  }

  /** Bytes per second each service's agent uploads at most; 0 for no limit. */
  public DemoOptions uploadRate(long bytesPerSecond) {
    this.uploadRate = bytesPerSecond;
    return this;
  }
}
