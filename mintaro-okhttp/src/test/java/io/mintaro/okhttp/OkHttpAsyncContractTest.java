package io.mintaro.okhttp;

import io.mintaro.test.contract.HttpClientContract;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;

/**
 * The client contract with asynchronous {@code enqueue()} calls: OkHttp runs them on its
 * dispatcher threads, where the caller's trace is not current, and reads the body in the callback.
 */
class OkHttpAsyncContractTest extends HttpClientContract {
  final OkHttpClient client = MintaroOkHttp.client(new OkHttpClient.Builder());

  @AfterEach
  void closeClient() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    return enqueue(client, OkHttpClientContractTest.request(method, uri, headers, body));
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    enqueue(client.newBuilder().readTimeout(timeout).build(), new Request.Builder().url(uri.toString()).build());
  }

  private static Response enqueue(OkHttpClient client, Request request) throws Exception {
    CompletableFuture<Response> answer = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, okhttp3.Response response) {
        try (response) {
          answer.complete(OkHttpClientContractTest.response(response));
        } catch (IOException | RuntimeException e) {
          answer.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        answer.completeExceptionally(e);
      }
    });
    try {
      return answer.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause(); // what the application's callback was given, unchanged
    }
  }
}
