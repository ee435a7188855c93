package io.mintaro.it.otel;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mintaro.opentelemetry.MintaroOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second service: instrumented by hand with the OpenTelemetry SDK, as its README shows, plus
 * Mintaro's bridge; OpenTelemetry's logback appender sends its logs to the SDK. Its sampler keeps
 * nothing for export, so everything Mintaro shows of it comes from spans OpenTelemetry did not
 * sample. {@code GET /price?item=&fail=} asks stock, and fails itself when {@code fail=pricing}.
 */
public final class PricingService {
  private static final Logger log = LoggerFactory.getLogger(PricingService.class);

  private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Headers carrier, String key) {
      return carrier == null ? null : carrier.getFirst(key);
    }
  };

  public static void main(String[] args) throws Exception {
    String stock = args[0];
    MintaroOpenTelemetry mintaro = MintaroOpenTelemetry.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(mintaro.spanProcessor())
            .setSampler(mintaro.sampler(Sampler.traceIdRatioBased(0.0))).build())
        .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(mintaro.logRecordProcessor()).build())
        .setPropagators(ContextPropagators.create(
            TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), mintaro.propagator())))
        .build();
    OpenTelemetryAppender.install(otel);
    Tracer tracer = otel.getTracer("pricing");
    TextMapPropagator propagator = otel.getPropagators().getTextMapPropagator();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/price", exchange -> {
      Context parent = propagator.extract(Context.root(), exchange.getRequestHeaders(), HEADERS);
      URI uri = exchange.getRequestURI();
      String host = exchange.getRequestHeaders().getFirst("Host");
      Span span = tracer.spanBuilder("GET /price").setSpanKind(SpanKind.SERVER).setParent(parent)
          .setAttribute("http.request.method", "GET").setAttribute("url.scheme", "http")
          .setAttribute("url.path", uri.getPath()).setAttribute("url.query", uri.getRawQuery())
          .setAttribute("server.address", host.substring(0, host.lastIndexOf(':')))
          .setAttribute("server.port", Long.parseLong(host.substring(host.lastIndexOf(':') + 1)))
          .startSpan();
      int status = 500;
      try (Scope ignored = span.makeCurrent()) {
        String item = param(uri, "item");
        String fail = param(uri, "fail");
        log.debug("pricing {}", item);
        HttpResponse<String> answer = callStock(tracer, propagator, client, stock + "/stock?item=" + item + "&fail=" + fail);
        if (answer.statusCode() != 200) {
          log.warn("stock answered {}", answer.statusCode());
          status = 502;
          respond(exchange, status, "stock failed");
        } else if ("pricing".equals(fail)) {
          IllegalStateException e = new IllegalStateException("no price for " + item);
          log.error("pricing failed", e);
          span.recordException(e);
          status = 500;
          respond(exchange, status, "no price");
        } else {
          log.info("priced {} at 12 with {} in stock", item, answer.body());
          status = 200;
          respond(exchange, status, "12");
        }
      } catch (Exception e) {
        span.recordException(e);
        respond(exchange, 500, "error");
      } finally {
        span.setAttribute("http.response.status_code", (long) status);
        if (status >= 500) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      }
    });
    server.start();
    System.out.println("READY " + server.getAddress().getPort());
  }

  private static HttpResponse<String> callStock(Tracer tracer, TextMapPropagator propagator, HttpClient client,
      String url) throws Exception {
    URI uri = URI.create(url);
    Span span = tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", "GET").setAttribute("url.full", url)
        .setAttribute("server.address", uri.getHost()).setAttribute("server.port", (long) uri.getPort())
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
      propagator.inject(Context.current(), request, HttpRequest.Builder::header);
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      span.setAttribute("http.response.status_code", (long) response.statusCode());
      if (response.statusCode() >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      return response;
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private static String param(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          return pair.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
