package io.mintaro.spring.boot.app;

import io.mintaro.Mintaro;
import jakarta.servlet.Filter;
import java.net.http.HttpClient;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/** A small shop, as a user would write it: nothing of Mintaro in it but one {@code @Traced}. */
@SpringBootApplication
@EnableAsync
public class ShopApplication {

  @Bean
  RestClient restClient(RestClient.Builder builder) {
    return builder.build();
  }

  @Bean
  RestTemplate restTemplate(RestTemplateBuilder builder) {
    return builder.build();
  }

  @Bean
  HttpClient httpClient() {
    return HttpClient.newHttpClient();
  }

  /** Runs right after Mintaro's filter and says whether the request was in a trace by then. */
  @Bean
  FilterRegistrationBean<Filter> traceWitness() {
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
      ((jakarta.servlet.http.HttpServletResponse) response).setHeader("X-In-Trace",
          String.valueOf(Mintaro.traceId() != null));
      chain.doFilter(request, response);
    });
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }
}
