package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.http.ClientExchange;
import io.mintaro.http.ServerExchange;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import io.mintaro.logging.LogCapture;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * First, do no harm, as a property: whatever text the host hands the public entry points (null,
 * empty, huge, control characters, lone surrogates, header values that look almost like trace
 * headers), nothing throws into the host, and what was recorded can still be read back.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class NeverThrowsPropertiesTest {
  private static final MintaroSdk SDK = MintaroSdk.builder().service("svc").bufferSize(256 * 1024).maxBodySize(256)
      .build();

  @AfterTry
  void forgetTheContext() {
    TestSdks.clearContext();
  }

  @AfterContainer
  static void close() {
    SDK.close();
  }

  @Property(tries = 200)
  void aServerExchangeTakesAnyRequest(@ForAll("text") String method, @ForAll("text") String url,
      @ForAll("text") String path, @ForAll("headers") Map<String, String> headers, @ForAll int status,
      @ForAll("text") String route, @ForAll("body") byte[] body, @ForAll int offset, @ForAll int length) {
    ServerExchange exchange = ServerExchange.start(SDK, method, url, path, headers::get);
    headers.forEach(exchange::requestHeader);
    exchange.requestBody().write(body, offset, length);
    exchange.requestBody().write(body, 0, body.length);
    exchange.route(route);
    exchange.status(status);
    headers.forEach(exchange::responseHeader);
    exchange.responseBody().write(body, 0, body.length);
    exchange.close();

    List<Map<String, Object>> spans = RingDump.list(RingDump.trace(SDK, exchange.traceId()), "spans");
    // a trace id sent in the headers may be continued by several tries: this one's span is among them
    assertThat(spans).as("the server span is recorded").extracting(s -> s.get("kind")).contains("server");
  }

  /**
   * The shrunk sample of the first failure (seed 7301919122787754090): a 500 on a path of
   * 200,000 characters made the failed server span's record too large for a 256 KiB ring, and
   * the span was dropped (fixed in RecordWriter, see RecordLimitsTest).
   */
  @Example
  void aFailedServerSpanWithAHugePathIsStillRecorded() {
    aServerExchangeTakesAnyRequest("", "", "0".repeat(200_000), Map.of(), 500, "", new byte[0], 0, 0);
  }

  @Property(tries = 300)
  void aClientExchangeTakesAnyCall(@ForAll("text") String method, @ForAll("uris") URI uri,
      @ForAll("headers") Map<String, String> headers, @ForAll int status) {
    try (RecordingSpan root = TestSdks.root(SDK, "root")) {
      ClientExchange call = ClientExchange.start(SDK, method, uri);
      Map<String, String> sent = new HashMap<>();
      call.propagationHeaders(sent::put);
      headers.forEach(call::requestHeader);
      headers.forEach(call::responseHeader);
      call.status(status);
      call.close();

      assertThat(sent.values()).allSatisfy(v -> assertThat(v).doesNotContain("\r", "\n"));
    }
  }

  @Property(tries = 300)
  void spansAndLogsTakeAnyText(@ForAll("text") String name, @ForAll("text") String key, @ForAll("text") String value,
      @ForAll("text") String message, @ForAll long time, @ForAll("levels") Level level) {
    String traceId;
    try (RecordingSpan root = TestSdks.root(SDK, "root")) {
      traceId = root.traceId();
      Span span = Mintaro.startSpan(name);
      span.attribute(key, value).attribute(key, time).attribute(value, true).event(name)
          .event(value, Map.of("k", String.valueOf(value)));
      span.close();
      LogCapture.record(level, key, value, time, message, null);
      LogCapture.record(level, key, value, time, message, key, value, message);
      Mintaro.trigger(message);
    }

    assertThat(RingDump.span(RingDump.trace(SDK, traceId), "root")).isNotNull();
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, HostileText.anyText(40)),
        Tuple.of(1, Arbitraries.just(null)),
        Tuple.of(1, HostileText.anyText(4).map(s -> s.repeat(20_000))));
  }

  /** Request headers whose names include the trace headers, with near misses of valid values. */
  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("traceparent", "tracestate", "b3", "X-B3-TraceId",
        "X-B3-SpanId", "X-Mintaro-Trace", "X-Mintaro-Caller", "X-Mintaro-Callee", "X-Amzn-Trace-Id", "host",
        "Authorization", "Content-Type"), HostileText.anyText(12));
    Arbitrary<String> values = Arbitraries.oneOf(text(), HostileText.mutationsOf(Arbitraries.of(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "rojo=00f067aa0ba902b7,mintaro=3f2a9c0d11b4e7a1",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1", "3f2a9c0d11b4e7a1",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "orders:8082")));
    return Arbitraries.maps(names, values).ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> body() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
  }

  @Provide
  Arbitrary<URI> uris() {
    return Combinators.combine(Arbitraries.of("http", "https", "mailto", "urn", "file"),
        Arbitraries.strings().withCharRange('a', 'z').numeric().withChars(".-:@").ofMaxLength(30),
        Arbitraries.strings().withCharRange('a', 'z').withChars("/?=&%2F").ofMaxLength(30))
        .as((scheme, host, rest) -> {
          try {
            return new URI(scheme + "://" + host + "/" + rest);
          } catch (java.net.URISyntaxException e) {
            return URI.create(scheme + ":opaque");
          }
        }).injectNull(0.1);
  }

  @Provide
  Arbitrary<Level> levels() {
    return Arbitraries.of(Level.values()).injectNull(0.1);
  }
}
