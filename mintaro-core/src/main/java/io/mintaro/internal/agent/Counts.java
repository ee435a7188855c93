package io.mintaro.internal.agent;

import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The triggers whose traces are not collected, waiting to go to the collector as counts
 * (docs/protocol.md, "Counted triggers"). Application threads add; the agent's sender drains,
 * and puts back what a failed batch carried. Past {@link #MAX_QUEUED} ids only numbers are kept,
 * per local group; past {@link #MAX_OVERFLOW_GROUPS} such groups a count is lost, and said so.
 */
final class Counts {
  /** Counted triggers kept with their trace ids. */
  static final int MAX_QUEUED = 20_000;
  /** Counted trace ids per batch. */
  static final int MAX_PER_BATCH = 5_000;
  /** Local groups whose overflow is kept as a number. */
  static final int MAX_OVERFLOW_GROUPS = 1024;

  private final ConcurrentLinkedQueue<Counted> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ConcurrentHashMap<String, Overflow> overflow = new ConcurrentHashMap<>();
  private final AtomicLong lost;

  /** @param lost counts what could be kept neither with its id nor as a number */
  Counts(AtomicLong lost) {
    this.lost = lost;
  }

  /** Never blocks, never throws. */
  void add(long hi, long lo, String kind, String endpoint, String problem, long atMs) {
    if (queued.incrementAndGet() <= MAX_QUEUED) {
      queue.add(new Counted(hi, lo, kind, endpoint, problem, atMs));
      return;
    }
    queued.decrementAndGet();
    addNumber(kind, endpoint, problem, 1, atMs);
  }

  private void addNumber(String kind, String endpoint, String problem, long n, long atMs) {
    String key = kind + '\n' + endpoint + '\n' + problem;
    Overflow o = overflow.get(key);
    if (o == null) {
      if (overflow.size() >= MAX_OVERFLOW_GROUPS) {
        lost.addAndGet(n);
        return;
      }
      o = overflow.computeIfAbsent(key, k -> new Overflow(kind, endpoint, problem));
    }
    o.count.addAndGet(n);
    o.lastAtMs.accumulateAndGet(atMs, Math::max);
  }

  boolean pending() {
    if (queued.get() > 0) {
      return true;
    }
    for (Overflow o : overflow.values()) {
      if (o.count.get() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Up to one batch's worth of counts, by local group. */
  Drained drain() {
    Drained d = new Drained();
    for (int n = 0; n < MAX_PER_BATCH; n++) {
      Counted c = queue.poll();
      if (c == null) {
        break;
      }
      queued.decrementAndGet();
      d.group(c.kind, c.endpoint, c.problem).add(c);
    }
    for (Overflow o : overflow.values()) {
      long n = o.count.getAndSet(0);
      if (n > 0) {
        Group g = d.group(o.kind, o.endpoint, o.problem);
        g.more += n;
        g.lastAtMs = Math.max(g.lastAtMs, o.lastAtMs.get());
      }
    }
    return d;
  }

  /** Takes back what a batch that failed carried, so that nothing is lost while the collector is away. */
  void putBack(Drained d) {
    for (Group g : d.groups.values()) {
      for (Counted c : g.traces) {
        add(c.hi, c.lo, c.kind, c.endpoint, c.problem, c.atMs);
      }
      if (g.more > 0) {
        addNumber(g.kind, g.endpoint, g.problem, g.more, g.lastAtMs);
      }
    }
  }

  /** How many triggers {@code d} counts; 0 for null. */
  static long occurrences(Drained d) {
    long n = 0;
    if (d != null) {
      for (Group g : d.groups.values()) {
        n += g.traces.size() + g.more;
      }
    }
    return n;
  }

  /** The counts of one batch. */
  static final class Drained {
    private final Map<String, Group> groups = new LinkedHashMap<>();

    private Group group(String kind, String endpoint, String problem) {
      return groups.computeIfAbsent(kind + '\n' + endpoint + '\n' + problem, k -> new Group(kind, endpoint, problem));
    }

    boolean isEmpty() {
      return groups.isEmpty();
    }

    /** The batch's {@code counted} field; nothing when empty. */
    void write(JsonWriter w) {
      if (groups.isEmpty()) {
        return;
      }
      w.name("counted").beginArray();
      for (Group g : groups.values()) {
        w.beginObject().name("kind").value(g.kind).name("endpoint").value(g.endpoint)
            .name("problem").value(g.problem).name("traces").beginArray();
        for (Counted c : g.traces) {
          w.beginArray().value(Ids.traceHex(c.hi, c.lo)).value(c.atMs).endArray();
        }
        w.endArray().name("more").value(g.more).name("lastAtMs").value(g.lastAtMs).endObject();
      }
      w.endArray();
    }
  }

  private static final class Counted {
    final long hi;
    final long lo;
    final String kind;
    final String endpoint;
    final String problem;
    final long atMs;

    Counted(long hi, long lo, String kind, String endpoint, String problem, long atMs) {
      this.hi = hi;
      this.lo = lo;
      this.kind = kind;
      this.endpoint = endpoint;
      this.problem = problem;
      this.atMs = atMs;
    }
  }

  /** One local group's counts in a batch. */
  private static final class Group {
    final String kind;
    final String endpoint;
    final String problem;
    final List<Counted> traces = new ArrayList<>();
    long more;
    long lastAtMs;

    Group(String kind, String endpoint, String problem) {
      this.kind = kind;
      this.endpoint = endpoint;
      this.problem = problem;
    }

    void add(Counted c) {
      traces.add(c);
      lastAtMs = Math.max(lastAtMs, c.atMs);
    }
  }

  /** Counts of one local group that did not fit the queue: their number and newest time. */
  private static final class Overflow {
    final String kind;
    final String endpoint;
    final String problem;
    final AtomicLong count = new AtomicLong();
    final AtomicLong lastAtMs = new AtomicLong();

    Overflow(String kind, String endpoint, String problem) {
      this.kind = kind;
      this.endpoint = endpoint;
      this.problem = problem;
    }
  }
}
