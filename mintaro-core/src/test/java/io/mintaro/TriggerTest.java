package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.http.ClientExchange;
import io.mintaro.http.ServerExchange;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.logging.LogCapture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What triggers collection. Without a collector a trigger leaves no trace of its own, so these tests
 * give the SDK a single trigger token: when something triggered, a probe trigger afterwards is
 * refused by the rate limit, and {@link MintaroStats#triggersRateLimited()} says so.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class TriggerTest {
  private MintaroSdk sdk;

  @AfterEach
  void cleanUp() {
    TestSdks.clearContext();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Test
  void aServerErrorTriggers() {
    assertThat(triggered(b -> { }, () -> serve(500, 0))).isTrue();
  }

  @Test
  void aSuccessfulFastRequestDoesNotTrigger() {
    assertThat(triggered(b -> { }, () -> serve(200, 0))).isFalse();
    assertThat(triggered(b -> { }, () -> serve(404, 0))).isFalse();
  }

  @Test
  void aServerErrorDoesNotTriggerWhenThatTriggerIsOff() {
    assertThat(triggered(b -> b.triggerOnServerError(false), () -> serve(500, 0))).isFalse();
  }

  @Test
  void anEscapingExceptionTriggers() {
    assertThat(triggered(b -> b.triggerOnServerError(false), () -> {
      ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/", n -> null);
      exchange.fail(new IllegalStateException("boom"));
      exchange.close();
    })).isTrue();
  }

  @Test
  void aSlowRequestTriggers() {
    assertThat(triggered(b -> b.slowThreshold(Duration.ofMillis(1)), () -> serve(200, 20))).isTrue();
  }

  @Test
  void aRouteThresholdOverridesTheDefault() {
    assertThat(triggered(b -> b.slowThreshold(Duration.ofMillis(1)).slowThreshold("/", Duration.ofHours(1)),
        () -> serve(200, 20))).isFalse();
    assertThat(triggered(b -> b.slowThreshold("GET /", Duration.ofMillis(1)), () -> serve(200, 20))).isTrue();
    assertThat(triggered(b -> b.slowThreshold(Duration.ofMillis(1)).slowThreshold("/", Duration.ZERO),
        () -> serve(200, 20))).as("zero disables").isFalse();
  }

  @Test
  void anErrorLogLineTriggers() {
    assertThat(triggered(b -> { }, () -> logInTrace(Level.ERROR))).isTrue();
    assertThat(triggered(b -> { }, () -> logInTrace(Level.WARNING))).isFalse();
    assertThat(triggered(b -> b.triggerOnErrorLog(false), () -> logInTrace(Level.ERROR))).isFalse();
  }

  @Test
  void aManualTriggerInsideATraceTriggers() {
    assertThat(triggered(b -> { }, () -> {
      try (RecordingSpan root = TestSdks.root(sdk, "root")) {
        Mintaro.trigger("look at this");
      }
    })).isTrue();
  }

  @Test
  void aTraceTriggersOnlyOnceHoweverManyThingsGoWrong() {
    sdk = MintaroSdk.builder().service("svc").triggerRateLimit(0.001, 2).build();
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      Mintaro.trigger("one");
      Mintaro.trigger("two");
      LogCapture.record(Level.ERROR, "l", "t", System.currentTimeMillis(), "three", null);
    }
    assertThat(sdk.stats().triggersRateLimited()).isZero();

    probe();
    assertThat(sdk.stats().triggersRateLimited()).as("the second token was still there").isZero();
    probe();
    assertThat(sdk.stats().triggersRateLimited()).isEqualTo(1);
  }

  @Test
  void aRequestAlreadySlowerThanItsThresholdTriggersWhileStillRunningAndOnlyOnce() throws Exception {
    sdk = MintaroSdk.builder().service("svc").slowThreshold(Duration.ofMillis(30)).build();
    List<String> triggers = new CopyOnWriteArrayList<>();
    Core core = Core.of(sdk);
    core.triggerListener((traceId, kind, reason) -> triggers.add(kind + ": " + reason));
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/report", "/report", n -> null);

    watch(core);
    assertThat(triggers).as("not slow yet").isEmpty();
    Thread.sleep(60);
    watch(core);

    assertThat(triggers).singleElement().asString()
        .startsWith("slow: slow: GET /report still running after").endsWith("(threshold 30 ms)");
    exchange.close();
    assertThat(triggers).as("its end finds the trace triggered already").hasSize(1);
  }

  @Test
  void aRequestWaitingOnACalleeLeavesTheJudgingToTheCallee() throws Exception {
    sdk = MintaroSdk.builder().service("svc").slowThreshold(Duration.ofMillis(30)).build();
    List<String> triggers = new CopyOnWriteArrayList<>();
    Core core = Core.of(sdk);
    core.triggerListener((traceId, kind, reason) -> triggers.add(reason));
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/checkout", "/checkout", n -> null);
    ClientExchange call = ClientExchange.start(sdk, "POST", java.net.URI.create("http://payments:8080/charge"));
    Thread.sleep(60);

    watch(core);
    assertThat(triggers).as("the slow callee triggers where the time goes; its callers wait").isEmpty();

    call.close();
    watch(core);
    assertThat(triggers).singleElement().asString().contains("GET /checkout still running after");
    exchange.close();
  }

  @Test
  void aRequestThatEndedIsNotJudgedByTheWatch() throws Exception {
    sdk = MintaroSdk.builder().service("svc").slowThreshold(Duration.ofMillis(30)).build();
    List<String> triggers = new CopyOnWriteArrayList<>();
    Core core = Core.of(sdk);
    core.triggerListener((traceId, kind, reason) -> triggers.add(reason));
    ServerExchange.start(sdk, "GET", "http://h/fast", "/fast", n -> null).close();
    Thread.sleep(60);

    watch(core);
    assertThat(triggers).isEmpty();
  }

  /** Runs the in-flight check from another thread, as the agent does. */
  private static void watch(Core core) throws InterruptedException {
    Thread agent = new Thread(core::checkInFlight);
    agent.start();
    agent.join();
  }

  private boolean triggered(Consumer<MintaroSdk.Builder> config, Runnable action) {
    if (sdk != null) {
      sdk.close();
    }
    MintaroSdk.Builder builder = MintaroSdk.builder().service("svc").triggerRateLimit(0.001, 1);
    config.accept(builder);
    sdk = builder.build();
    action.run();
    TestSdks.clearContext();
    probe();
    return sdk.stats().triggersRateLimited() > 0;
  }

  private void probe() {
    try (RecordingSpan probe = TestSdks.root(sdk, "probe")) {
      Mintaro.trigger("probe");
    }
  }

  private void serve(int status, long sleepMillis) {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/", n -> null);
    try {
      Thread.sleep(sleepMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.status(status);
    exchange.close();
  }

  private void logInTrace(Level level) {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      LogCapture.record(level, "l", "t", System.currentTimeMillis(), "line", null);
    }
  }
}
