package io.mintaro.okhttp;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ClientExchange;
import java.io.IOException;
import java.net.URI;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An OkHttp application interceptor that carries the current trace to the services it calls and
 * records every call, bodies included, as one client span:
 *
 * <pre>{@code
 * OkHttpClient http = new OkHttpClient.Builder().addInterceptor(new MintaroInterceptor()).build();
 * }</pre>
 *
 * Installed alone it records synchronous {@code execute()} calls in the caller's trace.
 * Asynchronous {@code enqueue()} calls run it on OkHttp's dispatcher threads, where the caller's
 * trace is not current; {@link MintaroOkHttp#client} installs it together with what carries the
 * trace there.
 *
 * <p>One span covers the whole logical call, redirects and retries included: the request is
 * recorded as the application's interceptors left it, the response as the application reads it
 * (decompressed when OkHttp did the compression). The exchange is recorded when the response
 * body is read to its end or closed, or at once when there is none.
 */
public final class MintaroInterceptor implements Interceptor {
  private final MintaroSdk sdk;

  /** Records into the global {@link Mintaro#sdk()} when a call is made outside any trace. */
  public MintaroInterceptor() {
    this(null);
  }

  /** Calls made outside any trace start one in {@code sdk}; null means the global SDK. */
  public MintaroInterceptor(MintaroSdk sdk) {
    this.sdk = sdk;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    CallContext captured = CallContext.of(chain.call());
    return captured == null ? record(chain) : captured.record(this, chain);
  }

  /** Makes the call in the trace current on this thread. */
  Response record(Chain chain) throws IOException {
    Request request = chain.request();
    ClientExchange exchange = start(request);
    if (exchange == null) {
      return chain.proceed(request);
    }
    Request traced = traced(request, exchange);
    Response response;
    try {
      response = chain.proceed(traced);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      exchange.close();
      throw e;
    }
    return recorded(response, exchange);
  }

  private ClientExchange start(Request request) {
    try {
      return ClientExchange.start(sdk == null ? Mintaro.sdk() : sdk, request.method(), uriOf(request));
    } catch (RuntimeException e) {
      return null; // never into the application: the call goes out unrecorded
    }
  }

  private static URI uriOf(Request request) {
    try {
      return request.url().uri();
    } catch (RuntimeException e) {
      return null; // a URL OkHttp accepts but java.net.URI cannot hold
    }
  }

  /** The request with the trace headers set and its body teed; headers recorded as they go out. */
  private static Request traced(Request request, ClientExchange exchange) {
    try {
      Request.Builder builder = request.newBuilder();
      exchange.propagationHeaders((name, value) -> {
        try {
          builder.header(name, value);
        } catch (IllegalArgumentException e) {
          // a tracestate carried in from upstream that OkHttp will not send: the rest still goes
        }
      });
      RequestBody body = request.body();
      if (body != null && !body.isDuplex()) {
        // A duplex body is written by the application on its own thread while the response
        // arrives; the exchange is not thread-safe, so only its headers are recorded.
        builder.method(request.method(), new TeeRequestBody(body, exchange.requestBody()));
      }
      Request traced = builder.build();
      Headers headers = traced.headers();
      for (int i = 0, n = headers.size(); i < n; i++) {
        exchange.requestHeader(headers.name(i), headers.value(i));
      }
      if (body != null && headers.get("Content-Type") == null) {
        // OkHttp sends the body's media type as the header after the application interceptors;
        // it says how the body is read (and redacted).
        MediaType type = body.contentType();
        if (type != null) {
          exchange.requestHeader("Content-Type", type.toString());
        }
      }
      return traced;
    } catch (RuntimeException e) {
      return request;
    }
  }

  /** Records status and headers; the exchange closes when the application is done with the body. */
  private static Response recorded(Response response, ClientExchange exchange) {
    BodyRecording recording = new BodyRecording(exchange);
    try {
      exchange.status(response.code());
      Headers headers = response.headers();
      for (int i = 0, n = headers.size(); i < n; i++) {
        exchange.responseHeader(headers.name(i), headers.value(i));
      }
      ResponseBody body = response.body();
      if (body == null || response.code() == 101 || body.contentLength() == 0) {
        recording.finish(null); // nothing to read (or a protocol switch): done now
        return response;
      }
      return response.newBuilder().body(new TeeResponseBody(body, recording)).build();
    } catch (RuntimeException e) {
      recording.finish(null);
      return response;
    }
  }
}
