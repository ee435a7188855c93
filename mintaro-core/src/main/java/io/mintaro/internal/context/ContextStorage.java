package io.mintaro.internal.context;

/** The current {@link TraceContext} of each thread. */
public final class ContextStorage {
  private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

  private ContextStorage() {}

  public static TraceContext current() {
    return CURRENT.get();
  }

  /** Makes {@code context} current and returns the one it replaced, to be restored later. */
  public static TraceContext swap(TraceContext context) {
    TraceContext previous = CURRENT.get();
    if (context == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(context);
    }
    return previous;
  }
}
