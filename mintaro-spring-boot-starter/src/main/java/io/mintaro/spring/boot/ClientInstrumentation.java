package io.mintaro.spring.boot;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Adds the interceptor, after the ones already there (closer to the wire), to Spring's HTTP clients as they become
 * beans: every {@code RestClient.Builder} (Boot's is a prototype, so each injection point gets an
 * instrumented one), {@code RestClient} and {@code RestTemplate} bean, and Boot's
 * {@code RestTemplateBuilder}. Clients that record already are left alone.
 */
final class ClientInstrumentation implements BeanPostProcessor {
  private static final Log log = LogFactory.getLog(ClientInstrumentation.class);
  /** Boot 4 moved it to spring-boot-restclient; the method the starter calls is the same in both. */
  private static final Set<String> REST_TEMPLATE_BUILDERS = Set.of(
      "org.springframework.boot.restclient.RestTemplateBuilder",
      "org.springframework.boot.web.client.RestTemplateBuilder");

  private final ObjectProvider<SdkSelector> selector;
  private final boolean restClient;
  private final boolean restTemplate;
  private volatile StarterClientInterceptor interceptor;

  ClientInstrumentation(ObjectProvider<SdkSelector> selector, boolean restClient, boolean restTemplate) {
    this.selector = selector;
    this.restClient = restClient;
    this.restTemplate = restTemplate;
  }

  private StarterClientInterceptor interceptor() {
    StarterClientInterceptor i = interceptor;
    if (i == null) {
      i = new StarterClientInterceptor(selector.getObject());
      interceptor = i;
    }
    return i;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (restClient && bean instanceof RestClient.Builder builder) {
      builder.requestInterceptors(this::addTo);
    } else if (restClient && bean instanceof RestClient client) {
      boolean[] added = new boolean[1];
      RestClient.Builder copy = client.mutate().requestInterceptors(list -> added[0] = addTo(list));
      return added[0] ? copy.build() : client;
    } else if (restTemplate && bean instanceof RestTemplate template) {
      List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>(template.getInterceptors());
      if (addTo(interceptors)) {
        template.setInterceptors(interceptors);
      }
    } else if (restTemplate && REST_TEMPLATE_BUILDERS.contains(bean.getClass().getName())) {
      return restTemplateBuilder(bean, beanName);
    }
    return bean;
  }

  private boolean addTo(List<ClientHttpRequestInterceptor> interceptors) {
    if (StarterClientInterceptor.present(interceptors)) {
      return false;
    }
    interceptors.add(interceptor());
    return true;
  }

  private Object restTemplateBuilder(Object builder, String beanName) {
    try {
      Method additional = builder.getClass().getMethod("additionalInterceptors", ClientHttpRequestInterceptor[].class);
      return additional.invoke(builder, (Object) new ClientHttpRequestInterceptor[] {interceptor()});
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Mintaro: could not add its interceptor to the RestTemplateBuilder '" + beanName
          + "'; RestTemplates built from it are not recorded", e);
      return builder;
    }
  }
}
