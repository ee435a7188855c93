package io.mintaro.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS {@code X-Amzn-Trace-Id}, from the AWS X-Ray Developer Guide ("Tracing header", "X-Ray
 * trace ID format", "Elastic Load Balancing and AWS X-Ray") and the Elastic Load Balancing guide
 * ("Request tracing for your Application Load Balancer"). A request that enters through AWS keeps
 * its id, and the header is kept on the server span as {@code aws.xray.trace_header}.
 */
class AwsTraceHeaderConformanceTest extends LocalSdkTest {
  private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
  private static final String TRACE = "5759e988bd862e3fe1be46a994272793";

  private Hop hop(String value) {
    return Hop.through(sdk, "X-Amzn-Trace-Id", value);
  }

  @Test
  @DisplayName("X-Ray trace ID format: Root=1-{8 hex epoch}-{24 hex}: its 32 hex digits become the trace id (an ALB's header)")
  void theRootBecomesTheTraceId() {
    Hop hop = hop("Root=" + ROOT);

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).as("no Parent: the request is the trace's root in this process").isNull();
    assertThat(hop.sentTraceId()).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("X-Ray tracing header: Parent={16 hex} is the parent of the server span")
  void theParentIsTheServerSpansParent() {
    Hop hop = hop("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  @DisplayName("X-Ray tracing header: the fields may come in any order")
  void fieldsComeInAnyOrder() {
    Hop hop = hop("Sampled=1;Parent=53995c3f42cd8ad8;Root=" + ROOT);

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  @DisplayName("ALB Request tracing: a Self field inserted by a load balancer is ignored; the Root is kept")
  void anAlbsSelfFieldIsIgnored() {
    Hop hop = hop("Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678");

    assertThat(hop.traceId).isEqualTo("67891233abcdef012345678912345678");
  }

  @Test
  @DisplayName("ALB Request tracing: an application's own fields are preserved by the load balancer and ignored here")
  void applicationFieldsAreIgnored() {
    Hop hop = hop("Self=1-67891234-12456789abcdef012345678;Root=" + ROOT + ";CalledFrom=app;Lineage=a87bd80c:1|68fd508a:5");

    assertThat(hop.traceId).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("X-Ray tracing header: Sampled=0 is sent on as not sampled; Sampled=1, Sampled=? or none as sampled")
  void theSamplingDecisionIsKept() {
    assertThat(hop("Root=" + ROOT + ";Sampled=0").sentFlags() & 1).isZero();
    assertThat(hop("Root=" + ROOT + ";Sampled=1").sentFlags() & 1).isEqualTo(1);
    assertThat(hop("Root=" + ROOT + ";Sampled=?").sentFlags() & 1).isEqualTo(1);
    assertThat(hop("Root=" + ROOT).sentFlags() & 1).isEqualTo(1);
  }

  @Test
  @DisplayName("X-Ray tracing header: optional whitespace around fields is tolerated")
  void whitespaceAroundFieldsIsTolerated() {
    assertThat(hop(" Root=" + ROOT + "; Parent=53995c3f42cd8ad8 ; Sampled=1 ").serverParent()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  @DisplayName("Mintaro: the original header is recorded on the server span as aws.xray.trace_header")
  void theOriginalValueIsRecorded() {
    String value = "Self=1-67891234-12456789abcdef012345678;Root=" + ROOT + ";CalledFrom=app";

    assertThat(hop(value).serverAttributes()).containsEntry("aws.xray.trace_header", value);
  }

  @Test
  @DisplayName("Mintaro: the header is not recorded when another header supplied the trace")
  void notRecordedWhenAnotherHeaderWins() {
    Hop hop = Hop.through(sdk, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "X-Amzn-Trace-Id", "Root=" + ROOT);

    assertThat(hop.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(hop.serverAttributes()).doesNotContainKey("aws.xray.trace_header");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Root=2-5759e988-bd862e3fe1be46a994272793",
      "Root=1-5759e98-bd862e3fe1be46a994272793",
      "Root=1-5759e988-bd862e3fe1be46a99427279",
      "Root=1-5759e988-bd862e3fe1be46a9942727934",
      "Root=1-5759e988_bd862e3fe1be46a994272793",
      "Root=1-5759e98g-bd862e3fe1be46a994272793",
      "Root=1-00000000-000000000000000000000000",
      "Root=",
      "Self=1-67891234-12456789abcdef012345678",
      "Parent=53995c3f42cd8ad8;Sampled=1",
      "garbage"})
  @DisplayName("X-Ray trace ID format: a header without a valid version 1 Root is ignored (a new trace)")
  void aHeaderWithoutAValidRootIsIgnored(String value) {
    Hop hop = hop(value);

    assertThat(hop.traceId).isNotEqualTo(TRACE);
    assertThat(hop.serverParent()).isNull();
    assertThat(hop.serverAttributes()).doesNotContainKey("aws.xray.trace_header");
  }

  @Test
  @DisplayName("X-Ray tracing header: a malformed Parent is ignored; the Root still names the trace")
  void aMalformedParentIsIgnored() {
    Hop hop = hop("Root=" + ROOT + ";Parent=xyz");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isNull();
  }

  @Test
  @DisplayName("Mintaro: when the header is sent several times the first value wins")
  void theFirstValueWins() {
    Hop hop = Hop.through(sdk, "X-Amzn-Trace-Id", "Root=" + ROOT, "X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverAttributes()).containsEntry("aws.xray.trace_header", "Root=" + ROOT);
  }
}
