package io.mintaro.bridge;

import io.mintaro.internal.Core;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.recorder.ErrorInfo;
import io.mintaro.internal.recorder.RecordWriter;
import io.mintaro.internal.recorder.SpanEvent;
import io.mintaro.internal.redaction.Redactor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * One span of a bridged tracing library, filled in and then written once by {@link #end(long)}.
 * Not thread-safe: a bridge fills it on the thread that ends the span. Every method is a no-op
 * after {@code end}, and nothing here throws.
 *
 * <p>{@code end} applies Mintaro's own trigger rules: a failed span triggers collection of its
 * trace, and so does a server span slower than its threshold ({@code MINTARO_SLOW_THRESHOLD}, fixed
 * or learnt per route as for {@link io.mintaro.http.ServerExchange}).
 */
public final class ForeignSpan {
  static final ForeignSpan NOOP = new ForeignSpan(null, 0, 0, 0, 0, (byte) 0, "", 0, null);
  /** Keys remembered as secret or not; past this many, keys are checked each time. */
  private static final int MAX_REMEMBERED_KEYS = 1024;

  private final Core core;
  private final long hi;
  private final long lo;
  private final long spanId;
  private final long parentId;
  private final byte kind;
  private final String name;
  private final long startUs;
  private boolean ended;
  private Object[] attributes;
  private int attributeCount;
  private ErrorInfo error;
  private ErrorInfo[] handled;
  private int handledCount;
  private SpanEvent[] events;
  private int eventCount;
  private String triggerReason;
  private String method;
  private String url;
  private int status;
  private String exchangeError;
  private String[] requestHeaders;
  private String[] responseHeaders;
  private String calleeAuthority;
  private String calleeAgentId;
  private final Map<String, Boolean> sensitiveKeys;

  ForeignSpan(Core core, long hi, long lo, long spanId, long parentId, byte kind, String name, long startUs,
      Map<String, Boolean> sensitiveKeys) {
    this.sensitiveKeys = sensitiveKeys;
    this.core = core;
    this.hi = hi;
    this.lo = lo;
    this.spanId = spanId;
    this.parentId = parentId;
    this.kind = kind;
    this.name = name;
    this.startUs = startUs;
    this.ended = core == null;
  }

  /** An attribute; a key whose name marks a secret ({@code MINTARO_REDACT_FIELDS}) is kept masked. */
  public ForeignSpan attribute(String key, String value) {
    if (key != null && !ended) {
      put(key, value != null && isSensitive(key) ? Redactor.MASK : value);
    }
    return this;
  }

  private boolean isSensitive(String key) {
    Boolean known = sensitiveKeys.get(key);
    if (known != null) {
      return known;
    }
    boolean sensitive = core.redactor().isSensitiveField(key);
    if (sensitiveKeys.size() < MAX_REMEMBERED_KEYS) {
      sensitiveKeys.put(key, sensitive);
    }
    return sensitive;
  }

  public ForeignSpan attribute(String key, long value) {
    if (key != null && !ended) {
      put(key, value);
    }
    return this;
  }

  public ForeignSpan attribute(String key, boolean value) {
    if (key != null && !ended) {
      put(key, value);
    }
    return this;
  }

  public ForeignSpan attribute(String key, double value) {
    if (key != null && !ended) {
      put(key, Double.toString(value));
    }
    return this;
  }

  private void put(String key, Object value) {
    if (attributes == null) {
      attributes = new Object[16];
    } else if (attributeCount * 2 == attributes.length) {
      if (attributeCount >= RecordWriter.MAX_ATTRIBUTES) {
        return;
      }
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeCount * 2] = key;
    attributes[attributeCount * 2 + 1] = value;
    attributeCount++;
  }

  /** A timestamped event in the span, as {@link io.mintaro.Span#event(String, Map)} records one. */
  public ForeignSpan event(String name, long epochNanos, Map<String, ?> attributes) {
    if (name == null || name.isEmpty() || ended) {
      return this;
    }
    SpanEvent[] room = SpanEvent.roomForOne(events, eventCount);
    if (room == null) {
      return this;
    }
    events = room;
    events[eventCount++] = SpanEvent.of(epochNanos / 1000, name, attributes);
    return this;
  }

  /** An exception recorded in the span that did not fail it (the span's status says so). */
  public ForeignSpan recordError(String type, String message, String stackTrace) {
    if (ended || type == null) {
      return this;
    }
    if (handled == null) {
      handled = new ErrorInfo[RecordWriter.MAX_HANDLED_ERRORS];
    }
    if (handledCount < handled.length) {
      handled[handledCount++] = new ErrorInfo(type, message, stackTrace);
    }
    return this;
  }

  /**
   * Marks the span failed: with the exception that failed it, or with {@code type} naming what
   * went wrong (for example "ERROR status") when there was none.
   */
  public ForeignSpan fail(String type, String message, String stackTrace) {
    if (!ended) {
      error = new ErrorInfo(type == null ? "failed" : type, message, stackTrace);
    }
    return this;
  }

  /** Collects the span's trace when it ends, for a reason Mintaro's rules would not see. */
  public ForeignSpan trigger(String reason) {
    if (!ended && triggerReason == null) {
      triggerReason = reason == null ? "error" : reason;
    }
    return this;
  }

  /**
   * The HTTP exchange this span served (a server span) or made (a client span), as far as the
   * bridged library saw it; written as one exchange record without bodies when the span ends.
   * The URL is redacted as Mintaro's own integrations redact it.
   *
   * @param status 0 when no response arrived
   * @param error why no response arrived, or null
   */
  public ForeignSpan exchange(String method, String url, int status, String error) {
    if (!ended) {
      this.method = method;
      this.url = url;
      this.status = status;
      this.exchangeError = error;
    }
    return this;
  }

  /** The exchange's request headers the bridged library captured: names and values alternating. */
  public ForeignSpan requestHeaders(String... namesAndValues) {
    if (!ended) {
      requestHeaders = redacted(namesAndValues);
    }
    return this;
  }

  /** The exchange's response headers the bridged library captured: names and values alternating. */
  public ForeignSpan responseHeaders(String... namesAndValues) {
    if (!ended) {
      responseHeaders = redacted(namesAndValues);
    }
    return this;
  }

  private String[] redacted(String[] pairs) {
    if (pairs == null) {
      return null;
    }
    int n = Math.min(pairs.length / 2, RecordWriter.MAX_HEADERS) * 2;
    String[] out = new String[n];
    for (int i = 0; i < n; i += 2) {
      out[i] = pairs[i];
      out[i + 1] = pairs[i] == null ? pairs[i + 1] : core.redactor().header(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /**
   * The process this client span called, for the collector to follow: the {@code host:port}
   * called, and the callee's agent id when it answered with one (else null).
   */
  public ForeignSpan callee(String authority, String agentId) {
    if (!ended && authority != null) {
      calleeAuthority = authority.toLowerCase(Locale.ROOT);
      calleeAgentId = agentId;
    }
    return this;
  }

  /** Writes the span and what it holds, and fires its triggers. */
  public void end(long endEpochNanos) {
    if (ended) {
      return;
    }
    ended = true;
    try {
      long endUs = Math.max(endEpochNanos / 1000, startUs);
      TraceContext ctx = new TraceContext(core, hi, lo, spanId, null, (byte) 0);
      if (calleeAuthority != null) {
        core.breadcrumb(ctx, Core.ROLE_CALLEE, calleeAgentId, calleeAuthority);
      }
      if (method != null || url != null) {
        writeExchange(endUs);
      }
      core.writer().spanEnd(hi, lo, spanId, parentId, kind, error == null ? Core.STATUS_SUCCEEDED : Core.STATUS_FAILED,
          startUs, endUs, name, attributes, attributeCount, error, handled, handledCount, events, eventCount);
      fireTriggers(ctx, endUs - startUs);
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  private void writeExchange(long endUs) {
    String[] req = requestHeaders == null ? new String[0] : requestHeaders;
    String[] resp = responseHeaders == null ? new String[0] : responseHeaders;
    core.writer().exchange(hi, lo, spanId, startUs, endUs - startUs,
        kind == Core.KIND_SERVER ? Core.DIRECTION_INBOUND : Core.DIRECTION_OUTBOUND, status,
        method, url == null ? null : core.redactor().url(url), exchangeError,
        req, req.length / 2, null, 0, 0, resp, resp.length / 2, null, 0, 0);
  }

  /** Names are built only for what may trigger: most spans are neither failed nor server spans. */
  private void fireTriggers(TraceContext ctx, long durationUs) {
    String path = url == null ? null : path(url);
    if (error != null && core.triggerOnException()) {
      core.trigger(ctx, "error", "failed span " + describe(path) + " (" + error.type
          + (error.message == null ? "" : ": " + abbreviate(error.message)) + ")", name, error.type);
    } else if (triggerReason != null) {
      core.trigger(ctx, "error", triggerReason, name, status >= 400 ? "HTTP " + status : "error");
    }
    if (kind == Core.KIND_SERVER) {
      core.serverRequestEnded(ctx, method, path == null ? name : path, describe(path), name, durationUs);
    }
  }

  private String describe(String path) {
    return method != null && path != null ? method + " " + path : name;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  /** The path of an absolute or origin-form URL, without its query. */
  static String path(String url) {
    int start = 0;
    int scheme = url.indexOf("://");
    if (scheme >= 0) {
      int slash = url.indexOf('/', scheme + 3);
      if (slash < 0) {
        return "/";
      }
      start = slash;
    }
    int end = url.length();
    int q = url.indexOf('?', start);
    int h = url.indexOf('#', start);
    if (q >= 0) {
      end = q;
    }
    if (h >= 0 && h < end) {
      end = h;
    }
    return start < end ? url.substring(start, end) : "/";
  }
}
