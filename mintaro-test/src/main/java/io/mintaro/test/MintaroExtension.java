package io.mintaro.test;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.GlobalSdk;
import io.mintaro.internal.agent.LocalTraces;
import io.mintaro.internal.context.ContextStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test mode: each test gets a fresh in-process SDK, installed as the global one, and can assert on
 * what it recorded. No collector and no sockets; nothing leaks from one test to the next.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(1024));
 *
 * @Test
 * void checkoutLogsTheCard() {
 *   checkout.run();
 *   RecordedTrace trace = mintaro.onlyTrace();
 *   assertThat(trace.logs("DEBUG")).extracting(RecordedLog::message).contains("charging card");
 *   assertThat(mintaro.triggers()).isEmpty();
 * }
 * }</pre>
 *
 * The SDK records triggers instead of reporting them. Tests of one class must not run
 * concurrently with each other: the global SDK is one per JVM.
 */
public final class MintaroExtension implements BeforeEachCallback, AfterEachCallback {
  private static final Duration AWAIT = Duration.ofSeconds(5);

  private final Consumer<MintaroSdk.Builder> config;
  private final List<RecordedTrigger> triggers = new CopyOnWriteArrayList<>();
  private MintaroSdk sdk;
  private MintaroSdk replaced;

  /** Test mode with the SDK's defaults, service name {@code test}. */
  public MintaroExtension() {
    this(b -> { });
  }

  private MintaroExtension(Consumer<MintaroSdk.Builder> config) {
    this.config = config;
  }

  /**
   * Test mode with settings of your own: body limits, redaction, slow thresholds, triggers. A
   * collector set here is ignored: test mode never leaves the process.
   */
  public static MintaroExtension withConfig(Consumer<MintaroSdk.Builder> config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    return new MintaroExtension(config);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ContextStorage.swap(null);
    triggers.clear();
    MintaroSdk.Builder builder = MintaroSdk.builder().service("test");
    config.accept(builder);
    builder.collector(null);
    sdk = builder.build();
    Core.of(sdk).triggerListener((traceId, kind, reason) -> triggers.add(new RecordedTrigger(traceId, kind, reason)));
    replaced = GlobalSdk.replace(sdk);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ContextStorage.swap(null);
    GlobalSdk.replace(replaced);
    replaced = null;
    if (sdk != null) {
      sdk.close();
    }
  }

  /** This test's SDK, also {@code Mintaro.sdk()} while the test runs. */
  public MintaroSdk sdk() {
    if (sdk == null) {
      throw new IllegalStateException("no test is running: register the extension with @RegisterExtension");
    }
    return sdk;
  }

  /** Every trace with records in this test's SDK. */
  public List<RecordedTrace> traces() {
    List<RecordedTrace> out = new ArrayList<>();
    List<String> ids = LocalTraces.traceIds(sdk());
    for (int i = ids.size() - 1; i >= 0; i--) {
      out.add(trace(ids.get(i)));
    }
    return out;
  }

  /** What the SDK holds for one trace now; empty lists when it holds nothing of it. */
  public RecordedTrace trace(String traceId) {
    if (traceId == null || !traceId.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a trace id is 32 lowercase hex digits, got: " + traceId);
    }
    return TraceDecoder.decode(LocalTraces.traceJson(sdk(), traceId));
  }

  /** The one trace recorded in this test. @throws AssertionError when there are none or several */
  public RecordedTrace onlyTrace() {
    List<RecordedTrace> all = traces();
    if (all.size() != 1) {
      throw new AssertionError("expected one trace but found " + all.size() + ": "
          + all.stream().map(t -> t.traceId() + " " + t.spans().stream().map(RecordedSpan::name).toList()).toList());
    }
    return all.get(0);
  }

  /**
   * Waits up to 5 s until the trace satisfies {@code until}, for integrations that record after
   * the application has its answer (asynchronous clients, bodies closed later).
   *
   * @throws AssertionError with the last state seen when it never does
   */
  public RecordedTrace awaitTrace(String traceId, Predicate<RecordedTrace> until) {
    return await(() -> trace(traceId), until);
  }

  /** Waits up to 5 s until exactly one trace is recorded and it satisfies {@code until}. */
  public RecordedTrace awaitOnlyTrace(Predicate<RecordedTrace> until) {
    return await(() -> {
      List<RecordedTrace> all = traces();
      return all.size() == 1 ? all.get(0) : null;
    }, until);
  }

  /** Waits up to 5 s until the recorded traces satisfy {@code until}, and returns them. */
  public List<RecordedTrace> awaitTraces(Predicate<List<RecordedTrace>> until) {
    return await(this::traces, until);
  }

  private static <T> T await(Supplier<T> read, Predicate<T> until) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    T last;
    while (true) {
      last = read.get();
      if (last != null && until.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the trace did not reach the expected state within " + AWAIT.toSeconds()
            + " s; last seen: " + last);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for a trace", e);
      }
    }
  }

  /** The triggers admitted in this test, in order; each trace triggers at most once. */
  public List<RecordedTrigger> triggers() {
    return List.copyOf(triggers);
  }
}
