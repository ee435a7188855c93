package io.mintaro;

import io.mintaro.internal.ContextExecutors;
import io.mintaro.internal.Core;
import io.mintaro.internal.GlobalSdk;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.TraceContext;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The static entry point: the current trace, your own spans, manual triggers and context
 * propagation across threads. Works on the trace current on the calling thread, and otherwise on
 * the global {@link MintaroSdk}, which is configured from the environment on first use unless
 * {@link #install} was called before.
 */
public final class Mintaro {
  private Mintaro() {}

  /** The global SDK; built from environment variables and system properties on first use. */
  public static MintaroSdk sdk() {
    return GlobalSdk.get(Mintaro::fromEnvironmentOrLocal);
  }

  private static MintaroSdk fromEnvironmentOrLocal() {
    try {
      return MintaroSdk.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.getLogger("io.mintaro").log(System.Logger.Level.WARNING,
          "Mintaro configuration is invalid, recording locally only: " + e.getMessage());
      return MintaroSdk.builder().build();
    }
  }

  /**
   * Makes {@code sdk} the global one. Call it once at start, before requests arrive.
   *
   * @throws IllegalStateException when a global SDK is already in use
   */
  public static void install(MintaroSdk sdk) {
    GlobalSdk.install(sdk);
  }

  /** The current trace id (32 lowercase hex digits), or null outside a trace. */
  public static String traceId() {
    TraceContext ctx = ContextStorage.current();
    return ctx == null ? null : ctx.traceIdHex();
  }

  /** True when the calling thread is inside a trace; cheaper than {@code traceId() != null}. */
  public static boolean inTrace() {
    return ContextStorage.current() != null;
  }

  /** Starts a span, current until closed: a child of the current span, or a new trace's root. */
  public static Span startSpan(String name) {
    return startSpan(name, Span.Kind.INTERNAL);
  }

  /**
   * Starts a span of the given kind, current until closed: a child of the current span, or a new
   * trace's root. Integrations that call out of the process (a database, a queue) use
   * {@link Span.Kind#CLIENT}.
   */
  public static Span startSpan(String name, Span.Kind kind) {
    TraceContext parent = ContextStorage.current();
    Core core = parent != null ? Core.ownerOf(parent) : Core.of(sdk());
    return core.startSpan(name, kindOf(kind), parent, 0, null, true);
  }

  /**
   * Starts a span that is never made current: a child of the current span (or a new trace's
   * root) for work that outlives the call that began it, such as a query whose rows are read
   * later. Spans started meanwhile are not its children. Its start is recorded at once, so a
   * trace collected while it is open shows it.
   */
  public static Span startDetachedSpan(String name, Span.Kind kind) {
    TraceContext parent = ContextStorage.current();
    Core core = parent != null ? Core.ownerOf(parent) : Core.of(sdk());
    return core.startSpan(name, kindOf(kind), parent, 0, null, false);
  }

  private static byte kindOf(Span.Kind kind) {
    return kind == Span.Kind.CLIENT ? Core.KIND_CLIENT : kind == Span.Kind.SERVER ? Core.KIND_SERVER : Core.KIND_INTERNAL;
  }

  /** Runs {@code work} in a span; an exception that escapes marks the span failed and is rethrown. */
  public static void run(String name, Runnable work) {
    try (Span span = startSpan(name)) {
      try {
        work.run();
      } catch (RuntimeException | Error e) {
        span.fail(e);
        throw e;
      }
    }
  }

  /** Calls {@code work} in a span; an exception that escapes marks the span failed and is rethrown. */
  public static <T> T call(String name, Callable<T> work) throws Exception {
    try (Span span = startSpan(name)) {
      try {
        return work.call();
      } catch (Exception | Error e) {
        span.fail(e);
        throw e;
      }
    }
  }

  /**
   * Asks the collector to collect the current trace from every process that took part.
   * Does nothing outside a trace. Returns at once; never throws.
   */
  public static void trigger(String reason) {
    TraceContext ctx = ContextStorage.current();
    if (ctx != null) {
      Core.ownerOf(ctx).trigger(ctx, "manual", reason == null ? "manual" : reason, null, "ok");
    }
  }

  /** Wraps an executor service so that tasks run in the trace of the thread that submitted them. */
  public static ExecutorService wrap(ExecutorService executor) {
    return ContextExecutors.wrap(executor);
  }

  /** Wraps an executor so that tasks run in the trace of the thread that submitted them. */
  public static Executor wrap(Executor executor) {
    return ContextExecutors.wrap(executor);
  }

  /** Binds {@code task} to the current trace. */
  public static Runnable wrap(Runnable task) {
    return ContextExecutors.wrap(ContextStorage.current(), task);
  }

  /** Binds {@code task} to the current trace. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return ContextExecutors.wrap(ContextStorage.current(), task);
  }
}
