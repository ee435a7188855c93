package io.mintaro.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W3C Trace Context, {@code tracestate}, and the processing model: one test per rule, named by
 * section. Level 2 numbers the tracestate sections differently from Level 1 (3.3.2 "tracestate
 * Header Field Values" is Level 1's 3.3.1.1, and so on); both are given where they differ.
 * Mintaro's own member ({@code mintaro=<agent id>}) always goes first on outgoing calls.
 */
class TracestateConformanceTest extends LocalSdkTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + PARENT + "-00";

  private String own;

  @BeforeEach
  void ownMember() {
    own = "mintaro=" + sdk.agentId();
  }

  /** A request with a valid traceparent and these tracestate header values (each one header). */
  private Hop withTracestate(String... values) {
    List<String> headers = new ArrayList<>(List.of("traceparent", VALID));
    for (String v : values) {
      headers.add("tracestate");
      headers.add(v);
    }
    return Hop.through(sdk, headers.toArray(String[]::new));
  }

  /** The members the caller sent that were passed on, after Mintaro's own. */
  private List<String> passedOn(Hop hop) {
    List<String> members = hop.sentMembers();
    assertThat(members.get(0)).as("Mintaro's own member goes first").isEqualTo(own);
    assertThat(hop.traceId).as("a tracestate never affects the traceparent").isEqualTo(TRACE);
    return members.subList(1, members.size());
  }

  /** The caller's tracestate was dropped: only Mintaro's member is sent on. */
  private void assertDropped(Hop hop) {
    assertThat(passedOn(hop)).isEmpty();
  }

  private static String members(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("bar%02d=%02d", i, i))
        .collect(Collectors.joining(","));
  }

  // --- 3.3 Tracestate Header ---

  @Test
  @DisplayName("TC §3.3 Tracestate Header: when traceparent fails to parse, tracestate is not parsed (nor used)")
  void noTracestateWithoutAValidTraceparent() {
    Hop hop = Hop.through(sdk, "traceparent", "00-" + TRACE + "-" + PARENT + "-0x",
        "tracestate", "rojo=1,mintaro=9c1d2e3f4a5b6c7d");

    assertThat(hop.traceId).isNotEqualTo(TRACE);
    assertThat(hop.tracestate()).isEqualTo(own);
    assertThat(hop.breadcrumbs()).as("not even Mintaro's member is read").isEmpty();
  }

  @Test
  @DisplayName("TC §3.3 Tracestate Header: failing to parse tracestate does not affect traceparent")
  void anInvalidTracestateLeavesTheTraceparent() {
    Hop hop = withTracestate("FOO=1");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo(PARENT);
    assertDropped(hop);
  }

  // --- 3.3.1 Header Name ---

  @Test
  @DisplayName("TC §3.3.1 Header Name: a header named other than tracestate (trace-state, trace.state) is not read")
  void otherHeaderNamesAreNotTracestate() {
    assertDropped(Hop.through(sdk, "traceparent", VALID, "trace-state", "foo=1"));
    assertDropped(Hop.through(sdk, "traceparent", VALID, "trace.state", "foo=1"));
  }

  // --- 3.3.2 tracestate Header Field Values (Level 1: 3.3.1.1) ---

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: several tracestate headers are combined into one list, in order")
  void severalHeadersAreCombinedInOrder() {
    Hop hop = withTracestate("foo=1,bar=2", "rojo=1,congo=2", "baz=3");

    assertThat(passedOn(hop)).containsExactly("foo=1", "bar=2", "rojo=1", "congo=2", "baz=3");
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: an empty tracestate header is accepted (test.py tracestate_empty_header)")
  void anEmptyHeaderIsAccepted() {
    assertDropped(withTracestate(""));
    assertThat(passedOn(withTracestate("foo=1", ""))).containsExactly("foo=1");
    assertThat(passedOn(withTracestate("", "foo=1"))).containsExactly("foo=1");
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: empty and whitespace-only list members are allowed, and not sent on")
  void emptyMembersAreAllowedAndNotSentOn() {
    Hop hop = withTracestate(" , ,foo=1,,\t,bar=2, ");

    assertThat(passedOn(hop)).containsExactly("foo=1", "bar=2");
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: spaces and tabs around members are ignored (test.py tracestate_ows_handling)")
  void whitespaceAroundMembersIsIgnored() {
    assertThat(passedOn(withTracestate("foo=1 \t , \t bar=2, \t baz=3"))).containsExactly("foo=1", "bar=2", "baz=3");
    assertThat(passedOn(withTracestate("foo=1\t \t,\t \tbar=2,\t \tbaz=3"))).containsExactly("foo=1", "bar=2", "baz=3");
    for (String value : new String[] {" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"}) {
      assertThat(passedOn(withTracestate(value))).as(value).containsExactly("foo=1");
    }
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: Mintaro sends no optional whitespace and never an empty header")
  void mintaroSendsNoWhitespaceAndNoEmptyHeader() {
    for (Hop hop : new Hop[] {withTracestate(" foo=1 , bar=2 "), withTracestate(""), Hop.through(sdk)}) {
      assertThat(hop.tracestate()).isNotEmpty().doesNotContain(" ", "\t", ",,").doesNotEndWith(",");
    }
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: a list of 32 members is accepted (test.py tracestate_member_count_limit)")
  void thirtyTwoMembersAreAccepted() {
    Hop hop = withTracestate(members(10), members(20).substring(members(10).length() + 1), members(30)
        .substring(members(20).length() + 1), "bar31=31,bar32=32");

    assertThat(passedOn(hop)).hasSize(31).as("the right-most member made room for Mintaro's").startsWith("bar01=01")
        .doesNotContain("bar32=32");
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: a list of more than 32 members is invalid and dropped")
  void moreThanThirtyTwoMembersAreDropped() {
    assertDropped(withTracestate(members(33)));
  }

  @Test
  @DisplayName("TC2 §3.3.2 Field Values: adding Mintaro's member to a full list of 32 removes the right-most member")
  void addingToAFullListRemovesTheRightMost() {
    List<String> passed = passedOn(withTracestate(members(32)));

    assertThat(passed).hasSize(31).containsExactlyElementsOf(List.of(members(31).split(",")));
  }

  @Test
  @DisplayName("TC2 §3.3.2 Field Values: Mintaro's member replacing one of 32 received (its own, updated) removes nothing")
  void updatingOwnMemberInAFullListRemovesNothing() {
    String received = members(31) + ",mintaro=1111111111111111";

    assertThat(passedOn(withTracestate(received))).hasSize(31).containsExactlyElementsOf(List.of(members(31).split(",")));
  }

  // --- 3.3.2.1 list (Level 1: 3.3.1.2) ---

  @ParameterizedTest
  @ValueSource(strings = {"foo", "foo=1,bar", "=1", "foo=1,=2"})
  @DisplayName("TC2 §3.3.2.1 / TC §3.3.1.2 list: a member that is not key=value (nor empty) makes the list invalid")
  void aMemberMustBeKeyEqualsValue(String value) {
    assertDropped(withTracestate(value));
  }

  // --- 3.3.2.2.1 Key (Level 1: 3.3.1.3.1) ---

  @Test
  @DisplayName("TC2 §3.3.2.2.1 / TC §3.3.1.3.1 Key: every allowed key character is accepted (test.py tracestate_all_allowed_characters)")
  void everyAllowedKeyCharacterIsAccepted() {
    String key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    assertThat(passedOn(withTracestate(key + "=1"))).containsExactly(key + "=1");
    assertThat(passedOn(withTracestate(key + "@a-z0-9_-*/=1"))).containsExactly(key + "@a-z0-9_-*/=1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo =1", "FOO=1", "foo.bar=1", "Foo=1", "f\u00f6o=1", "foo\r\n=1", "_foo=1", "-foo=1", "*foo=1"})
  @DisplayName("TC2 §3.3.2.2.1 / TC §3.3.1.3.1 Key: a key with another character, or not starting with a-z or 0-9, makes the list invalid")
  void aKeyWithAnIllegalCharacterIsInvalid(String member) {
    assertDropped(withTracestate("bar=2," + member));
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.1 Key: a key may start with a digit")
  void aKeyMayStartWithADigit() {
    assertThat(passedOn(withTracestate("1special=1"))).containsExactly("1special=1");
  }

  @Test
  @DisplayName("TC §3.3.1.3.1 Key: a multi-tenant key tenant@vendor is accepted, up to Level 1's longest tenant (241) and system (14)")
  void aMultiTenantKeyIsAccepted() {
    String key = "t".repeat(241) + "@" + "v".repeat(14);

    assertThat(passedOn(withTracestate("foo=1", key + "=1"))).containsExactly("foo=1", key + "=1");
    assertThat(passedOn(withTracestate("0tenant@congo=1"))).containsExactly("0tenant@congo=1");
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.1 Key: at signs anywhere after the first character are accepted, past Level 1's tenant and system limits")
  void atSignsAnywhereAfterTheFirstCharacterAreAccepted() {
    String longTenant = "t".repeat(242) + "@v";
    String longSystem = "t@" + "v".repeat(15);

    assertThat(passedOn(withTracestate("foo@=1,bar=2"))).containsExactly("foo@=1", "bar=2");
    assertThat(passedOn(withTracestate("foo@@bar=1,bar=2"))).containsExactly("foo@@bar=1", "bar=2");
    assertThat(passedOn(withTracestate("foo@bar@baz=1,bar=2"))).containsExactly("foo@bar@baz=1", "bar=2");
    assertThat(passedOn(withTracestate(longTenant + "=1"))).containsExactly(longTenant + "=1");
    assertThat(passedOn(withTracestate(longSystem + "=1"))).containsExactly(longSystem + "=1");
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.1 / TC §3.3.1.3.1 Key: a key starting with an at sign makes the list invalid")
  void aKeyStartingWithAnAtSignIsInvalid() {
    assertDropped(withTracestate("@foo=1,bar=2"));
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.1 / TC §3.3.1.3.1 Key: a key of 256 characters is accepted, one of 257 makes the list invalid")
  void aKeyHasAtMost256Characters() {
    String key = "z".repeat(256);

    assertThat(passedOn(withTracestate("foo=1", key + "=1"))).containsExactly("foo=1", key + "=1");
    assertDropped(withTracestate("foo=1", "z".repeat(257) + "=1"));
  }

  // --- 3.3.2.2.2 Value (Level 1: 3.3.1.3.2) ---

  @Test
  @DisplayName("TC2 §3.3.2.2.2 / TC §3.3.1.3.2 Value: every printable ASCII character but ',' and '=' is accepted")
  void everyAllowedValueCharacterIsAccepted() {
    StringBuilder value = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != ',' && c != '=') {
        value.append(c);
      }
    }

    assertThat(passedOn(withTracestate("foo=" + value))).containsExactly("foo=" + value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo=bar=baz", "foo=,bar=3", "foo= ", "foo=a\tb", "foo=a\r\nb", "foo=caf\u00e9", "foo=a\u007fb",
      "foo=a\u0000b"})
  @DisplayName("TC2 §3.3.2.2.2 / TC §3.3.1.3.2 Value: an empty value, '=', a control or a non-ASCII character makes the list invalid")
  void anIllegalValueIsInvalid(String member) {
    assertDropped(withTracestate(member));
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.2 / TC §3.3.1.3.2 Value: a value of 256 characters is accepted, one of 257 makes the list invalid")
  void aValueHasAtMost256Characters() {
    assertThat(passedOn(withTracestate("foo=" + "v".repeat(256)))).containsExactly("foo=" + "v".repeat(256));
    assertDropped(withTracestate("foo=" + "v".repeat(257)));
  }

  @Test
  @DisplayName("TC2 §3.3.2.2.2 Value: leading spaces are part of the value, trailing spaces are optional whitespace")
  void leadingSpacesArePartOfTheValueTrailingOnesAreNot() {
    assertThat(passedOn(withTracestate("foo=  1  ,bar=2"))).containsExactly("foo=  1", "bar=2");
  }

  // --- 3.3.3 Combined Header Value (Level 1: 3.3.1.4) ---

  @Test
  @DisplayName("TC2 §3.3.3 / TC §3.3.1.4 Combined Header Value: a key sent twice keeps its first (left-most) member; the rest is passed on")
  void aDuplicatedKeyKeepsItsFirstMember() {
    assertThat(passedOn(withTracestate("foo=1,foo=1"))).containsExactly("foo=1");
    assertThat(passedOn(withTracestate("foo=1,bar=2,foo=2"))).containsExactly("foo=1", "bar=2");
    assertThat(passedOn(withTracestate("foo=1", "foo=1"))).containsExactly("foo=1");
    assertThat(passedOn(withTracestate("foo=1", "foo=2"))).containsExactly("foo=1");
  }

  @Test
  @DisplayName("TC2 §3.3.3 / TC §3.3.1.4 Combined Header Value: on re-entry Mintaro's entry is rewritten, never added twice")
  void onReentryMintarosEntryIsRewritten() {
    Hop hop = withTracestate("rojo=00f067aa0ba902b7,mintaro=3f2a9c0d11b4e7a1,congo=t61rcWkgMzE");

    assertThat(hop.sentMembers()).containsExactly(own, "rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE");
  }

  // --- 3.3.3.1 tracestate Limits (Level 1: 3.3.1.5) ---

  @Test
  @DisplayName("TC2 §3.3.3.1 / TC §3.3.1.5 Limits: Mintaro propagates 512 characters of a combined header")
  void fiveHundredTwelveCharactersArePropagated() {
    String received = "a=" + "x".repeat(254) + ",b=" + "y".repeat(512 - own.length() - 1 - 256 - 1 - 2);
    Hop hop = withTracestate(received);

    assertThat(hop.tracestate()).hasSize(512).isEqualTo(own + "," + received);
  }

  @Test
  @DisplayName("TC2 §3.3.3.1 / TC §3.3.1.5 Limits: past 512 characters, members longer than 128 are dropped first, whole")
  void pastTheLimitLongMembersGoFirst() {
    String longOne = "long=" + "l".repeat(200);
    String shorts = IntStream.range(0, 15).mapToObj(i -> String.format("s%02d=%s", i, "v".repeat(16)))
        .collect(Collectors.joining(","));
    Hop hop = withTracestate(longOne + "," + shorts + ",tail=" + "t".repeat(150));

    assertThat(passedOn(hop)).containsExactlyElementsOf(List.of(shorts.split(",")));
    assertThat(hop.tracestate().length()).isLessThanOrEqualTo(512);
  }

  @Test
  @DisplayName("TC2 §3.3.3.1 / TC §3.3.1.5 Limits: when members of 128 or less still exceed 512, they are dropped from the end")
  void thenMembersAreDroppedFromTheEnd() {
    List<String> received = IntStream.range(0, 30).mapToObj(i -> String.format("k%02d=%s", i, "v".repeat(20)))
        .toList();
    Hop hop = withTracestate(String.join(",", received));

    List<String> passed = passedOn(hop);
    assertThat(hop.tracestate().length()).isLessThanOrEqualTo(512);
    assertThat(passed).isEqualTo(received.subList(0, passed.size()));
    assertThat(own.length() + (passed.size() + 1) * 25).as("one more would not have fitted").isGreaterThan(512);
  }

  // --- 3.3.5 Versioning of tracestate (Level 1: 3.3.3) ---

  @Test
  @DisplayName("TC2 §3.3.5 / TC §3.3.3 Versioning of tracestate: with a higher traceparent version, tracestate is still parsed")
  void tracestateIsParsedWithAHigherVersion() {
    Hop hop = Hop.through(sdk, "traceparent", "cc-" + TRACE + "-" + PARENT + "-01-future", "tracestate", "rojo=1");

    assertThat(passedOn(hop)).containsExactly("rojo=1");
  }

  // --- 3.5 Mutating the tracestate Field ---

  @Test
  @DisplayName("TC §3.5 Mutating tracestate: a received tracestate is sent on, every other vendor's member unchanged and in order")
  void aReceivedTracestateIsSentOnUnchanged() {
    assertThat(passedOn(withTracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,a@b=x y")))
        .containsExactly("rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE", "a@b=x y");
  }

  @Test
  @DisplayName("TC §3.5 Mutating tracestate: Add a new key/value pair: Mintaro's member is added on the left")
  void mintarosNewMemberGoesLeft() {
    assertThat(withTracestate("rojo=00f067aa0ba902b7").tracestate()).isEqualTo(own + ",rojo=00f067aa0ba902b7");
  }

  @Test
  @DisplayName("TC §3.5 Mutating tracestate: Update an existing value: Mintaro's updated member moves to the left, once")
  void mintarosUpdatedMemberMovesLeft() {
    Hop hop = withTracestate("rojo=1,mintaro=3f2a9c0d11b4e7a1", "congo=2,mintaro=0000000000000001");

    assertThat(hop.sentMembers()).containsExactly(own, "rojo=1", "congo=2");
  }

  @Test
  @DisplayName("TC §3.5 Mutating tracestate: Mintaro's member names this process (16 hex agent id), the same on every call")
  void mintarosMemberIsTheAgentId() {
    Hop hop = Hop.through(sdk, 2, "traceparent", VALID, "tracestate", "rojo=1");

    assertThat(own).matches("mintaro=[0-9a-f]{16}");
    assertThat(hop.calls).extracting(c -> c.get("tracestate")).containsOnly(own + ",rojo=1");
  }

  @Test
  @DisplayName("TC §3.5 Mutating tracestate: a received Mintaro member names the nearest Mintaro upstream, recorded as the caller")
  void aReceivedMintaroMemberNamesTheCaller() {
    Hop through = withTracestate("rojo=1,mintaro=9c1d2e3f4a5b6c7d");
    Hop direct = Hop.through(sdk, "traceparent", VALID, "tracestate", "mintaro=9c1d2e3f4a5b6c7d",
        "X-Mintaro-Caller", "3f2a9c0d11b4e7a1");

    assertThat(through.breadcrumbs()).singleElement().satisfies(b -> assertThat(b)
        .containsEntry("role", "caller").containsEntry("agentId", "9c1d2e3f4a5b6c7d"));
    assertThat(direct.breadcrumbs()).as("a direct caller's header wins").singleElement()
        .satisfies(b -> assertThat(b).containsEntry("agentId", "3f2a9c0d11b4e7a1"));
  }

  // --- 4 Processing Model ---

  @Test
  @DisplayName("TC §4.1.1 No traceparent Received: a tracestate without traceparent is discarded (test.py tracestate_included_traceparent_missing)")
  void aTracestateWithoutTraceparentIsDiscarded() {
    Hop hop = Hop.through(sdk, "tracestate", "foo=1,bar=2");

    assertThat(hop.tracestate()).isEqualTo(own);
  }

  @Test
  @DisplayName("TC §4.1.1 No traceparent Received: Mintaro creates a tracestate with its own key/value pair")
  void aNewTraceGetsMintarosTracestate() {
    assertThat(Hop.through(sdk).tracestate()).isEqualTo(own);
  }

  @Test
  @DisplayName("TC §4.1.2 A traceparent is Received: a version that cannot be parsed: new traceparent, tracestate deleted")
  void anUnparseableVersionDeletesTracestate() {
    Hop hop = Hop.through(sdk, "traceparent", "0x-" + TRACE + "-" + PARENT + "-01", "tracestate", "rojo=1");

    assertThat(hop.traceId).isNotEqualTo(TRACE);
    assertThat(hop.tracestate()).isEqualTo(own);
  }

  @Test
  @DisplayName("TC §4.1.2 A traceparent is Received: both headers valid: the trace is continued and the tracestate inherited (test.py tracestate_included_traceparent_included)")
  void bothValidContinueAndInherit() {
    Hop hop = withTracestate("foo=1,bar=2");

    assertThat(hop.serverParent()).isEqualTo(PARENT);
    assertThat(passedOn(hop)).containsExactly("foo=1", "bar=2");
  }
}
