package io.mintaro.internal.agent;

import io.mintaro.MintaroStats;
import io.mintaro.internal.Settings;
import io.mintaro.internal.TraceSink;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonReader;
import io.mintaro.internal.json.JsonWriter;
import io.mintaro.internal.recorder.FlightRecorder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The link from this process to the collector (protocol v1, docs/protocol.md). Two daemon
 * threads: the poller keeps registration and the long poll, the sender ships triggered traces,
 * answers collect commands and pushes late records. Application threads only ever touch
 * lock-free queues here. The HTTP transport is {@link CollectorHttp}.
 */
public final class Agent implements TraceSink {
  static final int MAX_QUEUED_TRIGGERS = 1000;
  static final int MAX_TRACES_PER_BATCH = 50;
  /** Counts alone are sent at most this often; with other data, at once. */
  static final long COUNTS_INTERVAL_NANOS = 1_000_000_000L;
  /** How often requests still running are checked against their slow thresholds. */
  static final long IN_FLIGHT_INTERVAL_NANOS = 250_000_000L;
  /** Record bytes per batch; JSON roughly doubles them, well inside the collector's 16 MiB cap. */
  static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
  /**
   * The back-off ceiling while the agent holds data the collector has not got ({@link #pending()}):
   * every second waited there is a second more between an error and its trace being stored, so
   * such an agent tries again within 1–2 s of a failure however long the collector has been
   * away. An agent with nothing to deliver backs off to {@code reconnectMaxDelay} (30 s by
   * default), which spares a collector that is starting up the retries of the idle part of a
   * fleet, and so does one the collector refused (a 4xx: a wrong key, too many requests).
   */
  static final long PENDING_RECONNECT_MAX_DELAY_MILLIS = 2_000;
  /**
   * The recorder's figures go with a poll at most this often, and at once when its retention state
   * changes: they are diagnostics, and one poll in three carrying them is plenty.
   */
  static final long STATS_INTERVAL_NANOS = 60_000_000_000L;
  /** How often a back-off that is being waited out checks whether work arrived meanwhile. */
  private static final long BACKOFF_RECHECK_MILLIS = 100;
  /** The SDK version the registration names. */
  public static final String SDK_VERSION = "0.1.0";
  private static final System.Logger LOG = System.getLogger("io.mintaro.agent");

  private final Settings settings;
  private final String agentId;
  private final FlightRecorder recorder;
  private final OpenSpans openSpans;
  /** Lets requests still running trigger when they are already slow; see Core#checkInFlight. */
  private final Runnable inFlightCheck;
  private long inFlightCheckedAtNanos = System.nanoTime(); // sender thread only
  private final CollectorHttp http;
  private final ConcurrentLinkedQueue<Trigger> triggers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedTriggers = new AtomicInteger();
  private long countsSentAtNanos = System.nanoTime(); // sender thread only
  private volatile boolean flushing;
  private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
  private final Set<String> authorities = ConcurrentHashMap.newKeySet();
  private volatile boolean authoritiesChanged;
  private final Map<String, Watch> watches = new HashMap<>(); // sender thread only
  private volatile boolean running = true;
  private volatile boolean registered;
  /** True while the sender has taken triggers off the queue and not yet had them acknowledged. */
  private volatile boolean sending;
  /**
   * Late records of a failed batch wait in their watches (sender thread only) to be read again;
   * this says until when (the latest such watch's end, System.nanoTime), 0 for none.
   */
  private volatile long lateUnsentUntilNanos;
  private volatile long pollTimeoutMs = 20_000;
  private volatile long lateWindowMs = 30_000;
  private final Thread poller;
  private final Thread sender;
  private final AtomicLong triggersReported = new AtomicLong();
  private final AtomicLong triggersDropped = new AtomicLong();
  private final AtomicLong triggersCounted = new AtomicLong();
  private final Counts counts = new Counts(triggersDropped);
  private final AtomicLong batchesSent = new AtomicLong();
  private final AtomicLong batchesFailed = new AtomicLong();
  private final Backoff pollBackoff;
  private final Backoff sendBackoff;
  private final UploadBudget uploadBudget;
  private final Recorder recorderStats;
  /** Whether the figures went with a poll since the last registration (the sender registers too). */
  private volatile boolean statsSent;
  private long statsSentAtNanos; // poller thread only
  private boolean statsSentShort; // poller thread only

  /** Writes the start records of a trace's spans that are still open; see Core#recordOpenSpans. */
  public interface OpenSpans {
    void record(long hi, long lo);
  }

  /** What the agent reports of its process's recorder to the collector, with its polls. */
  public interface Recorder {
    /** The SDK's figures now. */
    MintaroStats stats();

    /** Whether the ring holds less history than a slow request needs (see Core#retentionShortfall). */
    boolean retentionShort();
  }

  /** An agent that reports no recorder figures. */
  public Agent(Settings settings, String agentId, FlightRecorder recorder, OpenSpans openSpans,
      Runnable inFlightCheck) {
    this(settings, agentId, recorder, openSpans, inFlightCheck, null);
  }

  /** @param recorderStats the figures sent with the polls; null sends none */
  public Agent(Settings settings, String agentId, FlightRecorder recorder, OpenSpans openSpans,
      Runnable inFlightCheck, Recorder recorderStats) {
    this.recorderStats = recorderStats;
    this.inFlightCheck = inFlightCheck;
    this.settings = settings;
    this.agentId = agentId;
    this.recorder = recorder;
    this.openSpans = openSpans;
    this.http = new CollectorHttp(settings.collector, settings.apiKey, settings.sslContext);
    this.pollBackoff = new Backoff();
    this.sendBackoff = new Backoff();
    this.uploadBudget = new UploadBudget(settings.uploadRate, System.nanoTime());
    this.poller = daemon(this::pollLoop, "mintaro-agent-poll");
    this.sender = daemon(this::sendLoop, "mintaro-agent-send");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void start() {
    poller.start();
    sender.start();
  }

  /**
   * Sends what is pending (triggers and the traces they name), waiting at most
   * {@code flushTimeoutMillis}, then closes. Called by the application's shutdown.
   */
  @Override
  public void close(long flushTimeoutMillis) {
    long deadline = System.nanoTime() + flushTimeoutMillis * 1_000_000L;
    flushing = true;
    LockSupport.unpark(sender);
    try {
      while ((queuedTriggers.get() > 0 || counts.pending() || sending) && running
          && System.nanoTime() - deadline < 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    LockSupport.unpark(sender);
    http.close();
  }

  /**
   * Asks for a trace to be collected. Called on application threads: never blocks, never throws;
   * when the queue is full the trigger is counted instead.
   */
  @Override
  public void trigger(long hi, long lo, String kind, String reason, String endpoint, String problem) {
    if (queuedTriggers.incrementAndGet() > MAX_QUEUED_TRIGGERS) {
      queuedTriggers.decrementAndGet();
      count(hi, lo, kind, endpoint, problem);
      return;
    }
    triggers.add(new Trigger(hi, lo, kind, reason, endpoint, problem, System.currentTimeMillis()));
    LockSupport.unpark(sender);
  }

  /**
   * Counts a trigger whose trace is not collected; the count goes with the next batch, or on
   * its own within a second. Called on application threads: never blocks, never throws.
   */
  @Override
  public void count(long hi, long lo, String kind, String endpoint, String problem) {
    counts.add(hi, lo, kind, endpoint, problem, System.currentTimeMillis());
  }

  @Override
  public void observeAuthority(String authority) {
    if (authorities.size() < 32 && authority.length() <= 255 && authorities.add(authority)) {
      authoritiesChanged = true;
      LockSupport.unpark(sender);
    }
  }

  @Override
  public MintaroStats stats(long bytesRecorded, long rateLimited, long groupLimited, long historyMillis,
      long oldestRecordAgeMillis) {
    return new MintaroStats(bytesRecorded, triggersReported.get(), rateLimited, groupLimited,
        triggersCounted.get(), triggersDropped.get(),
        batchesSent.get(), batchesFailed.get(), http.bytesSent(), registered, historyMillis, oldestRecordAgeMillis);
  }

  // --- poller ---------------------------------------------------------------------------

  private void pollLoop() {
    // True from a registration until a poll succeeds: a 404 then means the registration did not
    // hold (a replica that does not share it), and is waited out rather than re-registered at once.
    boolean justRegistered = false;
    while (running) {
      try {
        if (!registered) {
          register();
          justRegistered = true;
          continue; // the back-off is reset by a successful poll, not by registering
        }
        StringBuilder body = new StringBuilder(64);
        JsonWriter w = new JsonWriter(body).beginObject().name("agentId").value(agentId);
        authoritiesJson(w);
        statsJson(w);
        w.endObject();
        HttpResponse<String> response = http.post("agent/v1/poll", body.toString(),
            Duration.ofMillis(pollTimeoutMs + 10_000));
        if (response.statusCode() == 404) {
          registered = false;
          if (justRegistered) {
            throw new IOException("poll answered 404 right after registering");
          }
          continue;
        }
        if (response.statusCode() != 200) {
          // 502, 503 (no replica up, or one without its database): the collector is unavailable,
          // so register again soon; nothing is lost, the sender keeps its queues until a batch is
          // acknowledged. A 4xx is a refusal, waited out in full.
          throw CollectorHttp.failure("poll", response);
        }
        justRegistered = false;
        pollBackoff.reset();
        Object parsed = JsonReader.parse(response.body());
        if (parsed instanceof Map) {
          Object list = ((Map<?, ?>) parsed).get("commands");
          if (list instanceof List) {
            for (Object c : (List<?>) list) {
              if (c instanceof Map && "collect".equals(((Map<?, ?>) c).get("type"))) {
                Object traceId = ((Map<?, ?>) c).get("traceId");
                if (traceId instanceof String && Ids.isHex((String) traceId, 32)) {
                  commands.add((String) traceId);
                }
              }
            }
            LockSupport.unpark(sender);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        registered = false;
        justRegistered = false;
        if (!waitOutPollBackoff(e instanceof CollectorHttp.Refused)) {
          return;
        }
      }
    }
  }

  /** Sleeps until the poll back-off allows the next attempt; false when the agent is closing. */
  private boolean waitOutPollBackoff(boolean refused) {
    if (refused) {
      pollBackoff.refused(settings.reconnectMaxDelayMillis);
    } else {
      pollBackoff.failed(ceilingMillis());
    }
    try {
      while (running) {
        pollBackoff.lower(ceilingMillis()); // a trigger that arrives meanwhile cuts the wait short
        long remaining = pollBackoff.remainingNanos();
        if (remaining <= 0) {
          return true;
        }
        Thread.sleep(Math.max(1, Math.min(BACKOFF_RECHECK_MILLIS, remaining / 1_000_000L)));
      }
      return false;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Whether the agent holds data the collector is waiting for and has not got: triggers (also
   * those put back after a failed batch), counted triggers, answers to {@code collect} commands,
   * a batch in flight, or the late records of a failed batch. A watched trace alone is not
   * pending: whether it has new records only the sender knows, by reading the ring, and most
   * watches end with nothing more to send.
   */
  boolean pending() {
    long lateUntil = lateUnsentUntilNanos;
    return queuedTriggers.get() > 0 || !commands.isEmpty() || sending || counts.pending()
        || (lateUntil != 0 && System.nanoTime() - lateUntil < 0);
  }

  /** The back-off ceiling now: low while data is pending, so it reaches the collector soon after it is back. */
  long ceilingMillis() {
    long max = settings.reconnectMaxDelayMillis;
    return pending() ? Math.min(PENDING_RECONNECT_MAX_DELAY_MILLIS, max) : max;
  }

  private void register() throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder(256);
    JsonWriter w = new JsonWriter(body);
    registration(w, settings, agentId, authorities);
    authoritiesChanged = false;
    HttpResponse<String> response = http.post("agent/v1/register", body.toString(), Duration.ofSeconds(10));
    if (response.statusCode() != 200) {
      throw CollectorHttp.failure("register", response);
    }
    Object parsed = JsonReader.parse(response.body());
    if (parsed instanceof Map) {
      Object poll = ((Map<?, ?>) parsed).get("pollTimeoutMs");
      Object late = ((Map<?, ?>) parsed).get("lateWindowMs");
      if (poll instanceof Long && (Long) poll > 0 && (Long) poll <= 120_000) {
        pollTimeoutMs = (Long) poll;
      }
      if (late instanceof Long && (Long) late >= 0 && (Long) late <= 600_000) {
        lateWindowMs = (Long) late;
      }
    }
    registered = true;
    statsSent = false; // a collector that did not know the agent has none of its figures
    LockSupport.unpark(sender);
  }

  /**
   * Adds the recorder's figures to a poll body when they are due (protocol, poll {@code stats}):
   * first after each registration, then once a minute, and at once when the retention state
   * changes. Costs a snapshot of a few counters.
   */
  private void statsJson(JsonWriter w) {
    if (recorderStats == null) {
      return;
    }
    MintaroStats s;
    boolean retentionShort;
    try {
      s = recorderStats.stats();
      retentionShort = recorderStats.retentionShort();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "mintaro agent: recorder figures unavailable", e);
      return; // the poll goes without them
    }
    long now = System.nanoTime();
    if (statsSent && retentionShort == statsSentShort && now - statsSentAtNanos < STATS_INTERVAL_NANOS) {
      return;
    }
    statsSent = true;
    statsSentAtNanos = now;
    statsSentShort = retentionShort;
    w.name("stats").beginObject()
        .name("bufferBytes").value((long) recorder.capacity())
        .name("bytesRecorded").value(s.bytesRecorded())
        .name("historyMs").value(s.historyMillis())
        .name("retentionShort").value(retentionShort)
        .name("triggersReported").value(s.triggersReported())
        .name("triggersRateLimited").value(s.triggersRateLimited())
        .name("triggersGroupLimited").value(s.triggersGroupLimited())
        .name("triggersCounted").value(s.triggersCounted())
        .name("triggersDropped").value(s.triggersDropped())
        .name("batchesSent").value(s.batchesSent())
        .name("batchesFailed").value(s.batchesFailed())
        .endObject();
  }

  private void authoritiesJson(JsonWriter w) {
    authoritiesChanged = false;
    w.name("authorities").beginArray();
    for (String a : authorities) {
      w.value(a);
    }
    w.endArray();
  }

  /**
   * Writes the body of {@code POST /agent/v1/register}: who this process is. The printer writes
   * it into each JSON line too, so that {@code mintaro ingest} can register on the process's behalf.
   */
  public static void registration(JsonWriter w, Settings settings, String agentId, Iterable<String> authorities) {
    w.beginObject().name("agentId").value(agentId)
        .name("service").value(settings.service).name("host").value(hostName())
        .name("pid").value(ProcessHandle.current().pid()).name("sdk").value(SDK_VERSION);
    if (settings.serviceVersion != null) {
      w.name("version").value(settings.serviceVersion);
    }
    w.name("authorities").beginArray();
    for (String a : authorities) {
      w.value(a);
    }
    w.endArray().endObject();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  // --- sender ---------------------------------------------------------------------------

  private void sendLoop() {
    while (running) {
      try {
        if (triggers.isEmpty() && commands.isEmpty() && !authoritiesChanged && !(flushing && counts.pending())) {
          LockSupport.parkNanos(watches.isEmpty() ? IN_FLIGHT_INTERVAL_NANOS : 50_000_000L);
        }
        if (!running) {
          return;
        }
        long now = System.nanoTime();
        if (now - inFlightCheckedAtNanos >= IN_FLIGHT_INTERVAL_NANOS) {
          inFlightCheckedAtNanos = now;
          try {
            inFlightCheck.run(); // may queue triggers, sent just below
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "mintaro agent: in-flight check failed", e);
          }
        }
        if (!sendBackoff.due()) {
          sendBackoff.lower(ceilingMillis());
        }
        if (!registered || !sendBackoff.due() || !uploadBudget.allows(System.nanoTime())) {
          LockSupport.parkNanos(20_000_000L);
          continue;
        }
        if (authoritiesChanged) {
          register();
        }
        sending = true;
        long sentBefore = http.bytesSent();
        try {
          sendOnce();
        } finally {
          sending = false;
          uploadBudget.spent(http.bytesSent() - sentBefore, System.nanoTime());
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.DEBUG, "mintaro agent: send failed", e);
        if (e instanceof CollectorHttp.Refused) {
          sendBackoff.refused(settings.reconnectMaxDelayMillis);
        } else {
          sendBackoff.failed(ceilingMillis());
        }
      }
    }
  }

  private void sendOnce() throws Exception {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<Trigger> sentTriggers = new ArrayList<>();
    long now = System.nanoTime();
    long allowance = uploadBudget.available(now);
    Trigger t;
    while (roomFor(entries, allowance) && (t = triggers.poll()) != null) {
      queuedTriggers.decrementAndGet();
      sentTriggers.add(t);
      entry(entries, Ids.traceHex(t.hi, t.lo), t.hi, t.lo, false, now);
    }
    String command;
    while (roomFor(entries, allowance) && (command = commands.poll()) != null) {
      long hi = Ids.parseHex16(command.toLowerCase(java.util.Locale.ROOT), 0);
      long lo = Ids.parseHex16(command.toLowerCase(java.util.Locale.ROOT), 16);
      entry(entries, command.toLowerCase(java.util.Locale.ROOT), hi, lo, true, now);
    }
    for (Iterator<Map.Entry<String, Watch>> it = watches.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Watch> e = it.next();
      Watch watch = e.getValue();
      if (now - watch.expiresAtNanos > 0) {
        it.remove();
        continue;
      }
      if (entries.containsKey(e.getKey()) || !roomFor(entries, allowance)) {
        continue;
      }
      long head = recorder.head(watch.lo);
      if (head == watch.lastHead) {
        continue;
      }
      List<byte[]> late = capped(recorder.read(watch.hi, watch.lo, watch.lastHead));
      Entry entry = new Entry(watch.hi, watch.lo, false, late, watch.lastHead);
      watch.lastHead = head;
      if (!late.isEmpty()) {
        entries.put(e.getKey(), entry);
      }
    }
    Counts.Drained counted = null;
    if (!entries.isEmpty() || flushing || now - countsSentAtNanos >= COUNTS_INTERVAL_NANOS) {
      counted = counts.drain();
      countsSentAtNanos = now;
    }
    if (entries.isEmpty() && (counted == null || counted.isEmpty())) {
      return;
    }
    StringBuilder json = new StringBuilder(4096);
    JsonWriter w = new JsonWriter(json).beginObject().name("agentId").value(agentId);
    if (counted != null) {
      counted.write(w);
    }
    w.name("triggers").beginArray();
    for (Trigger s : sentTriggers) {
      w.beginObject().name("traceId").value(Ids.traceHex(s.hi, s.lo)).name("kind").value(s.kind)
          .name("reason").value(s.reason).name("atMs").value(s.atMs).endObject();
    }
    w.endArray().name("traces").beginArray();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      BatchEncoder.writeTrace(w, e.getKey(), e.getValue().reply, e.getValue().records);
    }
    w.endArray().endObject();
    HttpResponse<String> response;
    try {
      response = http.post("agent/v1/batches", json.toString(), Duration.ofSeconds(30));
    } catch (IOException e) {
      requeue(sentTriggers, entries, counted);
      throw e;
    }
    if (response.statusCode() == 404) {
      registered = false;
      requeue(sentTriggers, entries, counted);
      return;
    }
    if (response.statusCode() >= 500 || response.statusCode() == 401 || response.statusCode() == 429) {
      // 502 and 503 included: the collector (or every replica behind its load balancer) is
      // unavailable; the batch is kept and sent again after the send back-off.
      requeue(sentTriggers, entries, counted);
      throw CollectorHttp.failure("batch", response);
    }
    if (response.statusCode() != 200) {
      // The collector refused the data itself; resending it would fail the same way.
      LOG.log(System.Logger.Level.WARNING, "mintaro agent: collector refused a batch: "
          + response.statusCode() + " " + response.body());
      batchesFailed.incrementAndGet();
      triggersDropped.addAndGet(sentTriggers.size() + Counts.occurrences(counted));
      return;
    }
    lateUnsentUntilNanos = 0; // what did not fit in this batch goes out at once in the next
    batchesSent.incrementAndGet();
    triggersReported.addAndGet(sentTriggers.size());
    triggersCounted.addAndGet(Counts.occurrences(counted));
    sendBackoff.reset();
  }

  private void entry(Map<String, Entry> entries, String traceId, long hi, long lo, boolean reply, long now) {
    Entry existing = entries.get(traceId);
    if (existing != null) {
      existing.reply |= reply;
      return;
    }
    try {
      openSpans.record(hi, lo);
    } catch (RuntimeException e) {
      // the trace is still sent, without the start records of its open spans
    }
    long head = recorder.head(lo);
    List<byte[]> records = capped(recorder.read(hi, lo, 0));
    Watch watch = watches.get(traceId);
    if (watch == null) {
      watch = new Watch(hi, lo);
      watches.put(traceId, watch);
    }
    watch.lastHead = head;
    watch.expiresAtNanos = now + lateWindowMs * 1_000_000L;
    entries.put(traceId, new Entry(hi, lo, reply, records, -1));
  }

  /** Whether another trace fits: {@code allowance} is the upload budget's (raw bytes, never fewer than gzipped). */
  private static boolean roomFor(Map<String, Entry> entries, long allowance) {
    if (entries.size() >= MAX_TRACES_PER_BATCH) {
      return false;
    }
    long bytes = 0;
    for (Entry e : entries.values()) {
      bytes += e.bytes;
    }
    return bytes < Math.min(MAX_BATCH_BYTES, allowance);
  }

  /**
   * Keeps the newest records of one trace up to the batch budget. A trace larger than that
   * (thousands of lines) loses its oldest records rather than the whole batch being refused.
   */
  private static List<byte[]> capped(List<byte[]> newestFirst) {
    long bytes = 0;
    for (int i = 0; i < newestFirst.size(); i++) {
      bytes += newestFirst.get(i).length;
      if (bytes > MAX_BATCH_BYTES) {
        return newestFirst.subList(0, i);
      }
    }
    return newestFirst;
  }

  /** Puts a failed batch's work back, so nothing is lost while the collector is away. */
  private void requeue(List<Trigger> sentTriggers, Map<String, Entry> entries, Counts.Drained counted) {
    batchesFailed.incrementAndGet();
    if (counted != null) {
      counts.putBack(counted);
    }
    for (Trigger t : sentTriggers) {
      if (queuedTriggers.incrementAndGet() <= MAX_QUEUED_TRIGGERS) {
        triggers.add(t);
      } else {
        queuedTriggers.decrementAndGet();
        count(t.hi, t.lo, t.kind, t.endpoint, t.problem);
      }
    }
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Entry entry = e.getValue();
      if (entry.reply) {
        commands.add(e.getKey());
      }
      Watch watch = watches.get(e.getKey());
      if (watch != null && entry.previousHead >= 0) {
        watch.lastHead = entry.previousHead;
        long until = lateUnsentUntilNanos;
        if (until == 0 || watch.expiresAtNanos - until > 0) {
          lateUnsentUntilNanos = watch.expiresAtNanos;
        }
      }
    }
  }

  private static final class Trigger {
    final long hi;
    final long lo;
    final String kind;
    final String reason;
    final String endpoint;
    final String problem;
    final long atMs;

    Trigger(long hi, long lo, String kind, String reason, String endpoint, String problem, long atMs) {
      this.hi = hi;
      this.lo = lo;
      this.kind = kind;
      this.reason = reason;
      this.endpoint = endpoint;
      this.problem = problem;
      this.atMs = atMs;
    }
  }

  private static final class Entry {
    final long hi;
    final long lo;
    boolean reply;
    final List<byte[]> records;
    /** For late data: the watch position to go back to if sending fails; -1 otherwise. */
    final long previousHead;
    final long bytes;

    Entry(long hi, long lo, boolean reply, List<byte[]> records, long previousHead) {
      this.hi = hi;
      this.lo = lo;
      this.reply = reply;
      this.records = records;
      this.previousHead = previousHead;
      long sum = 0;
      for (byte[] r : records) {
        sum += r.length;
      }
      this.bytes = sum;
    }
  }

  private static final class Watch {
    final long hi;
    final long lo;
    long lastHead;
    long expiresAtNanos;

    Watch(long hi, long lo) {
      this.hi = hi;
      this.lo = lo;
    }
  }
}
