package io.mintaro.httpclient;

import io.mintaro.test.contract.HttpClientContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The JDK HttpClient wrapper meets the client contract, with the global SDK as applications use it. */
class MintaroHttpClientContractTest extends HttpClientContract {
  private final HttpClient http = MintaroHttpClient.wrap(HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    return response(http.send(request(method, uri, headers, body), HttpResponse.BodyHandlers.ofByteArray()));
  }

  static HttpRequest request(String method, URI uri, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return b.build();
  }

  static Response response(HttpResponse<byte[]> r) {
    return new Response(r.statusCode(), r.headers().map().entrySet().stream().collect(Collectors.toMap(
        e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (x, y) -> x, TreeMap::new)), r.body());
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
