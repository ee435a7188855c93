package io.mintaro.test;

import java.util.List;

/**
 * Everything one SDK recorded for one trace: what its agent would send to the collector if the
 * trace were collected now, open spans included.
 */
public record RecordedTrace(String traceId, List<RecordedSpan> spans, List<RecordedExchange> exchanges,
    List<RecordedLog> logs, List<RecordedBreadcrumb> breadcrumbs) {

  /** The one span of this name. @throws AssertionError when there is none or several */
  public RecordedSpan span(String name) {
    List<RecordedSpan> found = spans.stream().filter(s -> name.equals(s.name())).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one span named '" + name + "' but found " + found.size()
          + " among " + spans.stream().map(RecordedSpan::name).toList());
    }
    return found.get(0);
  }

  /** The spans of this name, in the order they were recorded. */
  public List<RecordedSpan> spans(String name) {
    return spans.stream().filter(s -> name.equals(s.name())).toList();
  }

  /**
   * The span with no parent in this trace: the trace's root, or the local root of a trace that
   * came from another process. @throws AssertionError when there is not exactly one
   */
  public RecordedSpan root() {
    List<RecordedSpan> roots = spans.stream()
        .filter(s -> s.parentSpanId() == null || spans.stream().noneMatch(p -> p.spanId().equals(s.parentSpanId())))
        .toList();
    if (roots.size() != 1) {
      throw new AssertionError("expected one root span but found " + roots.size() + ": " + roots);
    }
    return roots.get(0);
  }

  /** The exchanges this process served. */
  public List<RecordedExchange> inbound() {
    return exchanges.stream().filter(e -> e.direction().equals("inbound")).toList();
  }

  /** The calls this process made. */
  public List<RecordedExchange> outbound() {
    return exchanges.stream().filter(e -> e.direction().equals("outbound")).toList();
  }

  /** The log lines at a level ({@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG}, {@code TRACE}). */
  public List<RecordedLog> logs(String level) {
    return logs.stream().filter(l -> l.level().equals(level)).toList();
  }

  /** The children of a span, in the order they were recorded. */
  public List<RecordedSpan> children(RecordedSpan parent) {
    return spans.stream().filter(s -> parent.spanId().equals(s.parentSpanId())).toList();
  }
}
