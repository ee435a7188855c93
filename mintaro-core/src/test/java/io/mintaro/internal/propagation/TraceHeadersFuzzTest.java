package io.mintaro.internal.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.HostileText;
import io.mintaro.internal.context.Ids;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests of the trace header parsers: whatever a caller sends, a parse never throws and
 * yields either a well-formed trace position or none; every valid value, written the ways the
 * specifications allow, reads back as what it says; and a value past a parser's limit is dropped.
 */
class TraceHeadersFuzzTest {
  private static final String OWN = "mintaro=3f2a9c0d11b4e7a1";
  private static final String HEX = "0123456789abcdef";

  // ------------------------------------------------------------------ traceparent

  @Property(tries = 1_000)
  void aValidTraceparentIsContinuedAsItSays(@ForAll("traceparentIds") long[] ids,
      @ForAll @IntRange(min = 0, max = 255) int flags, @ForAll("versions") String version,
      @ForAll("ows") String before, @ForAll("ows") String after) {
    String extra = version.equals("00") ? "" : "-future-fields";
    String value = before + String.format("%s-%016x%016x-%016x-%02x", version, ids[0], ids[1], ids[2], flags)
        + extra + after;

    TraceHeaders.Incoming in = TraceHeaders.parseTraceparent(value);

    assertThat(in).as(value).isNotNull();
    assertThat(new long[] {in.traceHi, in.traceLo, in.parentSpanId}).isEqualTo(ids);
    assertThat(in.flags).isEqualTo((byte) (flags & TraceHeaders.W3C_FLAGS));
    assertThat(in.format).isEqualTo(TraceHeaders.FORMAT_W3C);
  }

  @Property(tries = 500)
  void formattingATraceparentAndParsingItIsTheIdentity(@ForAll("traceparentIds") long[] ids, @ForAll byte flags) {
    String value = TraceHeaders.formatTraceparent(ids[0], ids[1], ids[2], flags);

    TraceHeaders.Incoming in = TraceHeaders.parseTraceparent(value);

    assertThat(value).hasSize(55);
    assertThat(new long[] {in.traceHi, in.traceLo, in.parentSpanId}).isEqualTo(ids);
    assertThat(in.flags).isEqualTo((byte) (flags & TraceHeaders.W3C_FLAGS));
  }

  @Property(tries = 1_000)
  void anyTraceparentIsAWellFormedPositionOrNone(@ForAll("hostileTraceparents") String value) {
    TraceHeaders.Incoming in = TraceHeaders.parseTraceparent(value);

    if (in != null) {
      assertWellFormed(in);
      String t = withoutOws(value);
      assertThat(t.length() == 55 || (t.charAt(55) == '-' && !t.startsWith("00") && t.indexOf(',') < 0))
          .as("version 00 is exactly 55 characters, a later one continues with a dash: %s", value).isTrue();
      assertThat(t.substring(3, 35)).isEqualTo(Ids.traceHex(in.traceHi, in.traceLo));
      assertThat(t.substring(36, 52)).isEqualTo(Ids.hex(in.parentSpanId));
      assertThat(value.length()).isLessThanOrEqualTo(TraceHeaders.MAX_TRACEPARENT);
    }
  }

  @Property(tries = 200)
  void aTraceparentPastItsLimitIsDroppedUnread(@ForAll("oversizedTraceparents") String value) {
    assertThat(TraceHeaders.parseTraceparent(value)).isNull();
  }

  // ------------------------------------------------------------------ tracestate

  @Property(tries = 300)
  void aValidTracestateIsForwardedInOrderWithinTheLimits(@ForAll("tracestateMembers") List<String> members,
      @ForAll("separators") List<String> separators, @ForAll("agentIds") String upstream,
      @ForAll @IntRange(min = -1, max = 32) int upstreamAt) {
    List<String> sent = new ArrayList<>(members);
    boolean withUpstream = upstreamAt >= 0 && members.size() < TraceState.MAX_MEMBERS;
    if (withUpstream) {
      sent.add(Math.min(upstreamAt, sent.size()), TraceState.KEY + "=" + upstream);
    }
    StringBuilder received = new StringBuilder();
    for (int i = 0; i < sent.size(); i++) {
      received.append(i == 0 ? "" : separators.get(i % separators.size())).append(sent.get(i));
    }

    TraceState.Forwarded out = TraceState.forward(received.toString(), OWN);

    assertThat(out).as(received.toString()).isNotNull();
    assertThat(out.upstreamAgent).isEqualTo(withUpstream ? upstream : null);
    List<String> forwarded = List.of(out.value.split(","));
    assertThat(forwarded.get(0)).isEqualTo(OWN);
    List<String> others = forwarded.subList(1, forwarded.size());
    assertThat(isSubsequence(others, members)).as("%s keeps the order of %s", others, members).isTrue();
    assertThat(out.value.length()).isLessThanOrEqualTo(TraceState.MAX_LENGTH);
    assertThat(forwarded.size()).isLessThanOrEqualTo(TraceState.MAX_MEMBERS);
    int wholeLength = OWN.length() + members.stream().mapToInt(m -> m.length() + 1).sum();
    if (wholeLength <= TraceState.MAX_LENGTH && members.size() < TraceState.MAX_MEMBERS) {
      assertThat(others).as("everything fits, so nothing is dropped").isEqualTo(members);
    }
  }

  @Property(tries = 1_000)
  void anyTracestateIsForwardedValidOrDropped(@ForAll("hostileTracestates") String received) {
    TraceState.Forwarded out = TraceState.forward(received, OWN);

    if (out != null) {
      assertThat(out.value).startsWith(OWN);
      assertThat(out.value.length()).isLessThanOrEqualTo(TraceState.MAX_LENGTH);
      String[] members = out.value.split(",", -1);
      assertThat(members.length).isLessThanOrEqualTo(TraceState.MAX_MEMBERS);
      Set<String> keys = new HashSet<>();
      for (String m : members) {
        assertThat(TraceState.validMember(m, 0, m.length())).as("member '%s' of %s", m, received).isPositive();
        assertThat(keys.add(m.substring(0, m.indexOf('=')))).as("one member per key: %s", out.value).isTrue();
      }
      for (int i = 1; i < members.length; i++) {
        assertThat(received).contains(members[i]);
      }
      if (out.upstreamAgent != null) {
        assertThat(out.upstreamAgent).matches("[0-9a-f]{16}");
      }
    }
  }

  @Property(tries = 100)
  void aTracestatePastTheReadLimitIsDroppedUnread(@ForAll("oversizedTracestates") String received) {
    assertThat(TraceState.forward(received, OWN)).isNull();
  }

  // ------------------------------------------------------------------ X-Mintaro-Trace, X-Mintaro-Caller/Callee ids

  @Property(tries = 1_000)
  void aValidMintaroTraceIsReadInEitherCase(@ForAll("traceparentIds") long[] ids, @ForAll("upperCaseMask") long mask,
      @ForAll("ows") String before, @ForAll("ows") String after) {
    String hex = withCase(Ids.traceHex(ids[0], ids[1]), mask);

    TraceHeaders.Incoming in = TraceHeaders.parseMintaroTrace(before + hex + after);

    assertThat(in.traceHi).isEqualTo(ids[0]);
    assertThat(in.traceLo).isEqualTo(ids[1]);
    assertThat(in.parentSpanId).isZero();
    assertThat(in.format).isEqualTo(TraceHeaders.FORMAT_MINTARO);
  }

  @Property(tries = 1_000)
  void anyMintaroTraceIsAWellFormedTraceOrNone(@ForAll("hostileMintaroTraces") String value) {
    TraceHeaders.Incoming in = TraceHeaders.parseMintaroTrace(value);

    if (in != null) {
      assertWellFormed(in);
      assertThat(withoutOws(value).toLowerCase(Locale.ROOT)).isEqualTo(Ids.traceHex(in.traceHi, in.traceLo));
    }
  }

  @Property(tries = 1_000)
  void anAgentIdIsSixteenLowercaseHexDigitsOrNone(@ForAll("hostileAgentIds") String value) {
    String id = TraceHeaders.parseAgentId(value);

    if (id != null) {
      assertThat(id).matches("[0-9a-f]{16}").isEqualTo(withoutOws(value));
    }
  }

  @Property(tries = 500)
  void aValidAgentIdIsReadWithoutItsWhitespace(@ForAll("agentIds") String id, @ForAll("ows") String before,
      @ForAll("ows") String after) {
    assertThat(TraceHeaders.parseAgentId(before + id + after)).isEqualTo(id);
  }

  // ------------------------------------------------------------------ B3

  @Property(tries = 1_000)
  void aB3HeaderWrittenForACallIsReadBackAsTheCallersPosition(@ForAll("b3Ids") long[] ids,
      @ForAll("b3Flags") byte flags) {
    String single = B3.formatSingle(ids[0], ids[1], ids[2], ids[3], flags);
    Map<String, String> multi = new HashMap<>();
    B3.writeMulti(ids[0], ids[1], ids[2], ids[3], flags, multi::put);

    for (TraceHeaders.Incoming in : List.of(B3.parseSingle(single), B3.parseMulti(multi::get))) {
      assertThat(new long[] {in.traceHi, in.traceLo, in.parentSpanId}).as(single)
          .isEqualTo(new long[] {ids[0], ids[1], ids[2]});
      assertThat(in.flags).isEqualTo(flags);
    }
  }

  @Property(tries = 1_000)
  void anyB3HeaderIsAWellFormedPositionOrNone(@ForAll("hostileB3") String value) {
    TraceHeaders.Incoming in = B3.parseSingle(value);

    if (in != null) {
      assertWellFormed(in);
      assertThat(in.format).isEqualTo(TraceHeaders.FORMAT_B3);
      String first = withoutOws(value.split(",", -1)[0]);
      if (in.samplingOnly()) {
        assertThat(first).isIn("0", "1", "d");
      } else {
        String trace = in.traceHi == 0 && first.charAt(16) == '-' ? Ids.hex(in.traceLo)
            : Ids.traceHex(in.traceHi, in.traceLo);
        assertThat(first).startsWith(trace + "-" + Ids.hex(in.parentSpanId));
      }
    }
  }

  @Property(tries = 1_000)
  void anyMultiHeaderB3IsAWellFormedPositionOrNone(@ForAll("hostileB3Multi") Map<String, String> headers) {
    TraceHeaders.Incoming in = B3.parseMulti(headers::get);

    if (in != null) {
      assertWellFormed(in);
      assertThat(in.format).isEqualTo(TraceHeaders.FORMAT_B3_MULTI);
      if (!in.samplingOnly()) {
        assertThat(headers.get(B3.TRACE_ID)).contains(Ids.hex(in.traceLo));
        assertThat(headers.get(B3.SPAN_ID)).contains(Ids.hex(in.parentSpanId));
      }
    }
  }

  // ------------------------------------------------------------------ X-Amzn-Trace-Id

  @Property(tries = 1_000)
  void aValidAwsHeaderIsReadInAnyFieldOrderAndCase(@ForAll("awsHeaders") AwsCase aws) {
    TraceHeaders.Incoming in = AwsTraceHeader.parse(aws.value);

    assertThat(in).as(aws.value).isNotNull();
    assertThat(new long[] {in.traceHi, in.traceLo, in.parentSpanId}).as(aws.value)
        .isEqualTo(new long[] {aws.hi, aws.lo, aws.parent});
    assertThat(in.flags).isEqualTo(aws.flags);
    assertThat(in.awsTraceHeader).isEqualTo(aws.value.split(",", -1)[0]);
  }

  @Property(tries = 1_000)
  void anyAwsHeaderIsAWellFormedTraceOrNone(@ForAll("hostileAws") String value) {
    TraceHeaders.Incoming in = AwsTraceHeader.parse(value);

    if (in != null) {
      assertWellFormed(in);
      assertThat(in.format).isEqualTo(TraceHeaders.FORMAT_AWS);
      assertThat(value).startsWith(in.awsTraceHeader);
      assertThat(in.awsTraceHeader.length()).isLessThanOrEqualTo(AwsTraceHeader.MAX_LENGTH);
      assertThat(in.awsTraceHeader.toLowerCase(Locale.ROOT)).contains(
          Ids.traceHex(in.traceHi, in.traceLo).substring(8, 32));
    }
  }

  @Property(tries = 100)
  void b3AndAwsValuesPastTheirLimitsAreDroppedUnread(@ForAll("oversizedB3") String b3,
      @ForAll("oversizedAws") String aws) {
    assertThat(B3.parseSingle(b3)).isNull();
    assertThat(AwsTraceHeader.parse(aws)).isNull();
  }

  // ------------------------------------------------------------------ all formats at once

  @Property(tries = 1_000)
  void anyRequestsHeadersYieldAWellFormedPositionOrNone(@ForAll("hostileRequests") Map<String, String> headers) {
    TraceHeaders.Incoming in = TraceHeaders.extract(headers::get);

    if (in != null) {
      assertWellFormed(in);
    }
    TraceHeaders.Incoming w3c = TraceHeaders.parseTraceparent(headers.get(TraceHeaders.TRACEPARENT));
    if (w3c != null) {
      assertThat(in.format).as("a valid traceparent wins").isEqualTo(TraceHeaders.FORMAT_W3C);
    }
  }

  // ------------------------------------------------------------------ invariants and helpers

  /** What every parsed position satisfies, whatever header it came from. */
  private static void assertWellFormed(TraceHeaders.Incoming in) {
    assertThat(in.format).isBetween(TraceHeaders.FORMAT_W3C, TraceHeaders.FORMAT_AWS);
    assertThat(in.flags & ~(TraceHeaders.W3C_FLAGS | TraceHeaders.FLAG_DEBUG)).as("flags").isZero();
    if (in.samplingOnly()) {
      assertThat(in.format).isIn(TraceHeaders.FORMAT_B3, TraceHeaders.FORMAT_B3_MULTI);
      assertThat(in.parentSpanId).isZero();
    } else if (in.format != TraceHeaders.FORMAT_MINTARO && in.format != TraceHeaders.FORMAT_AWS) {
      assertThat(in.parentSpanId).as("the caller's span").isNotZero();
    }
    assertThat(in.awsTraceHeader == null).isEqualTo(in.format != TraceHeaders.FORMAT_AWS);
  }

  private static String withoutOws(String s) {
    int from = TraceHeaders.skipOws(s, 0, s.length());
    return s.substring(from, TraceHeaders.trimOws(s, from, s.length()));
  }

  private static boolean isSubsequence(List<String> part, List<String> whole) {
    int at = 0;
    for (String p : part) {
      while (at < whole.size() && !whole.get(at).equals(p)) {
        at++;
      }
      if (at++ == whole.size()) {
        return false;
      }
    }
    return true;
  }

  private static String withCase(String hex, long upperMask) {
    char[] c = hex.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if ((upperMask >>> (i % 64) & 1) != 0) {
        c[i] = Character.toUpperCase(c[i]);
      }
    }
    return new String(c);
  }

  private static Arbitrary<String> hex(int length) {
    return Arbitraries.strings().withChars(HEX).ofLength(length);
  }

  @Provide
  Arbitrary<String> ows() {
    return Arbitraries.strings().withChars(" \t").ofMaxLength(3);
  }

  @Provide
  Arbitrary<Long> upperCaseMask() {
    return Arbitraries.longs();
  }

  /** Trace hi, lo and a span id: the trace id not all zero, the span id not zero. */
  @Provide
  Arbitrary<long[]> traceparentIds() {
    Arbitrary<Long> any = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE));
    return Combinators.combine(any, any, any).as((hi, lo, span) -> new long[] {hi, lo, span})
        .filter(ids -> (ids[0] != 0 || ids[1] != 0) && ids[2] != 0);
  }

  @Provide
  Arbitrary<String> versions() {
    return Arbitraries.oneOf(Arbitraries.just("00"), hex(2).filter(v -> !v.equals("ff")));
  }

  @Provide
  Arbitrary<String> agentIds() {
    return hex(16);
  }

  private Arbitrary<String> validTraceparents() {
    return Combinators.combine(traceparentIds(), Arbitraries.integers().between(0, 255), versions(), ows())
        .as((ids, flags, version, ows) -> ows + String.format("%s-%016x%016x-%016x-%02x", version, ids[0], ids[1],
            ids[2], flags) + (version.equals("00") ? "" : "-x") + ows);
  }

  @Provide
  Arbitrary<String> hostileTraceparents() {
    return Arbitraries.oneOf(HostileText.validOrNearMiss(validTraceparents()), HostileText.anyText(80));
  }

  @Provide
  Arbitrary<String> oversizedTraceparents() {
    return HostileText.oversized(validTraceparents(), TraceHeaders.MAX_TRACEPARENT, "-a");
  }

  private static Arbitrary<String> tracestateMember(Arbitrary<String> keys, int maxValue) {
    Arbitrary<String> value = Combinators.combine(
        Arbitraries.strings().withCharRange((char) 0x20, (char) 0x7e).withChars(",=".toCharArray())
            .ofMaxLength(maxValue - 1).map(v -> v.replace(",", "").replace("=", "")),
        Arbitraries.strings().withCharRange('!', '~').ofLength(1).filter(c -> !c.equals(",") && !c.equals("=")))
        .as(String::concat);
    return Combinators.combine(keys, value).as((k, v) -> k + "=" + v);
  }

  private static Arbitrary<String> tracestateKeys(int maxLength) {
    Arbitrary<String> first = Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(1);
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("_-*/@")
        .ofMaxLength(maxLength - 1);
    return Combinators.combine(first, rest).as(String::concat).filter(k -> !k.equals(TraceState.KEY));
  }

  /** Up to 32 valid members with distinct keys, none of them Mintaro's. */
  @Provide
  Arbitrary<List<String>> tracestateMembers() {
    return tracestateMembers(TraceState.MAX_MEMBERS, 256);
  }

  private static Arbitrary<List<String>> tracestateMembers(int maxMembers, int maxValue) {
    return tracestateMember(tracestateKeys(40), maxValue).list().ofMaxSize(maxMembers)
        .uniqueElements(m -> m.substring(0, m.indexOf('=')));
  }

  /** A comma with optional whitespace, and sometimes empty members, around it. */
  @Provide
  Arbitrary<List<String>> separators() {
    return Combinators.combine(ows(), ows(), Arbitraries.of(",", ",,", ", ,", ",\t,")).as((a, b, c) -> a + c + b)
        .list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> hostileTracestates() {
    Arbitrary<String> valid = tracestateMembers(6, 20).map(l -> String.join(",", l));
    Arbitrary<String> withOurs = Combinators.combine(valid, HostileText.validOrNearMiss(hex(16)))
        .as((v, id) -> TraceState.KEY + "=" + id + "," + v);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(valid), HostileText.mutationsOf(withOurs),
        HostileText.anyText(200));
  }

  @Provide
  Arbitrary<String> oversizedTracestates() {
    return HostileText.oversized(tracestateMembers().map(l -> String.join(",", l)), TraceState.MAX_READ, ",k=v");
  }

  @Provide
  Arbitrary<String> hostileMintaroTraces() {
    Arbitrary<String> valid = Combinators.combine(traceparentIds(), upperCaseMask(), ows())
        .as((ids, mask, ows) -> ows + withCase(Ids.traceHex(ids[0], ids[1]), mask) + ows);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(valid), HostileText.anyText(70));
  }

  @Provide
  Arbitrary<String> hostileAgentIds() {
    Arbitrary<String> valid = Combinators.combine(hex(16), ows()).as((id, ows) -> ows + id + ows);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(valid), HostileText.anyText(70));
  }

  /** Trace hi (0 for a 64-bit trace id), lo, span and parent span (0 for none); ids not zero. */
  @Provide
  Arbitrary<long[]> b3Ids() {
    Arbitrary<Long> any = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L));
    return Combinators.combine(any, any, any, any).as((hi, lo, span, parent) -> new long[] {hi, lo, span, parent})
        .filter(ids -> (ids[0] != 0 || ids[1] != 0) && ids[2] != 0);
  }

  /** The three decisions B3 sends: deny, accept, debug. */
  @Provide
  Arbitrary<Byte> b3Flags() {
    return Arbitraries.of((byte) 0, TraceHeaders.FLAG_SAMPLED,
        (byte) (TraceHeaders.FLAG_SAMPLED | TraceHeaders.FLAG_DEBUG));
  }

  private Arbitrary<String> validB3() {
    Arbitrary<String> full = Combinators.combine(b3Ids(), b3Flags())
        .as((ids, flags) -> B3.formatSingle(ids[0], ids[1], ids[2], ids[3], flags));
    Arbitrary<String> withoutSampling = full.map(v -> v.substring(0, v.indexOf('-') + 17));
    return Arbitraries.oneOf(full, withoutSampling, Arbitraries.of("0", "1", "d"));
  }

  @Provide
  Arbitrary<String> hostileB3() {
    Arbitrary<String> repeated = Combinators.combine(validB3(), HostileText.anyText(40)).as((v, w) -> v + "," + w);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(validB3()), HostileText.mutationsOf(repeated),
        HostileText.anyText(90));
  }

  @Provide
  Arbitrary<Map<String, String>> hostileB3Multi() {
    Arbitrary<Map<String, String>> valid = Combinators.combine(b3Ids(), b3Flags()).as((ids, flags) -> {
      Map<String, String> m = new HashMap<>();
      B3.writeMulti(ids[0], ids[1], ids[2], ids[3], flags, m::put);
      return m;
    });
    Arbitrary<String> garbage = Arbitraries.oneOf(HostileText.anyText(40),
        Arbitraries.of("1", "0", "true", "FALSE", "d", ""), HostileText.mutationsOf(hex(16)),
        HostileText.mutationsOf(hex(32)));
    List<String> names = List.of(B3.TRACE_ID, B3.SPAN_ID, B3.PARENT_SPAN_ID, B3.SAMPLED, B3.FLAGS);
    Arbitrary<Map<String, String>> damage = garbage.injectNull(0.5).list().ofSize(names.size()).map(values -> {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        if (values.get(i) != null) {
          m.put(names.get(i), values.get(i));
        }
      }
      return m;
    });
    return Combinators.combine(valid, damage, Arbitraries.integers().between(0, 2)).as((v, d, how) -> {
      Map<String, String> m = new HashMap<>(how == 0 ? Map.of() : v);
      if (how != 2) {
        m.putAll(d);
      }
      return m;
    });
  }

  /** An X-Amzn-Trace-Id value and what it must parse to. */
  record AwsCase(String value, long hi, long lo, long parent, byte flags) {}

  @Provide
  Arbitrary<AwsCase> awsHeaders() {
    Arbitrary<String> epoch = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(8);
    Arbitrary<String> id = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(24);
    Arbitrary<String> parent = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(16).injectNull(0.3);
    Arbitrary<String> sampled = Arbitraries.of("0", "1", "?").injectNull(0.3);
    Arbitrary<List<String>> others = Arbitraries.of("Self=1-67891233-abcdef012345678912345678", "Lineage=a87bd80c:1",
        "CalledFrom=Foo", "app=x=y").list().ofMaxSize(3);
    return Combinators.combine(epoch, id, parent, sampled, others, Arbitraries.longs(), ows(),
        Arbitraries.of("", ",Root=1-00000000-000000000000000000000001", ", garbage")).as(
        (e, i, p, s, extra, seed, space, repeated) -> {
          Random random = new Random(seed);
          List<String> fields = new ArrayList<>(extra);
          fields.add(randomCase("Root", random) + "=1-" + e + "-" + i);
          if (p != null) {
            fields.add(randomCase("Parent", random) + "=" + p);
          }
          if (s != null) {
            fields.add(randomCase("Sampled", random) + "=" + s);
          }
          Collections.shuffle(fields, random);
          String value = fields.stream().map(f -> space + f + space).collect(Collectors.joining(";")) + repeated;
          long hi = Long.parseUnsignedLong(e + i.substring(0, 8), 16);
          long lo = Long.parseUnsignedLong(i.substring(8), 16);
          return new AwsCase(value, hi, lo, p == null ? 0 : Long.parseUnsignedLong(p, 16),
              "0".equals(s) ? 0 : TraceHeaders.FLAG_SAMPLED);
        }).filter(c -> c.hi != 0 || c.lo != 0);
  }

  private static String randomCase(String name, Random random) {
    switch (random.nextInt(3)) {
      case 0:
        return name;
      case 1:
        return name.toLowerCase(Locale.ROOT);
      default:
        return name.toUpperCase(Locale.ROOT);
    }
  }

  @Provide
  Arbitrary<String> hostileAws() {
    Arbitrary<String> valid = awsHeaders().map(AwsCase::value);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(valid), HostileText.anyText(120));
  }

  @Provide
  Arbitrary<String> oversizedB3() {
    return HostileText.oversized(validB3(), B3.MAX_SINGLE + 16, "0");
  }

  @Provide
  Arbitrary<String> oversizedAws() {
    // the limit is the first value's: a later value is never read
    return HostileText.oversized(awsHeaders().map(c -> c.value().split(",", -1)[0]), AwsTraceHeader.MAX_LENGTH,
        ";X=1");
  }

  @Provide
  Arbitrary<Map<String, String>> hostileRequests() {
    List<String> names = List.of(TraceHeaders.TRACEPARENT, B3.SINGLE, B3.TRACE_ID, B3.SPAN_ID, B3.SAMPLED,
        TraceHeaders.MINTARO_TRACE, TraceHeaders.AWS_TRACE);
    List<Arbitrary<String>> values = List.of(hostileTraceparents(), hostileB3(), HostileText.mutationsOf(hex(32)),
        HostileText.mutationsOf(hex(16)), Arbitraries.of("1", "0", "x"), hostileMintaroTraces(), hostileAws());
    List<Arbitrary<String>> present = new ArrayList<>();
    for (Arbitrary<String> v : values) {
      present.add(v.injectNull(0.6));
    }
    return Combinators.combine(present).as(list -> {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        if (list.get(i) != null) {
          m.put(names.get(i), list.get(i));
        }
      }
      return m;
    });
  }
}
