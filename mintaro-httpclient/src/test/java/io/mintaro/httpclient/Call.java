package io.mintaro.httpclient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The two ways an application calls through the client; tests run against both. */
enum Call {
  SEND {
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws Exception {
      return client.send(request, handler);
    }
  },
  SEND_ASYNC {
    /** Waits for the future; a failed call throws what the future failed with. */
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws Exception {
      try {
        return client.sendAsync(request, handler).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
  };

  abstract <T> HttpResponse<T> call(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws Exception;
}
