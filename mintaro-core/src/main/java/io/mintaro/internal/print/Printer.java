package io.mintaro.internal.print;

import io.mintaro.MintaroStats;
import io.mintaro.internal.Settings;
import io.mintaro.internal.TraceSink;
import io.mintaro.internal.agent.Agent;
import io.mintaro.internal.agent.BatchEncoder;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonReader;
import io.mintaro.internal.json.JsonWriter;
import io.mintaro.internal.recorder.FlightRecorder;
import io.mintaro.internal.recorder.RecordReader;
import io.mintaro.internal.recorder.RecordType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink of a process without a collector: writes each triggered trace to standard output, as
 * a tree for a person or as one JSON line for {@code mintaro ingest} (docs/printing.md). One
 * daemon thread reads the ring and writes; application threads only put triggers on a bounded
 * queue, so a full pipe on stdout stalls the printer alone, and triggers past the queue are counted
 * as dropped.
 *
 * <p>A triggered trace is held until its local roots (its spans whose parent is not in this
 * process) have ended, or for {@link #SETTLE_MILLIS} at most, so that the records written after the
 * trigger (the root finishing late) are printed with it.
 */
public final class Printer implements TraceSink {
  /** JSON lines say which schema they follow; docs/printing.md. */
  public static final int SCHEMA_VERSION = 1;
  static final int MAX_QUEUED_TRIGGERS = 1000;
  /** Traces held waiting for their roots; past this the oldest is printed as it stands. */
  static final int MAX_PENDING = 64;
  /** The longest a trace is held after its trigger. */
  static final long SETTLE_MILLIS = 5_000;
  /** How long the JVM's shutdown waits for held traces to be written. */
  static final long SHUTDOWN_FLUSH_MILLIS = 2_000;
  private static final long TICK_NANOS = 20_000_000L;
  private static final long IN_FLIGHT_INTERVAL_NANOS = 250_000_000L;

  /** Writes the start records of a trace's open spans; Core#recordOpenSpans. */
  public interface OpenSpans {
    void record(long hi, long lo);
  }

  private final boolean json;
  private final TreeFormat tree;
  private final OutputStream out;
  private final Settings settings;
  private final String agentId;
  private final FlightRecorder recorder;
  private final OpenSpans openSpans;
  private final Runnable inFlightCheck;
  private final long settleNanos;
  private final ConcurrentLinkedQueue<Trigger> triggers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Set<String> authorities = ConcurrentHashMap.newKeySet();
  private final Map<String, Pending> pending = new LinkedHashMap<>(); // printer thread only
  private final AtomicLong printed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong counted = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private Thread shutdownHook;

  /**
   * @param json JSON lines when true, else a tree
   * @param colour ANSI colours in the tree
   */
  public Printer(boolean json, boolean colour, OutputStream out, Settings settings, String agentId,
      FlightRecorder recorder, OpenSpans openSpans, Runnable inFlightCheck, long settleMillis) {
    this.json = json;
    this.tree = new TreeFormat(colour);
    this.out = out;
    this.settings = settings;
    this.agentId = agentId;
    this.recorder = recorder;
    this.openSpans = openSpans;
    this.inFlightCheck = inFlightCheck;
    this.settleNanos = settleMillis * 1_000_000L;
    this.thread = new Thread(this::loop, "mintaro-print");
    thread.setDaemon(true);
  }

  /** The printer {@code settings.print} asks for on this process's stdout; null for {@code off}. */
  public static Printer forSettings(Settings settings, String agentId, FlightRecorder recorder,
      OpenSpans openSpans, Runnable inFlightCheck) {
    String mode = resolve(settings.print, System.console() != null);
    if (mode.equals(Settings.PRINT_OFF)) {
      return null;
    }
    boolean colour = System.console() != null && noColourUnset(System.getenv("NO_COLOR"));
    return new Printer(mode.equals(Settings.PRINT_JSON), colour, System.out, settings, agentId, recorder,
        openSpans, inFlightCheck, SETTLE_MILLIS);
  }

  /** {@code auto} becomes a tree on a terminal and JSON lines otherwise; other modes stay. */
  public static String resolve(String mode, boolean terminal) {
    if (Settings.PRINT_AUTO.equals(mode)) {
      return terminal ? Settings.PRINT_TREE : Settings.PRINT_JSON;
    }
    return mode == null ? Settings.PRINT_OFF : mode;
  }

  /** NO_COLOR (no-color.org): any non-empty value turns colours off. */
  static boolean noColourUnset(String noColor) {
    return noColor == null || noColor.isEmpty();
  }

  @Override
  public void start() {
    thread.start();
    try {
      shutdownHook = new Thread(() -> close(SHUTDOWN_FLUSH_MILLIS), "mintaro-print-flush");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException | SecurityException e) {
      shutdownHook = null; // already shutting down: close() still flushes
    }
  }

  @Override
  public void trigger(long hi, long lo, String kind, String reason, String endpoint, String problem) {
    if (closing || queued.incrementAndGet() > MAX_QUEUED_TRIGGERS) {
      if (!closing) {
        queued.decrementAndGet();
      }
      dropped.incrementAndGet();
      return;
    }
    triggers.add(new Trigger(hi, lo, kind, reason, System.currentTimeMillis()));
    LockSupport.unpark(thread);
  }

  @Override
  public void count(long hi, long lo, String kind, String endpoint, String problem) {
    counted.incrementAndGet(); // over the trigger limits: not printed, as it would not be collected
  }

  @Override
  public void observeAuthority(String authority) {
    if (authorities.size() < 32 && authority.length() <= 255) {
      authorities.add(authority);
    }
  }

  @Override
  public MintaroStats stats(long bytesRecorded, long rateLimited, long groupLimited, long historyMillis,
      long oldestRecordAgeMillis) {
    return new MintaroStats(bytesRecorded, printed.get(), rateLimited, groupLimited, counted.get(), dropped.get(),
        0, 0, 0, false, historyMillis, oldestRecordAgeMillis);
  }

  @Override
  public void close(long flushTimeoutMillis) {
    closing = true;
    LockSupport.unpark(thread);
    try {
      if (Thread.currentThread() != thread) {
        thread.join(Math.max(1, flushTimeoutMillis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeShutdownHook();
  }

  @Override
  public void close() {
    close(0);
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | SecurityException e) {
        // the JVM is shutting down: the hook is running or has run
      }
    }
  }

  // --- printer thread -------------------------------------------------------------------

  private void loop() {
    long inFlightCheckedAt = System.nanoTime();
    while (true) {
      boolean last = closing;
      try {
        Trigger t;
        while ((t = triggers.poll()) != null) {
          queued.decrementAndGet();
          String id = Ids.traceHex(t.hi, t.lo);
          Pending p = pending.get(id);
          if (p == null) {
            if (pending.size() >= MAX_PENDING) {
              printOldest();
            }
            p = new Pending(t.hi, t.lo, id, System.nanoTime());
            pending.put(id, p);
          }
          p.triggers.add(t);
        }
        long now = System.nanoTime();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
          Pending p = it.next();
          if (last || now - p.sinceNanos >= settleNanos || rootsEnded(p)) {
            it.remove();
            print(p);
          }
        }
        if (!last && now - inFlightCheckedAt >= IN_FLIGHT_INTERVAL_NANOS) {
          inFlightCheckedAt = now;
          inFlightCheck.run(); // a request already slower than its threshold triggers while it runs
        }
      } catch (Throwable e) {
        // a trace that cannot be printed is not the application's problem; the next one may be
        pending.clear();
      }
      if (last) {
        return;
      }
      LockSupport.parkNanos(TICK_NANOS);
    }
  }

  private void printOldest() {
    Iterator<Pending> it = pending.values().iterator();
    Pending oldest = it.next();
    it.remove();
    print(oldest);
  }

  /**
   * Whether every span of the trace whose parent is not in this process has ended. A trace with
   * no span yet waits: its spans' start records are written when they are read as open.
   */
  private boolean rootsEnded(Pending p) {
    openSpans.record(p.hi, p.lo);
    Map<Long, Long> parents = new HashMap<>();
    Set<Long> ended = new HashSet<>();
    for (byte[] record : recorder.read(p.hi, p.lo, 0)) {
      RecordReader r = new RecordReader(record);
      if (r.type() == RecordType.SPAN_START || r.type() == RecordType.SPAN_END) {
        parents.put(r.spanId(), r.readLong());
        if (r.type() == RecordType.SPAN_END) {
          ended.add(r.spanId());
        }
      }
    }
    if (parents.isEmpty()) {
      return false;
    }
    for (Map.Entry<Long, Long> span : parents.entrySet()) {
      if (!parents.containsKey(span.getValue()) && !ended.contains(span.getKey())) {
        return false;
      }
    }
    return true;
  }

  private void print(Pending p) {
    try {
      openSpans.record(p.hi, p.lo);
    } catch (RuntimeException e) {
      // printed without the start records of its open spans
    }
    String line = jsonLine(p);
    String text = json ? line + "\n" : tree.render(JsonReader.parse(line));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      if (out instanceof PrintStream) {
        PrintStream ps = (PrintStream) out;
        ps.write(bytes, 0, bytes.length);
        ps.flush();
      } else {
        out.write(bytes);
        out.flush();
      }
      printed.incrementAndGet();
    } catch (Exception e) {
      dropped.incrementAndGet();
    }
  }

  /**
   * The trace as one JSON line of schema 1 (docs/printing.md): the registration and the batch the
   * agent would have sent, so that {@code mintaro ingest} posts them as they are.
   */
  String jsonLine(Pending p) {
    StringBuilder s = new StringBuilder(4096);
    JsonWriter w = new JsonWriter(s).beginObject().name("mintaro").value(SCHEMA_VERSION).name("agent");
    Agent.registration(w, settings, agentId, new ArrayList<>(authorities));
    w.name("batch").beginObject().name("agentId").value(agentId).name("triggers").beginArray();
    for (Trigger t : p.triggers) {
      w.beginObject().name("traceId").value(p.id).name("kind").value(t.kind)
          .name("reason").value(t.reason).name("atMs").value(t.atMs).endObject();
    }
    w.endArray().name("traces").beginArray();
    BatchEncoder.writeTrace(w, p.id, false, recorder.read(p.hi, p.lo, 0));
    w.endArray().endObject().endObject();
    return s.toString();
  }

  private static final class Trigger {
    final long hi;
    final long lo;
    final String kind;
    final String reason;
    final long atMs;

    Trigger(long hi, long lo, String kind, String reason, long atMs) {
      this.hi = hi;
      this.lo = lo;
      this.kind = kind;
      this.reason = reason;
      this.atMs = atMs;
    }
  }

  static final class Pending {
    final long hi;
    final long lo;
    final String id;
    final long sinceNanos;
    final List<Trigger> triggers = new ArrayList<>(1);

    Pending(long hi, long lo, String id, long sinceNanos) {
      this.hi = hi;
      this.lo = lo;
      this.id = id;
      this.sinceNanos = sinceNanos;
    }
  }
}
