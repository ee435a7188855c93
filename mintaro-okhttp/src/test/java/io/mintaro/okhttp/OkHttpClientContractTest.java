package io.mintaro.okhttp;

import io.mintaro.test.contract.HttpClientContract;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;

/** The client contract with synchronous {@code execute()} calls. */
class OkHttpClientContractTest extends HttpClientContract {
  final OkHttpClient client = MintaroOkHttp.client(new OkHttpClient.Builder());

  @AfterEach
  void closeClient() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    try (okhttp3.Response response = client.newCall(request(method, uri, headers, body)).execute()) {
      return response(response);
    }
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    OkHttpClient impatient = client.newBuilder().readTimeout(timeout).build();
    try (okhttp3.Response response = impatient.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
      response.body().bytes();
    }
  }

  /** The request an application would build: the content type goes with the body. */
  static Request request(String method, URI uri, Map<String, String> headers, byte[] body) {
    Request.Builder builder = new Request.Builder().url(uri.toString());
    String contentType = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = header.getValue();
      } else {
        builder.header(header.getKey(), header.getValue());
      }
    }
    RequestBody requestBody = body == null ? null
        : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType));
    return builder.method(method, requestBody).build();
  }

  static Response response(okhttp3.Response response) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    Headers h = response.headers();
    for (String name : h.names()) {
      headers.put(name.toLowerCase(Locale.ROOT), h.values(name));
    }
    return new Response(response.code(), headers, response.body().bytes());
  }
}
