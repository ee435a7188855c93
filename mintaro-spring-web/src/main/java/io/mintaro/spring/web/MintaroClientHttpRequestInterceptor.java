package io.mintaro.spring.web;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ClientExchange;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Carries the current trace to the services a Spring {@code RestClient} or {@code RestTemplate}
 * calls, and records every exchange: headers, bodies up to the limit (secrets redacted), status,
 * or why no response came. Add it last, closest to the wire:
 *
 * <pre>{@code
 * RestClient client = RestClient.builder().requestInterceptor(new MintaroClientHttpRequestInterceptor()).build();
 * restTemplate.getInterceptors().add(new MintaroClientHttpRequestInterceptor());
 * }</pre>
 *
 * The response body reaches the application unchanged, as a stream: the interceptor keeps a copy
 * of the first bytes as the application reads them. The exchange is recorded when the application
 * has read the body to its end or closes the response, whichever comes first; a failed call is
 * recorded at once.
 */
public final class MintaroClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
  private final MintaroSdk sdk;

  /** Records into the global {@link Mintaro#sdk()}. */
  public MintaroClientHttpRequestInterceptor() {
    this(null);
  }

  /** Calls made outside any trace start one in {@code sdk}; null means the global SDK. */
  public MintaroClientHttpRequestInterceptor(MintaroSdk sdk) {
    this.sdk = sdk;
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    ClientExchange exchange = begin(request, body);
    if (exchange == null) {
      return execution.execute(request, body);
    }
    ClientHttpResponse response;
    try {
      response = execution.execute(request, body);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      exchange.close();
      throw e;
    }
    return responded(exchange, response);
  }

  private ClientExchange begin(HttpRequest request, byte[] body) {
    ClientExchange exchange = null;
    try {
      exchange = ClientExchange.start(sdk == null ? Mintaro.sdk() : sdk, request.getMethod().name(), request.getURI());
      HttpHeaders headers = request.getHeaders();
      exchange.propagationHeaders(headers::set);
      ClientExchange recording = exchange;
      headers.forEach((name, values) -> {
        for (String value : values) {
          recording.requestHeader(name, value);
        }
      });
      if (body != null) {
        exchange.requestBody().write(body, 0, body.length);
      }
      return exchange;
    } catch (RuntimeException e) {
      // Read-only headers or a request that cannot describe itself: send it as it is.
      if (exchange != null) {
        exchange.close();
      }
      return null;
    }
  }

  private static ClientHttpResponse responded(ClientExchange exchange, ClientHttpResponse response) {
    try {
      exchange.status(response.getStatusCode().value());
      response.getHeaders().forEach((name, values) -> {
        for (String value : values) {
          exchange.responseHeader(name, value);
        }
      });
    } catch (IOException | RuntimeException e) {
      // the application meets the same problem when it asks; the exchange keeps what it has
    }
    return new RecordingResponse(response, exchange);
  }
}
