package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.http.ClientExchange;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code MINTARO_PROPAGATION} / {@code propagation(...)}: which trace headers outgoing calls
 * carry. The default, {@code w3c,mintaro}, is what Mintaro always sent; {@code b3} and
 * {@code b3multi} let a service sit in a Zipkin fleet. The breadcrumb is sent whatever is chosen.
 */
class PropagationSettingTest {
  private MintaroSdk sdk;

  @AfterEach
  void close() {
    TestSdks.clearContext();
    if (sdk != null) {
      sdk.close();
    }
    System.clearProperty("mintaro.propagation");
  }

  /** The headers of a call made in a new trace's root span. */
  private Map<String, String> sentBy(UnaryOperator<MintaroSdk.Builder> config) {
    sdk = config.apply(MintaroSdk.builder().service("svc")).build();
    Map<String, String> sent = new LinkedHashMap<>();
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("http://next/"));
      call.propagationHeaders(sent::put);
      call.close();
      assertThat(root.traceId()).isNotNull();
    }
    return sent;
  }

  @Test
  void byDefaultW3cAndMintaroHeadersAreSent() {
    Map<String, String> sent = sentBy(b -> b);

    assertThat(sent).containsOnlyKeys("traceparent", "tracestate", "X-Mintaro-Trace", "X-Mintaro-Caller");
    assertThat(Core.of(sdk).settings().propagation).isEqualTo(Settings.DEFAULT_PROPAGATION);
  }

  @Test
  void b3AddsTheSingleHeader() {
    Map<String, String> sent = sentBy(b -> b.propagation("w3c", "b3", "mintaro"));

    assertThat(sent).containsOnlyKeys("traceparent", "tracestate", "b3", "X-Mintaro-Trace", "X-Mintaro-Caller");
    String traceId = sent.get("X-Mintaro-Trace");
    assertThat(sent.get("b3")).matches(traceId + "-[0-9a-f]{16}-1-[0-9a-f]{16}");
    assertThat(sent.get("b3").substring(33, 49)).isEqualTo(sent.get("traceparent").substring(36, 52));
  }

  @Test
  void b3multiAddsTheMultipleHeaders() {
    Map<String, String> sent = sentBy(b -> b.propagation("b3multi"));

    assertThat(sent).containsOnlyKeys("X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled",
        "X-Mintaro-Caller");
    assertThat(sent.get("X-B3-TraceId")).matches("[0-9a-f]{32}");
    assertThat(sent.get("X-B3-Sampled")).isEqualTo("1");
  }

  @Test
  void withoutW3cNoTraceparentIsSentButTheBreadcrumbIs() {
    Map<String, String> sent = sentBy(b -> b.propagation("b3"));

    assertThat(sent).containsOnlyKeys("b3", "X-Mintaro-Caller");
    assertThat(sent.get("X-Mintaro-Caller")).isEqualTo(sdk.agentId());
  }

  @Test
  void formatsAreReadInAnyCaseAndAsCommaSeparatedLists() {
    assertThat(sentBy(b -> b.propagation(" W3C , B3Multi ", "Mintaro"))).containsKeys("traceparent", "X-B3-TraceId",
        "X-Mintaro-Trace").doesNotContainKey("b3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"zipkin", "w3c,jaeger", "tracecontext"})
  void anUnknownFormatIsRejectedWithTheChoices(String formats) {
    assertThatThrownBy(() -> MintaroSdk.builder().propagation(formats)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("propagation: unknown format").hasMessageContaining("expected w3c, b3, b3multi or mintaro");
  }

  @Test
  void atLeastOneFormatIsRequired() {
    assertThatThrownBy(() -> MintaroSdk.builder().propagation()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one format");
    assertThatThrownBy(() -> MintaroSdk.builder().propagation(" , ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MintaroSdk.builder().propagation((String) null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MintaroSdk.builder().propagation((String[]) null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEnvironmentSettingIsRead() {
    System.setProperty("mintaro.propagation", "w3c,b3,mintaro");

    assertThat(sentBy(MintaroSdk.Builder::fromEnvironment)).containsKeys("traceparent", "b3", "X-Mintaro-Trace");
  }

  @Test
  void anInvalidEnvironmentSettingFailsWhenItIsRead() {
    System.setProperty("mintaro.propagation", "w3c,b4");

    assertThatThrownBy(() -> MintaroSdk.builder().fromEnvironment()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MINTARO_PROPAGATION: unknown format 'b4'");
  }
}
