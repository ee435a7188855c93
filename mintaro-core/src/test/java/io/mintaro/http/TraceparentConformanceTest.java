package io.mintaro.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W3C Trace Context, {@code traceparent}: one test per rule of the specification, Level 1
 * (Recommendation) and Level 2, named by section. Both levels number these sections alike;
 * "TC2" marks what only Level 2 says. Cases follow the W3C test suite ({@code test/test.py})
 * where it has them. Each test sends a request through a {@link Hop} and looks at the server span
 * and at the headers of a call the service makes.
 */
class TraceparentConformanceTest extends LocalSdkTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  private Hop hop(String... headers) {
    return Hop.through(sdk, headers);
  }

  /** The request started a trace of its own: new ids, no parent, and it calls out with them. */
  private static void assertRestarted(Hop hop) {
    assertThat(hop.traceId).matches("[0-9a-f]{32}").isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
    assertThat(hop.serverParent()).isNull();
    assertThat(hop.sentTraceId()).isEqualTo(hop.traceId);
  }

  private static void assertContinued(Hop hop) {
    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo(PARENT);
    assertThat(hop.sentTraceId()).isEqualTo(TRACE);
  }

  // --- 3.2.1 Header Name ---

  @Test
  @DisplayName("TC §3.2.1 Header Name: a header named other than traceparent (trace-parent, trace.parent) is not read")
  void otherHeaderNamesAreNotTraceparent() {
    assertRestarted(hop("trace-parent", VALID));
    assertRestarted(hop("trace.parent", VALID));
  }

  @Test
  @DisplayName("TC §3.2.1 Header Name: Mintaro sends the header names in lowercase")
  void headerNamesAreSentInLowercase() {
    Hop hop = hop("traceparent", VALID, "tracestate", "rojo=1");

    assertThat(hop.sent()).containsKeys("traceparent", "tracestate");
  }

  // --- 3.2.2 traceparent Header Field Values ---

  @Test
  @DisplayName("TC §3.2.2 Field Values: a valid value (the specification's example) continues the trace")
  void theSpecificationsExampleContinuesTheTrace() {
    Hop hop = hop("traceparent", VALID);

    assertContinued(hop);
    assertThat(hop.traceparent()).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
      "00 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 01"})
  @DisplayName("TC §3.2.2 Field Values: fields not delimited by dashes are invalid and restart the trace")
  void fieldsMustBeDelimitedByDashes(String value) {
    assertRestarted(hop("traceparent", value));
  }

  @Test
  @DisplayName("TC §3.2.2 Field Values: optional whitespace around the value is ignored (test.py ows_handling)")
  void surroundingWhitespaceIsIgnored() {
    for (String value : new String[] {" " + VALID, "\t" + VALID, VALID + " ", VALID + "\t", "\t " + VALID + " \t"}) {
      assertContinued(hop("traceparent", value));
    }
  }

  @Test
  @DisplayName("TC §3.2 Traceparent Header: a request with two traceparent headers restarts the trace (test.py traceparent_duplicated)")
  void twoTraceparentHeadersRestartTheTrace() {
    Hop hop = hop("traceparent", "00-12345678901234567890123456789011-1234567890123456-01",
        "traceparent", "00-12345678901234567890123456789012-1234567890123456-01");

    assertThat(hop.traceId).isNotIn("12345678901234567890123456789011", "12345678901234567890123456789012");
    assertThat(hop.serverParent()).isNull();
  }

  @Test
  @DisplayName("TC §3.2 Traceparent Header: two traceparent headers of a future version restart the trace too")
  void twoFutureVersionTraceparentHeadersRestartTheTrace() {
    assertRestarted(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-future",
        "traceparent", "cc-" + TRACE + "-" + PARENT + "-01"));
  }

  // --- 3.2.2.1 version ---

  @ParameterizedTest
  @ValueSource(strings = {
      ".0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0.-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "000-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0000-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
  @DisplayName("TC §3.2.2.1 version: anything but 2 lowercase hex digits is invalid and restarts the trace")
  void theVersionIsTwoLowercaseHexDigits(String value) {
    assertRestarted(hop("traceparent", value));
  }

  @Test
  @DisplayName("TC §3.2.2.1 version: version ff is invalid and restarts the trace")
  void versionFfIsInvalid() {
    assertRestarted(hop("traceparent", "ff-" + TRACE + "-" + PARENT + "-01"));
  }

  // --- 3.2.2.2 version-format ---

  @ParameterizedTest
  @ValueSource(strings = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"})
  @DisplayName("TC §3.2.2.2 version-format: version 00 is exactly trace-id, parent-id and trace-flags; more or less restarts")
  void version00HasExactlyThreeFields(String value) {
    assertRestarted(hop("traceparent", value));
  }

  // --- 3.2.2.3 trace-id ---

  @Test
  @DisplayName("TC §3.2.2.3 trace-id: all zeroes is invalid and restarts the trace")
  void anAllZeroTraceIdIsInvalid() {
    assertRestarted(hop("traceparent", "00-00000000000000000000000000000000-" + PARENT + "-01"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00-.bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473.-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e47360-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473\u0664-00f067aa0ba902b7-01"})
  @DisplayName("TC §3.2.2.3 trace-id: anything but 32 lowercase hex digits is invalid and restarts the trace")
  void theTraceIdIs32LowercaseHexDigits(String value) {
    assertRestarted(hop("traceparent", value));
  }

  // --- 3.2.2.4 parent-id ---

  @Test
  @DisplayName("TC §3.2.2.4 parent-id: the caller's parent-id is the parent of the server span")
  void theParentIdIsTheServerSpansParent() {
    assertThat(hop("traceparent", VALID).serverParent()).isEqualTo(PARENT);
  }

  @Test
  @DisplayName("TC §3.2.2.4 parent-id: all zeroes is invalid and restarts the trace")
  void anAllZeroParentIdIsInvalid() {
    assertRestarted(hop("traceparent", "00-" + TRACE + "-0000000000000000-01"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-.0f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b.-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b70-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01"})
  @DisplayName("TC §3.2.2.4 parent-id: anything but 16 lowercase hex digits is invalid and restarts the trace")
  void theParentIdIs16LowercaseHexDigits(String value) {
    assertRestarted(hop("traceparent", value));
  }

  // --- 3.2.2.5 trace-flags ---

  @ParameterizedTest
  @ValueSource(strings = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-.0",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0.",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-001",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"})
  @DisplayName("TC §3.2.2.5 trace-flags: anything but 2 lowercase hex digits is invalid and restarts the trace")
  void theFlagsAreTwoLowercaseHexDigits(String value) {
    assertRestarted(hop("traceparent", value));
  }

  @Test
  @DisplayName("TC §3.2.2.5 trace-flags: the flags are a bit field, not a number (09 is sampled)")
  void theFlagsAreABitField() {
    Hop hop = hop("traceparent", "00-" + TRACE + "-" + PARENT + "-09");

    assertContinued(hop);
    assertThat(hop.sentFlags() & 0x01).as("sampled").isEqualTo(0x01);
  }

  // --- 3.2.2.5.1 Sampled flag ---

  @Test
  @DisplayName("TC §3.2.2.5.1 Sampled flag: a caller's sampled flag is propagated (01 stays 01)")
  void aSetSampledFlagIsPropagated() {
    assertThat(hop("traceparent", VALID).sentFlags() & 0x01).isEqualTo(0x01);
  }

  @Test
  @DisplayName("TC §3.2.2.5.1 Sampled flag: a caller's unset sampled flag is propagated unset, and Mintaro still records the request")
  void anUnsetSampledFlagIsPropagatedAndTheRequestRecorded() {
    Hop hop = hop("traceparent", "00-" + TRACE + "-" + PARENT + "-00");

    assertThat(hop.sentFlags() & 0x01).isZero();
    assertThat(hop.serverSpan).containsEntry("status", "succeeded");
  }

  @Test
  @DisplayName("TC §3.2.2.5.1 Sampled flag: a trace Mintaro starts says sampled, since Mintaro records every request")
  void aNewTraceIsSampled() {
    assertThat(hop().sentFlags() & 0x01).isEqualTo(0x01);
  }

  // --- 3.2.2.5.2 Random Trace ID Flag (Level 2) ---

  @Test
  @DisplayName("TC2 §3.2.2.5.2 Random Trace ID Flag: a trace Mintaro starts (random ids) has the random flag set")
  void aNewTraceHasTheRandomFlag() {
    assertThat(hop().sentFlags()).isEqualTo(0x03);
    assertThat(hop("traceparent", "ff-" + TRACE + "-" + PARENT + "-01").sentFlags()).as("a restarted trace").isEqualTo(0x03);
  }

  @Test
  @DisplayName("TC2 §3.2.2.5.2 Random Trace ID Flag: set by the caller, it stays set on calls with the same trace-id (test.py propagates_random_flag)")
  void aCallersRandomFlagIsKept() {
    Hop hop = hop("traceparent", "00-" + TRACE + "-" + PARENT + "-02");

    assertContinued(hop);
    assertThat(hop.sentFlags()).isEqualTo(0x02);
  }

  @Test
  @DisplayName("TC2 §3.2.2.5.2 Random Trace ID Flag: unset by the caller, it stays unset on calls with the same trace-id")
  void aCallersUnsetRandomFlagStaysUnset() {
    Hop hop = hop("traceparent", VALID);

    assertContinued(hop);
    assertThat(hop.sentFlags() & 0x02).isZero();
  }

  // --- 3.2.2.5.2 (Level 1) / 3.2.2.5.3 (Level 2) Other Flags ---

  @Test
  @DisplayName("TC §3.2.2.5.2 / TC2 §3.2.2.5.3 Other Flags: undefined flags are sent as zero")
  void otherFlagsAreSentAsZero() {
    assertThat(hop("traceparent", "00-" + TRACE + "-" + PARENT + "-ff").sentFlags()).isEqualTo(0x03);
    assertThat(hop("traceparent", "00-" + TRACE + "-" + PARENT + "-fc").sentFlags()).isZero();
  }

  // --- 3.2.3 Examples ---

  @Test
  @DisplayName("TC §3.2.3 Examples: the sampled and the not-sampled example values are both continued")
  void bothExamplesAreContinued() {
    assertContinued(hop("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    assertContinued(hop("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
  }

  // --- 3.2.4 Versioning of traceparent ---

  @Test
  @DisplayName("TC §3.2.4 Versioning: a higher version is parsed as version 00 (test.py version_0xcc)")
  void aHigherVersionIsParsedAsVersion00() {
    assertContinued(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01"));
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: a higher version may carry more fields after a dash; they are not parsed")
  void aHigherVersionMayCarryMoreFields() {
    assertContinued(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-be-like"));
    assertContinued(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-\u00e9\u0000 anything at all"));
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: in a higher version the flags must be followed by the end or a dash")
  void aHigherVersionsFlagsAreFollowedByTheEndOrADash() {
    assertRestarted(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01.what-the-future-will-be-like"));
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: a higher version shorter than 55 characters restarts the trace")
  void aShortHigherVersionRestarts() {
    assertRestarted(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-0"));
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: in a higher version trace-id and parent-id must be hex followed by a dash")
  void aHigherVersionsIdsAreHexFollowedByADash() {
    assertRestarted(hop("traceparent", "cc-" + TRACE + "x" + PARENT + "-01"));
    assertRestarted(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "x01"));
    assertRestarted(hop("traceparent", "cc-" + TRACE.replace('4', 'g') + "-" + PARENT + "-01"));
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: outgoing calls use the highest version Mintaro knows, 00")
  void outgoingCallsUseVersion00() {
    assertThat(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-extra").traceparent()).startsWith("00-" + TRACE + "-")
        .hasSize(55);
  }

  @Test
  @DisplayName("TC §3.2.4 Versioning: a prohibitively large value (over 1024 characters) restarts the trace")
  void aProhibitivelyLargeValueRestarts() {
    assertContinued(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-" + "x".repeat(1024 - 56)));
    assertRestarted(hop("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-" + "x".repeat(1024 - 55)));
  }

  // --- 3.4 Mutating the traceparent Field ---

  @Test
  @DisplayName("TC §3.4 Mutating traceparent: a received traceparent is sent on outgoing calls with the same trace-id")
  void aReceivedTraceparentIsSentOn() {
    assertThat(hop("traceparent", VALID).sentTraceId()).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("TC §3.4 Mutating traceparent: Update parent-id: outgoing calls carry the id of the client span")
  void theParentIdIsUpdated() {
    Hop hop = hop("traceparent", VALID);

    assertThat(hop.sentParentId()).isNotEqualTo(PARENT).isEqualTo(hop.clientSpanId());
  }

  @Test
  @DisplayName("TC §3.4 Mutating traceparent: Restart trace: an invalid traceparent regenerates trace-id, parent-id and flags")
  void aRestartRegeneratesEverything() {
    Hop hop = hop("traceparent", "00-" + TRACE + "-" + PARENT + "-0g");

    assertRestarted(hop);
    assertThat(hop.sentParentId()).isEqualTo(hop.clientSpanId());
    assertThat(hop.sentFlags()).isEqualTo(0x03);
  }

  @Test
  @DisplayName("TC §3.4 Mutating traceparent: a request without traceparent gets one generated for its outgoing calls")
  void aRequestWithoutTraceparentGetsOneGenerated() {
    Hop hop = hop();

    assertRestarted(hop);
    assertThat(hop.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03");
  }

  // --- test.py AdvancedTest ---

  @Test
  @DisplayName("TC §3.4 (test.py multiple_requests_with_valid_traceparent): every call carries the trace-id, each with its own parent-id")
  void everyCallCarriesTheTraceIdWithItsOwnParentId() {
    Hop hop = Hop.through(sdk, 3, "traceparent", VALID);

    Set<String> traceIds = new HashSet<>();
    Set<String> parentIds = new HashSet<>();
    hop.calls.forEach(c -> {
      traceIds.add(c.get("traceparent").substring(3, 35));
      parentIds.add(c.get("traceparent").substring(36, 52));
    });
    assertThat(traceIds).containsExactly(TRACE);
    assertThat(parentIds).hasSize(3);
  }

  @Test
  @DisplayName("TC §3.4 (test.py multiple_requests_without_traceparent / with_illegal_traceparent): a new trace's calls each get their own parent-id")
  void aNewTracesCallsEachGetTheirOwnParentId() {
    for (Hop hop : new Hop[] {Hop.through(sdk, 3), Hop.through(sdk, 3, "traceparent", "00-" + "0".repeat(32) + "-" + PARENT + "-01")}) {
      Set<String> parentIds = new HashSet<>();
      hop.calls.forEach(c -> {
        assertThat(c.get("traceparent").substring(3, 35)).isEqualTo(hop.traceId).isNotEqualTo("0".repeat(32));
        parentIds.add(c.get("traceparent").substring(36, 52));
      });
      assertThat(parentIds).hasSize(3);
    }
  }
}
