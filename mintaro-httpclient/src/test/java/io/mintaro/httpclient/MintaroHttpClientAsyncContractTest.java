package io.mintaro.httpclient;

import io.mintaro.test.contract.HttpClientContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** The wrapper meets the client contract through {@code sendAsync} as well. */
class MintaroHttpClientAsyncContractTest extends HttpClientContract {
  private final HttpClient http = MintaroHttpClient.wrap(HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    return MintaroHttpClientContractTest.response(await(http.sendAsync(
        MintaroHttpClientContractTest.request(method, uri, headers, body), HttpResponse.BodyHandlers.ofByteArray())));
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    await(http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray()));
  }

  /** What an application joining the future sees: the cause, unwrapped. */
  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
