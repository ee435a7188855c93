package io.mintaro.internal.context;

/**
 * The current {@link TraceContext} of each thread. Each thread keeps one small mutable slot for
 * its whole life, so making a context current (or clearing it) is one thread-local lookup and a
 * field write: no {@code ThreadLocal.set}/{@code remove}, which would allocate a new map entry
 * every time a root span starts after the previous one ended.
 */
public final class ContextStorage {
  private static final ThreadLocal<Slot> CURRENT = ThreadLocal.withInitial(Slot::new);

  private ContextStorage() {}

  private static final class Slot {
    TraceContext context;
  }

  public static TraceContext current() {
    return CURRENT.get().context;
  }

  /** Makes {@code context} current and returns the one it replaced, to be restored later. */
  public static TraceContext swap(TraceContext context) {
    Slot slot = CURRENT.get();
    TraceContext previous = slot.context;
    slot.context = context;
    return previous;
  }
}
