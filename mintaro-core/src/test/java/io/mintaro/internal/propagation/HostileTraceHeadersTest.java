package io.mintaro.internal.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mintaro.http.ServerExchange;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile trace headers (oversize, CRLF, non-ASCII, thousands of members) restart the trace or
 * drop the tracestate as the specifications say, never throw, and never make Mintaro allocate
 * in proportion to what the caller sent: a request costs a bounded amount of memory, whatever
 * its headers.
 */
class HostileTraceHeadersTest {
  private static final String OWN = "mintaro=3f2a9c0d11b4e7a1";
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String B3_VALUE = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1";
  private static final String AWS = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final String MEGABYTE = "a".repeat(1 << 20);

  @Test
  void oversizeValuesAreRejectedWithoutBeingRead() {
    assertThat(TraceHeaders.parseTraceparent("cc" + TRACEPARENT.substring(2) + "-" + MEGABYTE)).isNull();
    assertThat(TraceState.forward("a=" + MEGABYTE, OWN)).isNull();
    assertThat(TraceState.forward("a=1," + "b=2,".repeat(10_000), OWN)).isNull();
    assertThat(B3.parseSingle(B3_VALUE + MEGABYTE)).isNull();
    assertThat(AwsTraceHeader.parse(AWS + ";X=" + MEGABYTE)).isNull();
    assertThat(TraceHeaders.parseMintaroTrace(MEGABYTE)).isNull();
    assertThat(TraceHeaders.parseAgentId(MEGABYTE)).isNull();
  }

  @Test
  void tenThousandTracestateMembersDropTheTracestate() {
    String members = IntStream.range(0, 10_000).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));

    assertThat(members.length()).as("past the read limit").isGreaterThan(TraceState.MAX_READ);
    assertThat(TraceState.forward(members.substring(0, members.indexOf(",k3000=")), OWN)).as("within it: read up to the 33rd")
        .isNull();
    assertThat(TraceState.forward(members, OWN)).isNull();
  }

  @Test
  void lineBreaksNeverPassForWhitespace() {
    assertThat(TraceHeaders.parseTraceparent(TRACEPARENT + "\r\n")).isNull();
    assertThat(TraceHeaders.parseTraceparent(TRACEPARENT.substring(0, 20) + "\r\n" + TRACEPARENT.substring(20))).isNull();
    assertThat(TraceState.forward("rojo=1\r\nX-Injected: yes", OWN)).isNull();
    assertThat(TraceState.forward("rojo=1,\r\ncongo=2", OWN)).isNull();
    assertThat(B3.parseSingle(B3_VALUE + "\r\n")).isNull();
    assertThat(AwsTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793\r\nX-Injected: yes")).isNull();
    assertThat(TraceHeaders.parseMintaroTrace("4bf92f3577b34da6a3ce929d0e0e4736\r\n")).isNull();
  }

  @Test
  void nonAsciiCharactersAreNeverHexOrTracestate() {
    assertThat(TraceHeaders.parseTraceparent(TRACEPARENT.replace('4', '\u0664'))).isNull();
    assertThat(TraceHeaders.parseTraceparent(TRACEPARENT.replace('7', '\uff17'))).isNull();
    assertThat(TraceState.forward("rojo=caf\u00e9", OWN)).isNull();
    assertThat(TraceState.forward("r\u00f6jo=1", OWN)).isNull();
    assertThat(TraceState.forward("rojo=\uD83D\uDE00", OWN)).isNull();
    assertThat(B3.parseSingle(B3_VALUE.replace('8', '\u0668'))).isNull();
    assertThat(AwsTraceHeader.parse(AWS.replace('5', '\u0665'))).isNull();
  }

  @Test
  void randomGarbageNeverThrows() {
    Random random = new Random(11);
    String alphabet = "0123456789abcdefABCDEF-_=,;@ \t\r\n\u0000\u00e9\u0664\uD83D\uDE00xyzRootParentSampled";
    String[] seeds = {TRACEPARENT, "rojo=1,congo=t61rcWkgMzE", B3_VALUE, AWS, "0"};
    Map<String, String> headers = new HashMap<>();
    UnaryOperator<String> reader = headers::get;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
      for (int e = 0, edits = 1 + random.nextInt(6); e < edits && b.length() > 0; e++) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> b.deleteCharAt(at);
          default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String value = b.toString();
      headers.clear();
      for (String name : new String[] {"traceparent", "b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled",
          "X-B3-Flags", "X-B3-ParentSpanId", "X-Mintaro-Trace", "X-Amzn-Trace-Id"}) {
        headers.put(name, value);
      }
      assertThatCode(() -> {
        TraceHeaders.extract(reader);
        TraceState.Forwarded f = TraceState.forward(value, OWN);
        if (f != null) {
          assertThat(f.value).startsWith(OWN).doesNotContain("\r", "\n", "\t");
          assertThat(f.value.length()).isLessThanOrEqualTo(TraceState.MAX_LENGTH);
        }
      }).as(value).doesNotThrowAnyException();
    }
  }

  @Test
  void aReaderThatThrowsIsAnAbsentHeader() {
    assertThat(TraceHeaders.extract(name -> {
      throw new IllegalStateException("the container went away");
    })).isNull();
    assertThat(TraceHeaders.extract(null)).isNull();
  }

  @Test
  void parsingATracestateAllocatesABoundedAmountWhateverItsSize() {
    String tenThousand = IntStream.range(0, 10_000).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    String largestValid = IntStream.range(0, 32).mapToObj(i -> "k" + i + "=" + "v".repeat(250))
        .collect(Collectors.joining(","));
    String huge = "a=" + MEGABYTE.substring(0, TraceState.MAX_READ);

    assertThat(TraceState.forward(largestValid, OWN).value.length()).isLessThanOrEqualTo(TraceState.MAX_LENGTH);
    long perCallTenThousand = allocatedPerCall(() -> TraceState.forward(tenThousand, OWN));
    long perCallLargest = allocatedPerCall(() -> TraceState.forward(largestValid, OWN));
    long perCallHuge = allocatedPerCall(() -> TraceState.forward(huge, OWN));

    // two arrays of 32 offsets, and a result of at most 512 characters
    assertThat(perCallTenThousand).as("10,000 members").isLessThan(1024);
    assertThat(perCallLargest).as("32 members of 254 characters").isLessThan(4096);
    assertThat(perCallHuge).as("a value past the read limit").isLessThan(1024);
  }

  @Test
  void continuingAValidTraceparentAllocatesOnlyTheParsedPosition() {
    Map<String, String> headers = new HashMap<>(Map.of("traceparent", TRACEPARENT, "host", "orders:8082"));
    UnaryOperator<String> reader = headers::get;

    long perCall = allocatedPerCall(() -> TraceHeaders.extract(reader));

    assertThat(perCall).as("one Incoming, nothing proportional to the headers").isLessThanOrEqualTo(48);
  }

  @Test
  void joiningRepeatedValuesStopsPastTheLongestValueAnyParserReads() {
    List<String> values = Collections.nCopies(10_000, "k=" + "v".repeat(100));

    String joined = ServerExchange.combine(values);

    assertThat(joined).hasSize(ServerExchange.MAX_COMBINED + 1);
    assertThat(TraceState.forward(joined, OWN)).as("too long to be a tracestate").isNull();
    assertThat(ServerExchange.combine(List.of(TRACEPARENT))).as("one value is passed as it is").isSameAs(TRACEPARENT);
    assertThat(ServerExchange.combine(List.of())).isNull();
    assertThat(ServerExchange.combine(List.of("a", "b"))).isEqualTo("a,b");
  }

  /** Bytes allocated by the current thread per call, averaged over many calls after a warm-up. */
  private static long allocatedPerCall(Supplier<?> call) {
    try {
      Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
      Object threads = ManagementFactory.getThreadMXBean();
      int sink = 0;
      for (int i = 0; i < 20_000; i++) {
        sink += System.identityHashCode(call.get()) & 1;
      }
      int calls = 20_000;
      long before = (long) allocated.invoke(threads);
      for (int i = 0; i < calls; i++) {
        sink += System.identityHashCode(call.get()) & 1;
      }
      long after = (long) allocated.invoke(threads);
      assertThat(sink).isGreaterThanOrEqualTo(0);
      return (after - before) / calls;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("this JVM does not report allocated bytes", e);
    }
  }
}
