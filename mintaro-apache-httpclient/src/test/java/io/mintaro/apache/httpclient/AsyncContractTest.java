package io.mintaro.apache.httpclient;

import io.mintaro.test.contract.HttpClientContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;

/**
 * The client contract with the async client: the call starts on the test's thread, everything
 * after on HttpClient's I/O threads.
 */
class AsyncContractTest extends HttpClientContract {
  final CloseableHttpAsyncClient client = MintaroHttpClient5.async(HttpAsyncClients.custom()
      .setHttp1Config(ClassicContractTest.LONG_LINES)).build();

  AsyncContractTest() {
    client.start();
  }

  @AfterEach
  void closeClient() {
    client.close(CloseMode.IMMEDIATE);
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    SimpleRequestBuilder request = SimpleRequestBuilder.create(method).setUri(uri);
    String contentType = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = header.getValue();
      } else {
        request.addHeader(header.getKey(), header.getValue());
      }
    }
    if (body != null) {
      request.setBody(body, contentType == null ? null : ContentType.parse(contentType));
    }
    return execute(request);
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    execute(SimpleRequestBuilder.get(uri)
        .setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build()));
  }

  private Response execute(SimpleRequestBuilder request) throws Exception {
    SimpleHttpResponse response;
    try {
      response = client.execute(request.build(), null).get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause(); // what the application's future failed with, unchanged
    }
    byte[] body = response.getBodyBytes();
    return new Response(response.getCode(), ClassicContractTest.headers(response.getHeaders()),
        body == null ? new byte[0] : body);
  }
}
