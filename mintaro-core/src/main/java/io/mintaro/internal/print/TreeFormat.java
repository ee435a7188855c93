package io.mintaro.internal.print;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws one printed trace (the parsed JSON line of schema 1) as a tree for a terminal: each span
 * with its duration, and under it, in time order, its exchanges (one line each), its log lines,
 * its child spans and its error with the stack trace. Plain ANSI colours, or none.
 */
final class TreeFormat {
  /** Stack traces longer than this are cut; the JSON line keeps them whole. */
  static final int MAX_STACK_LINES = 30;
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";

  private final boolean colour;
  private final DateTimeFormatter clock;

  TreeFormat(boolean colour) {
    this(colour, ZoneId.systemDefault());
  }

  TreeFormat(boolean colour, ZoneId zone) {
    this.colour = colour;
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
  }

  /** @param line the parsed JSON line: {@code mintaro}, {@code agent}, {@code batch} */
  String render(Object line) {
    Map<?, ?> root = (Map<?, ?>) line;
    Map<?, ?> agent = (Map<?, ?>) root.get("agent");
    Map<?, ?> batch = (Map<?, ?>) root.get("batch");
    Map<?, ?> trace = (Map<?, ?>) list(batch.get("traces")).get(0);
    StringBuilder out = new StringBuilder(1024);
    out.append(paint(BOLD + CYAN, "mintaro")).append(' ').append(paint(BOLD, str(agent.get("service"))))
        .append("  trace ").append(str(trace.get("traceId")));
    for (Object t : list(batch.get("triggers"))) {
      Map<?, ?> trigger = (Map<?, ?>) t;
      out.append("\n  ").append(paint(YELLOW, str(trigger.get("kind")) + ": " + str(trigger.get("reason"))));
    }
    out.append('\n');
    List<Map<?, ?>> spans = maps(trace.get("spans"));
    Set<String> spanIds = new HashSet<>();
    for (Map<?, ?> s : spans) {
      spanIds.add(str(s.get("spanId")));
    }
    List<Item> top = new ArrayList<>();
    for (Map<?, ?> s : spans) {
      if (!spanIds.contains(str(s.get("parentSpanId")))) {
        top.add(new Item(num(s.get("startUs")), s, 'S'));
      }
    }
    for (Map<?, ?> m : maps(trace.get("messages"))) {
      if (!spanIds.contains(str(m.get("spanId")))) {
        top.add(new Item(num(m.get("startUs")), m, 'M'));
      }
    }
    for (Map<?, ?> l : maps(trace.get("logs"))) {
      if (!spanIds.contains(str(l.get("spanId")))) {
        top.add(new Item(num(l.get("timeUs")), l, 'L'));
      }
    }
    top.sort(Comparator.comparingLong(i -> i.timeUs));
    for (int i = 0; i < top.size(); i++) {
      item(out, trace, top.get(i), "", i == top.size() - 1);
    }
    return out.toString();
  }

  private void item(StringBuilder out, Map<?, ?> trace, Item item, String indent, boolean last) {
    String branch = indent + (last ? "└─ " : "├─ ");
    String under = indent + (last ? "   " : "│  ");
    switch (item.what) {
      case 'S' -> span(out, trace, item.data, branch, under);
      case 'M' -> out.append(branch).append(exchange(item.data)).append('\n');
      case 'L' -> log(out, item.data, branch, under);
      case 'E' -> error(out, item.data, branch, under);
      default -> { }
    }
  }

  private void span(StringBuilder out, Map<?, ?> trace, Map<?, ?> span, String branch, String under) {
    String status = str(span.get("status"));
    boolean failed = "failed".equals(status);
    out.append(branch).append(paint(failed ? BOLD + RED : BOLD, str(span.get("name"))))
        .append("  ").append(paint(DIM, str(span.get("kind")))).append("  ");
    Object end = span.get("endUs");
    out.append(end == null ? paint(YELLOW, "running") : paint(CYAN, duration(num(end) - num(span.get("startUs")))));
    if (failed) {
      out.append("  ").append(paint(RED, "failed"));
    }
    out.append('\n');
    String id = str(span.get("spanId"));
    List<Item> children = new ArrayList<>();
    for (Map<?, ?> s : maps(trace.get("spans"))) {
      if (id.equals(str(s.get("parentSpanId")))) {
        children.add(new Item(num(s.get("startUs")), s, 'S'));
      }
    }
    for (Map<?, ?> m : maps(trace.get("messages"))) {
      if (id.equals(str(m.get("spanId")))) {
        children.add(new Item(num(m.get("startUs")), m, 'M'));
      }
    }
    for (Map<?, ?> l : maps(trace.get("logs"))) {
      if (id.equals(str(l.get("spanId")))) {
        children.add(new Item(num(l.get("timeUs")), l, 'L'));
      }
    }
    children.sort(Comparator.comparingLong(i -> i.timeUs));
    if (span.get("error") instanceof Map) {
      children.add(new Item(Long.MAX_VALUE, (Map<?, ?>) span.get("error"), 'E'));
    }
    for (int i = 0; i < children.size(); i++) {
      item(out, trace, children.get(i), under, i == children.size() - 1);
    }
  }

  private String exchange(Map<?, ?> m) {
    long status = num(m.get("status"));
    String arrow = "inbound".equals(str(m.get("direction"))) ? "⇠ " : "⇢ ";
    String answer = status == 0
        ? paint(RED, "no response" + (m.get("error") == null ? "" : " (" + str(m.get("error")) + ")"))
        : paint(status >= 500 ? RED : status >= 400 ? YELLOW : GREEN, Long.toString(status));
    return paint(DIM, arrow) + str(m.get("method")) + " " + str(m.get("url")) + " → " + answer + "  "
        + paint(CYAN, duration(num(m.get("durationUs"))));
  }

  private void log(StringBuilder out, Map<?, ?> l, String branch, String under) {
    String level = str(l.get("level"));
    String style = switch (level) {
      case "ERROR" -> RED;
      case "WARN" -> YELLOW;
      case "INFO" -> GREEN;
      default -> DIM;
    };
    out.append(branch).append(paint(DIM, clock.format(Instant.EPOCH.plusNanos(num(l.get("timeUs")) * 1000))))
        .append(' ').append(paint(style, String.format(Locale.ROOT, "%-5s", level))).append(' ')
        .append(paint(DIM, shortLogger(str(l.get("logger"))))).append("  ").append(str(l.get("message"))).append('\n');
    if (l.get("error") instanceof Map) {
      Map<?, ?> e = (Map<?, ?>) l.get("error");
      out.append(under).append("   ").append(paint(RED, str(e.get("type")) + ": " + str(e.get("message")))).append('\n');
      stack(out, e, under + "     ");
    }
  }

  private void error(StringBuilder out, Map<?, ?> e, String branch, String under) {
    out.append(branch).append(paint(BOLD + RED, "✗ " + str(e.get("type")) + ": " + str(e.get("message")))).append('\n');
    stack(out, e, under + "   ");
  }

  /** The stack trace under its error, without the first line that repeats type and message. */
  private void stack(StringBuilder out, Map<?, ?> e, String indent) {
    String stack = e.get("stack") instanceof String ? (String) e.get("stack") : "";
    String[] lines = stack.split("\r?\n");
    int shown = 0;
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      if (shown == MAX_STACK_LINES) {
        out.append(indent).append(paint(DIM, "... " + (lines.length - i) + " more lines")).append('\n');
        return;
      }
      out.append(indent).append(paint(DIM, lines[i].strip())).append('\n');
      shown++;
    }
  }

  /** {@code io.mintaro.demo.Payments} is {@code i.m.d.Payments}: the class is what a reader needs. */
  static String shortLogger(String logger) {
    String[] parts = logger.split("\\.");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      s.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
    }
    return s.append(parts[parts.length - 1]).toString();
  }

  static String duration(long micros) {
    if (micros < 1000) {
      return micros + " µs";
    }
    if (micros < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
    return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
  }

  private String paint(String style, String text) {
    return colour ? style + text + RESET : text;
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  private static long num(Object o) {
    return o instanceof Number ? ((Number) o).longValue() : 0;
  }

  private static List<?> list(Object o) {
    return o instanceof List ? (List<?>) o : List.of();
  }

  private static List<Map<?, ?>> maps(Object o) {
    List<Map<?, ?>> maps = new ArrayList<>();
    for (Object e : list(o)) {
      if (e instanceof Map) {
        maps.add((Map<?, ?>) e);
      }
    }
    return maps;
  }

  private static final class Item {
    final long timeUs;
    final Map<?, ?> data;
    final char what;

    Item(long timeUs, Map<?, ?> data, char what) {
      this.timeUs = timeUs;
      this.data = data;
      this.what = what;
    }
  }
}
