package io.mintaro.spring.boot;

import io.mintaro.spring.web.MintaroClientHttpRequestInterceptor;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** {@link MintaroClientHttpRequestInterceptor}, recording into the SDK the {@link SdkSelector} names. */
final class StarterClientInterceptor implements ClientHttpRequestInterceptor {
  private final SdkSelector selector;
  private final ClientHttpRequestInterceptor own;
  private final ClientHttpRequestInterceptor global = new MintaroClientHttpRequestInterceptor();

  StarterClientInterceptor(SdkSelector selector) {
    this.selector = selector;
    this.own = new MintaroClientHttpRequestInterceptor(selector.own());
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    ClientHttpRequestInterceptor interceptor;
    try {
      interceptor = selector.current() == selector.own() ? own : global;
    } catch (RuntimeException e) {
      interceptor = own;
    }
    return interceptor.intercept(request, body, execution);
  }

  /** Whether {@code interceptors} record already, with this starter's interceptor or one the application added. */
  static boolean present(List<ClientHttpRequestInterceptor> interceptors) {
    for (ClientHttpRequestInterceptor i : interceptors) {
      if (i instanceof StarterClientInterceptor || i instanceof MintaroClientHttpRequestInterceptor) {
        return true;
      }
    }
    return false;
  }
}
