package io.mintaro.spring.web;

import io.mintaro.test.contract.HttpClientContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/** The client contract for {@code RestTemplate} over {@code HttpURLConnection}. */
class RestTemplateContractTest extends HttpClientContract {

  private static RestTemplate template(SimpleClientHttpRequestFactory factory) {
    RestTemplate template = new RestTemplate(factory);
    template.getInterceptors().add(new MintaroClientHttpRequestInterceptor());
    template.setErrorHandler(response -> false); // every status is an answer here
    return template;
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) {
    HttpHeaders requestHeaders = new HttpHeaders();
    headers.forEach(requestHeaders::set);
    ResponseEntity<byte[]> entity = template(new SimpleClientHttpRequestFactory())
        .exchange(uri, HttpMethod.valueOf(method), new HttpEntity<>(body, requestHeaders), byte[].class);
    return new Response(entity.getStatusCode().value(), RestClientContractTest.lowerCase(entity.getHeaders()),
        entity.getBody() == null ? new byte[0] : entity.getBody());
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) {
    SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
    factory.setReadTimeout(timeout);
    template(factory).getForEntity(uri, byte[].class);
  }
}
