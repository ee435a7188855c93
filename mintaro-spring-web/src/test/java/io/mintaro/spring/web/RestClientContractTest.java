package io.mintaro.spring.web;

import io.mintaro.test.contract.HttpClientContract;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The client contract for {@code RestClient} over the JDK's HttpClient, read the usual way: {@code retrieve()}. */
class RestClientContractTest extends HttpClientContract {

  private static RestClient client(ClientHttpRequestFactory factory) {
    return RestClient.builder()
        .requestFactory(factory)
        .requestInterceptor(new MintaroClientHttpRequestInterceptor())
        .build();
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) {
    RestClient.RequestBodySpec request = client(new JdkClientHttpRequestFactory())
        .method(HttpMethod.valueOf(method)).uri(uri)
        .headers(h -> headers.forEach(h::set));
    if (body != null) {
      request.body(body);
    }
    ResponseEntity<byte[]> entity = request.retrieve()
        .onStatus(status -> true, (req, resp) -> { }) // every status is an answer here, as in HttpClient
        .toEntity(byte[].class);
    return new Response(entity.getStatusCode().value(), lowerCase(entity.getHeaders()),
        entity.getBody() == null ? new byte[0] : entity.getBody());
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) {
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
    factory.setReadTimeout(timeout);
    client(factory).get().uri(uri).retrieve().toEntity(byte[].class);
  }

  static Map<String, List<String>> lowerCase(HttpHeaders headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((name, values) -> out.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
        .addAll(values));
    return out;
  }
}
