package io.mintaro.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.builder.internal.DefaultHttpClientInstrumenterBuilder;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.MessageHeaders;
import org.apache.hc.core5.http.ProtocolVersion;

/**
 * OpenTelemetry's HTTP client instrumentation for OkHttp and Apache HttpClient 5, for the
 * benchmarks. The libraries that do this ({@code opentelemetry-okhttp-3.0},
 * {@code opentelemetry-apache-httpclient-5.2}) are not served at the instrumentation release on
 * OpenTelemetry 1.55.0, so this builds what they build, from the artifacts that are: the
 * {@link Instrumenter} made by {@code DefaultHttpClientInstrumenterBuilder} (instrumentation
 * 2.21.0: the HTTP client semantic-convention attributes, span name and status, the
 * {@code http.client.request.duration} metric, peer service), with the same instrumentation
 * names, started and ended around each request in an OkHttp network interceptor and an
 * HttpClient exec-chain handler after the protocol step, where the libraries put theirs, with
 * the trace headers injected by the SDK's propagators.
 *
 * <p>What the libraries add on top is left out, so this costs less than they do: OkHttp's
 * call-factory wrapper (a copy of every request and its parent context kept in a weak map) and
 * its two application interceptors (a context with a resend count made current; a check for
 * connection errors, reading the clock twice), and HttpClient's parent-context attribute and the
 * two {@code java.net.URI}s it builds per request for the full URL.
 */
final class OtelHttpClients {
  private OtelHttpClients() {}

  /** {@code builder}'s OkHttp client with OpenTelemetry's span around each request. */
  static OkHttpClient okHttp(OpenTelemetry otel, OkHttpClient.Builder builder) {
    Instrumenter<Interceptor.Chain, Response> instrumenter = DefaultHttpClientInstrumenterBuilder
        .create("io.opentelemetry.okhttp-3.0", otel, OkHttpGetter.INSTANCE)
        .build();
    TextMapPropagator propagator = otel.getPropagators().getTextMapPropagator();
    Interceptor tracing = chain -> {
      Context parent = Context.current();
      if (!instrumenter.shouldStart(parent, chain)) {
        return chain.proceed(chain.request());
      }
      Context context = instrumenter.start(parent, chain);
      // OkHttp's request is immutable: the headers go into a copy
      Request.Builder traced = chain.request().newBuilder();
      propagator.inject(context, traced, (carrier, key, value) -> carrier.header(key, value));
      Response response;
      try (io.opentelemetry.context.Scope ignored = context.makeCurrent()) {
        response = chain.proceed(traced.build());
      } catch (IOException | RuntimeException | Error e) {
        instrumenter.end(context, chain, null, e);
        throw e;
      }
      instrumenter.end(context, chain, response, null);
      return response;
    };
    return builder.addNetworkInterceptor(tracing).build();
  }

  /** An Apache HttpClient 5 classic builder with OpenTelemetry's span around each request. */
  static HttpClientBuilder apache(OpenTelemetry otel) {
    Instrumenter<ClassicHttpRequest, HttpResponse> instrumenter = DefaultHttpClientInstrumenterBuilder
        .create("io.opentelemetry.apache-httpclient-5.2", otel, ApacheGetter.INSTANCE,
            (ClassicHttpRequest carrier, String key, String value) -> carrier.setHeader(key, value))
        .build(); // with a setter, start() injects the trace headers
    ExecChainHandler tracing = (ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain) -> {
      Context parent = Context.current();
      if (!instrumenter.shouldStart(parent, request)) {
        return chain.proceed(request, scope);
      }
      Context context = instrumenter.start(parent, request);
      ClassicHttpResponse response = null;
      Throwable error = null;
      try (io.opentelemetry.context.Scope ignored = context.makeCurrent()) {
        response = chain.proceed(request, scope);
        return response;
      } catch (IOException | HttpException | RuntimeException e) {
        error = e;
        throw e;
      } finally {
        instrumenter.end(context, request, response, error);
      }
    };
    return HttpClientBuilder.create().addExecInterceptorAfter(ChainElement.PROTOCOL.name(), "otel", tracing);
  }

  private enum OkHttpGetter implements HttpClientAttributesGetter<Interceptor.Chain, Response> {
    INSTANCE;

    @Override
    public String getHttpRequestMethod(Interceptor.Chain chain) {
      return chain.request().method();
    }

    @Override
    public String getUrlFull(Interceptor.Chain chain) {
      return chain.request().url().toString();
    }

    @Override
    public List<String> getHttpRequestHeader(Interceptor.Chain chain, String name) {
      return chain.request().headers(name);
    }

    @Override
    public Integer getHttpResponseStatusCode(Interceptor.Chain chain, Response response, Throwable error) {
      return response.code();
    }

    @Override
    public List<String> getHttpResponseHeader(Interceptor.Chain chain, Response response, String name) {
      return response.headers(name);
    }

    @Override
    public String getNetworkProtocolName(Interceptor.Chain chain, Response response) {
      return response == null ? null : "http";
    }

    @Override
    public String getNetworkProtocolVersion(Interceptor.Chain chain, Response response) {
      if (response == null) {
        return null;
      }
      switch (response.protocol()) {
        case HTTP_1_0:
          return "1.0";
        case HTTP_1_1:
          return "1.1";
        default:
          return "2";
      }
    }

    @Override
    public String getServerAddress(Interceptor.Chain chain) {
      return chain.request().url().host();
    }

    @Override
    public Integer getServerPort(Interceptor.Chain chain) {
      return chain.request().url().port();
    }

    @Override
    public InetSocketAddress getNetworkPeerInetSocketAddress(Interceptor.Chain chain, Response response) {
      Connection connection = chain.connection();
      SocketAddress address = connection == null ? null : connection.socket().getRemoteSocketAddress();
      return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }
  }

  private enum ApacheGetter implements HttpClientAttributesGetter<ClassicHttpRequest, HttpResponse> {
    INSTANCE;

    @Override
    public String getHttpRequestMethod(ClassicHttpRequest request) {
      return request.getMethod();
    }

    @Override
    public String getUrlFull(ClassicHttpRequest request) {
      try {
        return request.getUri().toString(); // the scheme and authority the route planner set
      } catch (URISyntaxException e) {
        return null;
      }
    }

    @Override
    public List<String> getHttpRequestHeader(ClassicHttpRequest request, String name) {
      return values(request, name);
    }

    @Override
    public Integer getHttpResponseStatusCode(ClassicHttpRequest request, HttpResponse response, Throwable error) {
      return response.getCode();
    }

    @Override
    public List<String> getHttpResponseHeader(ClassicHttpRequest request, HttpResponse response, String name) {
      return values(response, name);
    }

    @Override
    public String getNetworkProtocolName(ClassicHttpRequest request, HttpResponse response) {
      ProtocolVersion version = version(request, response);
      return version == null ? null : version.getProtocol();
    }

    @Override
    public String getNetworkProtocolVersion(ClassicHttpRequest request, HttpResponse response) {
      ProtocolVersion version = version(request, response);
      if (version == null) {
        return null;
      }
      return version.getMinor() == 0 ? Integer.toString(version.getMajor()) : version.getMajor() + "." + version.getMinor();
    }

    @Override
    public String getServerAddress(ClassicHttpRequest request) {
      return request.getAuthority() == null ? null : request.getAuthority().getHostName();
    }

    @Override
    public Integer getServerPort(ClassicHttpRequest request) {
      return request.getAuthority() == null ? null : request.getAuthority().getPort();
    }

    private static ProtocolVersion version(HttpRequest request, HttpResponse response) {
      ProtocolVersion version = request.getVersion();
      return version == null && response != null ? response.getVersion() : version;
    }

    private static List<String> values(MessageHeaders message, String name) {
      Header[] headers = message.getHeaders(name);
      if (headers.length == 0) {
        return Collections.emptyList();
      }
      List<String> values = new ArrayList<>(headers.length);
      for (Header header : headers) {
        values.add(header.getValue());
      }
      return values;
    }
  }
}
