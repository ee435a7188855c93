package io.mintaro.loadtest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
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
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;

/**
 * The OpenTelemetry configuration of the benchmark: SDK 1.55.0, every span and log record kept
 * (AlwaysOn sampler), BatchSpanProcessor and BatchLogRecordProcessor with their default settings but
 * the queue size (the default 2048 drops most log records at a few thousand requests/s) and the
 * export batch size (one export at a time of the default 512 cannot keep up with the log records),
 * OTLP/HTTP protobuf exporters. Server and client spans are made by hand with W3C propagation,
 * following the HTTP semantic conventions for the few attributes set.
 */
final class OtelSetup {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();

  private OtelSetup(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer("io.mintaro.loadtest");
  }

  static OtelSetup start(String service, String endpoint, String compression, int queueSize, int batchSize) {
    Resource resource = Resource.getDefault().merge(
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
    OtlpHttpSpanExporter spans = OtlpHttpSpanExporter.builder()
        .setEndpoint(endpoint + "/v1/traces").setCompression(compression).build();
    OtlpHttpLogRecordExporter logs = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(endpoint + "/v1/logs").setCompression(compression).build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.alwaysOn())
            .addSpanProcessor(BatchSpanProcessor.builder(spans).setMaxQueueSize(queueSize)
                .setMaxExportBatchSize(batchSize).build())
            .build())
        .setLoggerProvider(SdkLoggerProvider.builder()
            .setResource(resource)
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(logs).setMaxQueueSize(queueSize)
                .setMaxExportBatchSize(batchSize).build())
            .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    return new OtelSetup(sdk);
  }

  private static final TextMapGetter<HttpServletRequest> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
      return Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  /** A SERVER span around every request, continuing the caller's W3C context. */
  Filter serverFilter() {
    return (request, response, chain) -> {
      HttpServletRequest req = (HttpServletRequest) request;
      HttpServletResponse resp = (HttpServletResponse) response;
      Context parent = propagator.extract(Context.root(), req, GETTER);
      Span span = tracer.spanBuilder(req.getMethod() + " " + req.getServletPath())
          .setParent(parent)
          .setSpanKind(SpanKind.SERVER)
          .setAttribute(METHOD, req.getMethod())
          .setAttribute(ROUTE, req.getServletPath())
          .setAttribute(URL_PATH, req.getRequestURI())
          .startSpan();
      try (Scope ignored = span.makeCurrent()) {
        chain.doFilter(request, response);
      } catch (Exception | Error e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
        throw e;
      } finally {
        int status = resp.getStatus();
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      }
    };
  }

  /** A CLIENT span around every outgoing call, with traceparent injected. */
  Services.Outgoing clientCalls(HttpClient client) {
    return uri -> {
      HttpRequest.Builder builder = Services.request(uri);
      Span span = tracer.spanBuilder("GET")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(METHOD, "GET")
          .setAttribute(URL_FULL, uri.toString())
          .startSpan();
      try (Scope ignored = span.makeCurrent()) {
        propagator.inject(Context.current(), builder, (b, k, v) -> b.header(k, v));
        HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        span.setAttribute(STATUS, (long) response.statusCode());
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
    };
  }
}
