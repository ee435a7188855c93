package io.mintaro.internal;

import io.mintaro.MintaroSdk;
import io.mintaro.MintaroStats;
import io.mintaro.internal.agent.Agent;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.propagation.TraceHeaders;
import io.mintaro.internal.recorder.ErrorInfo;
import io.mintaro.internal.recorder.FlightRecorder;
import io.mintaro.internal.recorder.RecordWriter;
import io.mintaro.internal.print.Printer;
import io.mintaro.internal.redaction.Redactor;
import io.mintaro.internal.redaction.ValuePatterns;
import io.mintaro.internal.trigger.AutoThresholds;
import io.mintaro.internal.trigger.SlowPolicy;
import io.mintaro.internal.trigger.TriggerGate;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The implementation behind one {@link MintaroSdk}. Integrations reach it through
 * {@link #of(MintaroSdk)}; applications never see it.
 */
public final class Core {
  public static final byte KIND_INTERNAL = 0;
  public static final byte KIND_SERVER = 1;
  public static final byte KIND_CLIENT = 2;
  public static final byte STATUS_STARTED = 0;
  public static final byte STATUS_SUCCEEDED = 1;
  public static final byte STATUS_FAILED = 2;
  public static final byte DIRECTION_INBOUND = 1;
  public static final byte DIRECTION_OUTBOUND = 2;
  public static final byte ROLE_CALLER = 1;
  public static final byte ROLE_CALLEE = 2;

  private static volatile Function<MintaroSdk, Core> access;

  /** How far back through replaced contexts the agent looks for open spans. */
  private static final int MAX_OPEN_DEPTH = 64;

  private final Settings settings;
  private final String agentId;
  private final FlightRecorder recorder;
  private final RecordWriter writer;
  private final Redactor redactor;
  private final TriggerGate gate;
  private final SlowPolicy slowPolicy;
  /** Where triggered traces go: the agent, the printer, both, or nowhere. */
  private final TraceSink sink;
  private volatile TriggerListener triggerListener;
  /** Every this many in-flight checks (about 10 s), the ring's history is compared with the slow threshold. */
  private static final int RETENTION_CHECK_EVERY = 40;
  private static final System.Logger LOG = System.getLogger("io.mintaro");
  private int inFlightChecks; // agent thread only
  private boolean retentionWarned; // agent thread only

  public Core(Settings settings) {
    this.settings = settings;
    this.agentId = Ids.hex(new SecureRandom().nextLong() | 1L);
    this.recorder = new FlightRecorder(settings.bufferSize);
    this.writer = new RecordWriter(recorder);
    this.redactor = new Redactor(settings.redactHeaders, settings.redactFields);
    this.gate = new TriggerGate(settings.triggerRate, settings.triggerBurst, settings.triggerGroupLimit);
    List<SlowPolicy.Route> routes = new ArrayList<>();
    for (String[] r : settings.slowRoutes) {
      routes.add(SlowPolicy.Route.parse(r[0], Long.parseLong(r[1])));
    }
    this.slowPolicy = new SlowPolicy(settings.slowThresholdMicros, routes,
        settings.slowAuto ? new AutoThresholds(settings.slowPercentile, settings.slowFloorMicros) : null);
    this.sink = sink(settings);
    sink.start();
  }

  private TraceSink sink(Settings settings) {
    TraceSink agent = settings.collector == null ? null
        : new Agent(settings, agentId, recorder, this::recordOpenSpans, this::checkInFlight, new Agent.Recorder() {
          @Override
          public MintaroStats stats() {
            return Core.this.stats();
          }

          @Override
          public boolean retentionShort() {
            return retentionShortfall() != null;
          }
        });
    // the agent checks requests in flight when there is one; the printer when it is alone
    TraceSink printer = Printer.forSettings(settings, agentId, recorder, this::recordOpenSpans,
        agent == null ? this::checkInFlight : () -> { });
    if (agent == null) {
      return printer == null ? TraceSink.NONE : printer;
    }
    return printer == null ? agent : TraceSink.both(agent, printer);
  }

  public static void setAccess(Function<MintaroSdk, Core> accessor) {
    access = accessor;
  }

  public static Core of(MintaroSdk sdk) {
    return access.apply(sdk);
  }

  public Settings settings() {
    return settings;
  }

  public String agentId() {
    return agentId;
  }

  public RecordWriter writer() {
    return writer;
  }

  public Redactor redactor() {
    return redactor;
  }

  public FlightRecorder recorder() {
    return recorder;
  }

  /** Starts a span as a child of {@code parent}, or of a new trace when parent is null. */
  public RecordingSpan startSpan(String name, byte kind, TraceContext parent, long remoteParentSpanId,
      String traceState, boolean makeCurrent) {
    long hi;
    long lo;
    long parentId;
    byte flags;
    if (parent != null) {
      hi = parent.traceHi;
      lo = parent.traceLo;
      parentId = parent.spanId;
      flags = parent.flags;
      traceState = parent.traceState;
    } else {
      hi = Ids.randomNonZero();
      lo = Ids.randomNonZero();
      parentId = 0;
      flags = TraceHeaders.NEW_TRACE_FLAGS; // sampled, and random ids (W3C Level 2)
    }
    if (remoteParentSpanId != 0) {
      parentId = remoteParentSpanId;
    }
    return startSpan(name, kind, hi, lo, parentId, flags, traceState, makeCurrent);
  }

  /** Starts a span in a known trace (continuing a remote caller's trace, for example). */
  public RecordingSpan startSpan(String name, byte kind, long hi, long lo, long parentId, byte flags,
      String traceState, boolean makeCurrent) {
    return new RecordingSpan(this, hi, lo, Ids.randomNonZero(), traceState, flags, parentId, kind,
        name == null ? "" : name, Clock.nowMicros(), makeCurrent);
  }

  /**
   * Writes the start records of this SDK's spans of one trace that are still open and current on
   * some thread, or on the way back from one (the spans they replaced), so that a trace collected
   * now shows them as started. Called by the agent before it reads a trace.
   */
  public void recordOpenSpans(long hi, long lo) {
    ContextStorage.forEachCurrent(current -> walkOpen(current, c -> {
      if (c.owner == this && c.sameTrace(hi, lo)) {
        c.span.recordStartIfOpen();
      }
      return true;
    }));
  }

  /**
   * Visits the spans open on one thread, innermost first: the current context's, then those it
   * replaced and will return to; stops when {@code visit} answers false.
   */
  private static void walkOpen(TraceContext current, Predicate<TraceContext> visit) {
    int depth = 0;
    for (TraceContext c = current; c != null && c.span != null && depth < MAX_OPEN_DEPTH; depth++) {
      if (!visit.test(c)) {
        return;
      }
      c = c.span.replaced();
    }
  }

  /**
   * Lets every open span of this SDK that is current on some thread, or on the way back to one,
   * check itself: a server request already slower than its threshold triggers now. Called by the
   * agent a few times a second; costs a walk over the threads' slots, nothing on theirs.
   */
  public void checkInFlight() {
    if (++inFlightChecks % RETENTION_CHECK_EVERY == 0 && !retentionWarned) {
      String shortfall = retentionShortfall();
      if (shortfall != null) {
        retentionWarned = true;
        LOG.log(System.Logger.Level.WARNING, shortfall);
      }
    }
    long now = Clock.nowMicros();
    ContextStorage.forEachCurrent(current -> walkOpen(current, c -> {
      if (c.span.waitingOnCall()) {
        return false; // the thread waits on a callee: the callee judges itself, its callers at their end
      }
      if (c.owner == this) {
        c.span.checkInFlight(now);
      }
      return true;
    }));
  }

  /**
   * What to tell the operator when the ring, once it has lapped, holds less history than a
   * request slower than the fixed slow threshold needs (the threshold plus the half second until
   * the in-flight check and the read); null when it holds enough.
   */
  String retentionShortfall() {
    long thresholdMs = settings.slowAuto ? 0 : settings.slowThresholdMicros / 1000;
    if (thresholdMs <= 0 || recorder.written() < 2L * recorder.capacity()) {
      return null;
    }
    long history = Math.max(1, stats().historyMillis()); // 0: under a millisecond
    long needed = thresholdMs + 500;
    if (history >= needed) {
      return null;
    }
    long suggested = Long.highestOneBit(Math.max(1, recorder.capacity() * 2 * needed / history - 1)) << 1;
    return "mintaro: the flight recorder holds " + history + " ms of history, less than the " + needed
        + " ms a request slower than the slow threshold (" + thresholdMs + " ms) needs, so such a request's first"
        + " records may be gone when it triggers; set MINTARO_BUFFER_SIZE to " + (suggested >> 20) + "m or more";
  }

  /** Writes the start records of every open span of this SDK, in every trace; for test mode. */
  public void recordAllOpenSpans() {
    ContextStorage.forEachCurrent(current -> walkOpen(current, c -> {
      if (c.owner == this) {
        c.span.recordStartIfOpen();
      }
      return true;
    }));
  }

  /** Records a log line; an ERROR line triggers its trace when so configured. */
  public void log(TraceContext ctx, byte level, String logger, String thread, long timeUs,
      CharSequence message, ErrorInfo error) {
    writer.log(ctx.traceHi, ctx.traceLo, ctx.spanId, timeUs, level, logger, thread, message, error);
    if (level == LogLevels.ERROR && settings.triggerOnErrorLog) {
      trigger(ctx, "error", "ERROR log: " + abbreviate(message, 200), null,
          error != null && error.type != null ? error.type : "error");
    }
  }

  public void breadcrumb(TraceContext ctx, byte role, String peerAgentId, String authority) {
    writer.breadcrumb(ctx.traceHi, ctx.traceLo, ctx.spanId, Clock.nowMicros(), role, peerAgentId, authority);
  }

  /**
   * Asks the collector to collect this trace, once per trace and within the limits; a trigger
   * they refuse is counted instead, so that the collector still knows of it.
   *
   * @param endpoint the trigger's local group: the server span it fired in (null: found from the
   *     spans open on this thread)
   * @param problem the rest of the group: the escaped exception's class, {@code HTTP <status>},
   *     {@code error}, {@code slow} or {@code ok}, as the collector's group rule names them
   */
  public void trigger(TraceContext ctx, String kind, String reason, String endpoint, String problem) {
    if (ctx == null) {
      return;
    }
    String where = groupPart(endpoint != null ? endpoint : endpointOf(ctx), "(no endpoint)");
    problem = groupPart(problem, "error");
    int decision = gate.decide(ctx.traceHi, ctx.traceLo, kind + '\n' + where + '\n' + problem);
    if (decision == TriggerGate.REPEAT) {
      return;
    }
    if (decision == TriggerGate.COUNT) {
      sink.count(ctx.traceHi, ctx.traceLo, kind, where, problem);
      return;
    }
    // the reason quotes a log line or an exception, which the recorder has masked but this has not
    reason = ValuePatterns.mask(reason);
    TriggerListener listener = triggerListener;
    if (listener != null) {
      try {
        listener.triggered(ctx.traceIdHex(), kind, reason);
      } catch (RuntimeException e) {
        // a listener's failure is not the application's
      }
    }
    sink.trigger(ctx.traceHi, ctx.traceLo, kind, reason, where, problem);
  }

  /** Group names are 1-512 characters on the wire (docs/protocol.md, "Counted triggers"). */
  private static String groupPart(String s, String ifEmpty) {
    if (s == null || s.isEmpty()) {
      return ifEmpty;
    }
    return s.length() <= 512 ? s : s.substring(0, 512);
  }

  /**
   * The name of the outermost server span of this trace open on this thread, else of the
   * outermost span, else {@code (no endpoint)}: the endpoint the collector would group by.
   */
  static String endpointOf(TraceContext ctx) {
    String[] outermostAndServer = new String[2];
    walkOpen(ctx, c -> {
      if (c.sameTrace(ctx.traceHi, ctx.traceLo)) {
        outermostAndServer[0] = c.span.spanName();
        if (c.span.isServer()) {
          outermostAndServer[1] = outermostAndServer[0];
        }
      }
      return true;
    });
    String server = outermostAndServer[1];
    String outermost = outermostAndServer[0];
    return server != null ? server : outermost != null ? outermost : "(no endpoint)";
  }

  /**
   * Triggers a server request that is still running but already slower than its threshold; the
   * agent's late-data watch then brings the rest of it when it ends. A request triggers once: its
   * end finds the trace triggered already.
   *
   * @return true when it triggered
   */
  public boolean serverRequestRunning(TraceContext ctx, String method, String path, String spanName, long runningUs) {
    long threshold = slowPolicy.thresholdMicros(method, path);
    if (threshold <= 0 || runningUs <= threshold) {
      return false;
    }
    trigger(ctx, "slow", "slow: " + method + " " + path + " still running after " + runningUs / 1000
        + " ms (threshold " + threshold / 1000 + " ms)", spanName, "slow");
    return true;
  }

  /** The threshold a server request of this route would be judged against now; 0 or less: never slow. */
  public long slowThresholdMicros(String method, String path) {
    return slowPolicy.thresholdMicros(method, path);
  }

  /**
   * Judges a finished server request against its slow threshold, which it also teaches when the
   * threshold is learnt, and triggers its trace when it was slower. For every server request:
   * allocation-free unless it triggers.
   *
   * @param what how the reason names the request, {@code "GET /orders"}
   * @param spanName the request's server span name, its endpoint in the trigger's group
   */
  public void serverRequestEnded(TraceContext ctx, String method, String path, String what, String spanName,
      long durationUs) {
    long threshold = slowPolicy.observe(method, path, durationUs);
    if (threshold > 0 && durationUs > threshold) {
      String percentile = slowPolicy.learntPercentile(method, path);
      trigger(ctx, "slow", "slow: " + what + " took " + durationUs / 1000 + " ms (threshold " + threshold / 1000
          + " ms" + (percentile == null ? "" : ", p" + percentile + " of its route") + ")", spanName, "slow");
    }
  }

  public boolean triggerOnServerError() {
    return settings.triggerOnServerError;
  }

  public boolean triggerOnException() {
    return settings.triggerOnException;
  }

  /** Remembers a host:port by which this process was called, so timed-out callers can find it. */
  public void observeAuthority(String authority) {
    if (authority != null) {
      sink.observeAuthority(authority);
    }
  }

  /** The current context if it belongs to this SDK instance's process, for integrations. */
  public static TraceContext current() {
    return ContextStorage.current();
  }

  public static Core ownerOf(TraceContext ctx) {
    return (Core) ctx.owner;
  }

  public MintaroStats stats() {
    long written = recorder.written();
    long oldest = recorder.oldestClaimMicros();
    long historyMillis = 0;
    long oldestAgeMillis = 0;
    if (written > 0 && oldest > 0) {
      historyMillis = Math.max(0, recorder.newestClaimMicros() - oldest) / 1000;
      oldestAgeMillis = Math.max(0, Clock.nowMicros() - oldest) / 1000;
    }
    return sink.stats(written, gate.rateLimited(), gate.groupLimited(), historyMillis, oldestAgeMillis);
  }

  public void close() {
    sink.close();
  }

  public void close(long flushTimeoutMillis) {
    sink.close(flushTimeoutMillis);
  }

  /** Sees every trigger this SDK admits, before it is reported; for test mode. Never throws. */
  public interface TriggerListener {
    void triggered(String traceId, String kind, String reason);
  }

  public void triggerListener(TriggerListener listener) {
    this.triggerListener = listener;
  }

  static String abbreviate(CharSequence s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s.toString() : s.subSequence(0, max) + "…";
  }
}
