package io.mintaro.spring.boot;

import io.mintaro.httpclient.MintaroHttpClient;
import java.net.http.HttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every JDK {@link HttpClient} bean with {@link MintaroHttpClient}. When the application's
 * SDK is the global one the wrapper follows the global SDK (test mode included); otherwise it
 * records into the application's.
 */
final class HttpClientWrapping implements BeanPostProcessor {
  private final ObjectProvider<SdkSelector> selector;

  HttpClientWrapping(ObjectProvider<SdkSelector> selector) {
    this.selector = selector;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof HttpClient client && !(bean instanceof MintaroHttpClient)) {
      SdkSelector s = selector.getObject();
      return MintaroHttpClient.wrap(client, s.ownIsGlobal() ? null : s.own());
    }
    return bean;
  }
}
