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
}
