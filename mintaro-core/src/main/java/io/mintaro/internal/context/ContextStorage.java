package io.mintaro.internal.context;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The current {@link TraceContext} of each thread. Each thread keeps one small mutable slot for
 * its whole life, so making a context current (or clearing it) is one thread-local lookup and a
 * field write: no {@code ThreadLocal.set}/{@code remove}, which would allocate a new map entry
 * every time a root span starts after the previous one ended.
 *
 * <p>The slots are also listed, weakly, so that the agent can find the spans that are open on
 * any thread when it collects a trace ({@link #forEachCurrent}).
 */
public final class ContextStorage {
  private static final VarHandle CONTEXT;
  private static final ConcurrentLinkedQueue<WeakReference<Slot>> SLOTS = new ConcurrentLinkedQueue<>();
  private static final ThreadLocal<Slot> CURRENT = ThreadLocal.withInitial(ContextStorage::newSlot);
  /** Every this many new threads, the slots of dead ones are dropped from the list. */
  private static final int SWEEP_EVERY = 256;
  private static final AtomicInteger NEW_SLOTS = new AtomicInteger();

  static {
    try {
      CONTEXT = MethodHandles.lookup().findVarHandle(Slot.class, "context", TraceContext.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ContextStorage() {}

  private static final class Slot {
    TraceContext context; // written by its thread with release semantics, read by others with acquire
  }

  private static Slot newSlot() {
    Slot slot = new Slot();
    SLOTS.add(new WeakReference<>(slot)); // the thread's ThreadLocalMap keeps it alive, not this list
    if (NEW_SLOTS.incrementAndGet() % SWEEP_EVERY == 0) {
      SLOTS.removeIf(ref -> ref.get() == null); // an application starting threads forever
    }
    return slot;
  }

  /** Slots listed, dead threads' included until they are swept; for tests. */
  static int listedSlots() {
    return SLOTS.size();
  }

  public static TraceContext current() {
    return CURRENT.get().context;
  }

  /** Makes {@code context} current and returns the one it replaced, to be restored later. */
  public static TraceContext swap(TraceContext context) {
    Slot slot = CURRENT.get();
    TraceContext previous = slot.context;
    // release: a thread that reads this context also sees the span it points to, fully built
    CONTEXT.setRelease(slot, context);
    return previous;
  }

  /**
   * Calls {@code action} with the context current on each live thread (that ever had one), as
   * seen now. Not a snapshot: threads keep running meanwhile. Forgets the slots of dead threads.
   */
  public static void forEachCurrent(Consumer<TraceContext> action) {
    for (Iterator<WeakReference<Slot>> it = SLOTS.iterator(); it.hasNext(); ) {
      Slot slot = it.next().get();
      if (slot == null) {
        it.remove();
        continue;
      }
      TraceContext context = (TraceContext) CONTEXT.getAcquire(slot);
      if (context != null) {
        action.accept(context);
      }
    }
  }
}
