package io.mintaro.cli.internal.tui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.cli.internal.TuiCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Traces as large as the bad input, drawn on screens from 1 column up: a chain of 5,000
 * spans, 5,000 siblings, a span with 10,000 log lines. The timeouts guard against a hang (a
 * quadratic step per key would take minutes here), they measure nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeTraceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A TUI whose collector is unreachable: these tests never ask it anything. */
    final Tui tui = new Tui(TuiCommand.collectorApi("http://127.0.0.1:1", "unused", Duration.ofSeconds(1)));

    static ObjectNode trace(String name) {
        ObjectNode t = JSON.createObjectNode().put("traceId", "0123456789abcdef0123456789abcdef").put("name", name)
                .put("status", "error").put("durationMs", 12.5);
        t.putArray("services").add("orders");
        t.putArray("spans");
        t.putArray("messages");
        t.putArray("logs");
        return t;
    }

    static ObjectNode span(ObjectNode trace, String id, String parent, String name) {
        return ((ArrayNode) trace.get("spans")).addObject().put("spanId", id).put("parentSpanId", parent).put("name", name)
                .put("service", "orders").put("status", "succeeded").put("startUs", 1_000_000L).put("endUs", 1_002_000L);
    }

    TraceView open(ObjectNode trace) {
        TraceView view = new TraceView(tui.session(), trace, null);
        tui.show(view);
        return view;
    }

    String selected(Screen s) {
        for (int r = 0; r < s.height(); r++) {
            if (s.width() > 0 && s.attr(r, s.width() - 1) == Screen.Attr.SELECTED) {
                return s.line(r).strip();
            }
        }
        return null;
    }

    @Test
    void aChainOf5000SpansIsWalkedDownAndUpAndTheDeepestStaysReadable() {
        ObjectNode t = trace("deep");
        for (int i = 0; i < 5000; i++) {
            span(t, String.format("%016x", i + 1), i == 0 ? null : String.format("%016x", i), "span-" + i);
        }
        TraceView view = open(t);
        for (int i = 0; i < 4999; i++) {
            tui.handle(Key.of(Key.Kind.RIGHT));
            tui.render(120, 40);
        }
        Screen s = tui.render(120, 40);
        assertThat(selected(s)).contains("…4999").contains("span-4999");
        assertThat(view.model().depth(view.selectedNode())).isEqualTo(4999);
        tui.handle(Key.of(Key.Kind.RIGHT)); // no child: stays
        assertThat(selected(tui.render(120, 40))).contains("span-4999");
        for (int i = 0; i < 4999; i++) {
            tui.handle(Key.of(Key.Kind.LEFT));
        }
        assertThat(selected(tui.render(120, 40))).startsWith("▾ span-0");
        tui.handle(Key.of(Key.Kind.END));
        assertThat(selected(tui.render(120, 40))).contains("span-4999");
    }

    @Test
    void fiveThousandSiblingsAreSteppedThroughWithUpAndDown() {
        ObjectNode t = trace("wide");
        span(t, "00000000000000aa", null, "root");
        for (int i = 0; i < 5000; i++) {
            span(t, String.format("%016x", i + 1), "00000000000000aa", "child-" + i);
        }
        open(t);
        tui.handle(Key.of(Key.Kind.RIGHT));
        assertThat(selected(tui.render(80, 24))).contains("child-0 ");
        for (int i = 0; i < 4999; i++) {
            tui.handle(Key.of(Key.Kind.DOWN));
            tui.render(80, 24);
        }
        Screen s = tui.render(80, 24);
        assertThat(selected(s)).contains("child-4999");
        tui.handle(Key.of(Key.Kind.DOWN)); // the last sibling: stays
        assertThat(selected(tui.render(80, 24))).contains("child-4999");
        tui.handle(Key.of(Key.Kind.UP));
        assertThat(selected(tui.render(80, 24))).contains("child-4998");
        tui.handle(Key.of(Key.Kind.LEFT));
        assertThat(selected(tui.render(80, 24))).contains("root");
        // the tree pane shows a window of the 5,001 spans, not all of them
        assertThat(tui.render(80, 24).lines()).filteredOn(l -> l.contains("child-")).hasSizeLessThan(24);
    }

    @Test
    void tenThousandLogLinesScrollByPagesAndTheLevelsFilterThem() {
        ObjectNode t = trace("chatty");
        span(t, "00000000000000aa", null, "root");
        ArrayNode logs = (ArrayNode) t.get("logs");
        for (int i = 0; i < 10_000; i++) {
            logs.addObject().put("spanId", "00000000000000aa").put("level", i % 2 == 0 ? "DEBUG" : "INFO")
                    .put("logger", "app").put("message", "line " + i + (i == 9_999 ? " " + "x".repeat(50_000) : ""));
        }
        open(t);
        List<String> first = tui.render(100, 30).lines();
        assertThat(first).anyMatch(l -> l.contains("logs 10000")).anyMatch(l -> l.contains("line 0"));
        for (int i = 0; i < 2_000; i++) {
            tui.handle(Key.of(Key.Kind.PAGE_DOWN));
            tui.render(100, 30);
        }
        List<String> last = tui.render(100, 30).lines();
        assertThat(last).anyMatch(l -> l.contains("line 9999 xxx")).noneMatch(l -> l.contains("line 0 "));
        assertThat(last).allMatch(l -> l.length() <= 100);
        tui.handle(Key.of('d'));
        assertThat(tui.render(100, 30).lines()).noneMatch(l -> l.contains("DEBUG ")).anyMatch(l -> l.contains("line 9999"));
        tui.handle(Key.of('g'));
        assertThat(tui.render(100, 30).lines()).anyMatch(l -> l.contains("logs 5000 of 10000"))
                .anyMatch(l -> l.contains("line 1")).noneMatch(l -> l.contains("line 0"));
    }

    @Test
    void everyViewDrawsOnAnySizeFromNothingToOneColumn() {
        ObjectNode t = trace("tiny");
        span(t, "00000000000000aa", null, "root");
        span(t, "00000000000000bb", "00000000000000aa", "child");
        ((ArrayNode) t.get("logs")).addObject().put("spanId", "00000000000000bb").put("level", "ERROR")
                .put("message", "boom\nsecond line").putObject("error").put("type", "E").put("stack", "at x\nat y");
        int[][] sizes = {{0, 0}, {1, 1}, {1, 40}, {2, 2}, {3, 3}, {200, 1}, {1, 200}, {10, 5}, {80, 24}};
        for (int[] size : sizes) {
            assertThat(tui.render(size[0], size[1]).lines()).hasSize(size[1]).allMatch(l -> l.length() <= size[0]);
        }
        open(t);
        tui.handle(Key.of(Key.Kind.RIGHT));
        tui.handle(Key.of('?'));
        for (int[] size : sizes) {
            Screen s = tui.render(size[0], size[1]);
            assertThat(s.lines()).hasSize(size[1]).allMatch(l -> l.length() <= size[0]);
        }
        tui.handle(Key.of('x')); // closes the help
        List<String> oneColumn = tui.render(1, 40).lines();
        assertThat(oneColumn.get(oneColumn.size() - 1)).isEqualTo(""); // the status bar's first cell is blank
        assertThat(tui.render(60, 12).lines()).anyMatch(l -> l.contains("boom")).anyMatch(l -> l.contains("second line"));
    }

    @Test
    void spansInAParentCycleAndRecordsOfNoSpanAreStillShown() {
        ObjectNode t = trace("cycle");
        span(t, "00000000000000aa", "00000000000000bb", "ping");
        span(t, "00000000000000bb", "00000000000000aa", "pong");
        span(t, "00000000000000cc", "00000000000000cc", "self");
        ((ArrayNode) t.get("logs")).addObject().put("spanId", "00000000000000ff").put("level", "WARN").put("message", "orphan");
        open(t);
        List<String> lines = tui.render(80, 24).lines();
        assertThat(lines).anyMatch(l -> l.contains("ping")).anyMatch(l -> l.contains("pong"))
                .anyMatch(l -> l.contains("self")).anyMatch(l -> l.contains("(no span)"));
        tui.handle(Key.of(Key.Kind.END));
        assertThat(tui.render(80, 24).lines()).anyMatch(l -> l.contains("WARNING") && l.contains("orphan"));
    }

    @Test
    void logLinesShowTheirUtcTimeOfDayAndLevel() {
        ObjectNode t = trace("timed");
        span(t, "00000000000000aa", null, "root");
        ((ArrayNode) t.get("logs")).addObject().put("spanId", "00000000000000aa").put("timeUs", 1_763_700_000_123_456L)
                .put("level", "WARN").put("logger", "app").put("message", "late\nand long");
        open(t);
        assertThat(tui.render(80, 24).lines()).contains(" 04:40:00.123 WARNING  app  late", "              and long");
    }

    @Test
    void controlCharactersInALogCannotMoveTheCursor() {
        Screen s = new Screen(20, 1);
        s.put(0, 0, "a\u001b[2Jb\r\nc\u009bd", Screen.Attr.NORMAL);
        assertThat(s.line(0)).isEqualTo("a [2Jb  c d");
        assertThat(s.put(0, 18, "xyz", Screen.Attr.NORMAL)).isEqualTo(20);
        assertThat(s.line(0)).endsWith("xy");
    }
}
