package io.mintaro.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedTrace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP spans, by OpenTelemetry's semantic conventions, become Mintaro exchanges. */
class HttpSpanTest extends BridgeTest {
  @Test
  void aServerSpanIsAnInboundExchange() {
    Span server = otel.tracer().spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
    server.setAttribute("http.request.method", "POST").setAttribute("url.scheme", "http")
        .setAttribute("server.address", "shop").setAttribute("server.port", 8080L)
        .setAttribute("url.path", "/checkout").setAttribute("url.query", "cart=7&api_token=s3cret")
        .setAttribute("http.response.status_code", 500L)
        .setAttribute(AttributeKey.stringArrayKey("http.request.header.content-type"), List.of("application/json"))
        .setAttribute(AttributeKey.stringArrayKey("http.request.header.authorization"), List.of("Bearer abc"));
    server.setStatus(StatusCode.ERROR);
    server.end();

    RecordedExchange exchange = mintaro.onlyTrace().inbound().get(0);

    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.url()).startsWith("http://shop:8080/checkout?cart=7").doesNotContain("s3cret");
    assertThat(exchange.status()).isEqualTo(500);
    assertThat(exchange.spanId()).isEqualTo(server.getSpanContext().getSpanId());
    assertThat(exchange.requestHeader("content-type")).isEqualTo("application/json");
    assertThat(exchange.requestHeader("authorization")).isEqualTo("[REDACTED]");
    assertThat(mintaro.onlyTrace().root().status()).isEqualTo("failed");
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> assertThat(t.reason()).contains("POST /checkout"));
  }

  @Test
  void aClientSpanIsAnOutboundExchangeAndNamesTheCallee() {
    Span root = otel.tracer().spanBuilder("job").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span client = otel.tracer().spanBuilder("GET").setSpanKind(SpanKind.CLIENT).startSpan();
      client.setAttribute("http.request.method", "GET").setAttribute("url.full", "http://stock:9090/items/7")
          .setAttribute("server.address", "stock").setAttribute("server.port", 9090L)
          .setAttribute("http.response.status_code", 200L);
      client.end();
    }
    root.end();

    RecordedTrace trace = mintaro.onlyTrace();

    assertThat(trace.outbound()).singleElement().satisfies(e -> {
      assertThat(e.url()).isEqualTo("http://stock:9090/items/7");
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.direction()).isEqualTo("outbound");
    });
    assertThat(trace.breadcrumbs()).singleElement().satisfies(b -> {
      assertThat(b.role()).isEqualTo("callee");
      assertThat(b.authority()).isEqualTo("stock:9090");
      assertThat(b.agentId()).isNull();
    });
  }

  @Test
  void aCallThatGotNoResponseKeepsItsErrorType() {
    Span client = otel.tracer().spanBuilder("GET").setSpanKind(SpanKind.CLIENT).startSpan();
    client.setAttribute("http.request.method", "GET").setAttribute("url.full", "http://down:1/x")
        .setAttribute("error.type", "java.net.ConnectException");
    client.setStatus(StatusCode.ERROR);
    client.end();

    RecordedExchange exchange = mintaro.onlyTrace().outbound().get(0);

    assertThat(exchange.status()).isZero();
    assertThat(exchange.error()).isEqualTo("java.net.ConnectException");
    assertThat(mintaro.onlyTrace().breadcrumbs()).extracting(b -> b.authority()).containsExactly("down:1");
  }

  @Test
  void olderSemanticConventionsAreReadToo() {
    Span client = otel.tracer().spanBuilder("HTTP GET").setSpanKind(SpanKind.CLIENT).startSpan();
    client.setAttribute("http.method", "GET").setAttribute("http.url", "https://legacy/api")
        .setAttribute("http.status_code", 204L);
    client.end();

    RecordedExchange exchange = mintaro.onlyTrace().outbound().get(0);

    assertThat(exchange.method()).isEqualTo("GET");
    assertThat(exchange.status()).isEqualTo(204);
    assertThat(mintaro.onlyTrace().breadcrumbs()).extracting(b -> b.authority()).containsExactly("legacy:443");
  }

  @Test
  void aSpanWithoutHttpAttributesHasNoExchange() {
    otel.tracer().spanBuilder("SELECT").setSpanKind(SpanKind.CLIENT).startSpan().end();

    assertThat(mintaro.onlyTrace().exchanges()).isEmpty();
  }
}
