package io.mintaro.internal.context;

/**
 * A span that became current on a thread and may still be running. Such a span writes no start
 * record when it starts; the agent asks for one only when it collects the span's trace while the
 * span is still open (see docs/decisions.md, 17).
 */
public interface OpenSpan {

  /** Writes the span's start record, unless it has ended or its start record is already written. */
  void recordStartIfOpen();

  /** The context that was current before this span; null when there was none. */
  TraceContext replaced();

  /** The span's name. */
  String spanName();

  /** True for a server span: a request this process serves. */
  boolean isServer();

  /**
   * Called now and then, from the agent's thread, while the span is open and current: a server
   * request checks whether it is already slower than its threshold (see {@link InFlight}).
   */
  void checkInFlight(long nowUs);

  /** An outgoing call made under this span has started; see {@link #waitingOnCall()}. */
  void callStarted();

  /** That call has ended. */
  void callEnded();

  /**
   * True while a call made under this span runs: the request waits on a callee, which judges its
   * own slowness, so that a slow trace is grouped where the time went, not where it was waited for.
   */
  boolean waitingOnCall();
}
