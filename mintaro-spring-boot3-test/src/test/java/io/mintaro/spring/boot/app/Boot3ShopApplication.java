package io.mintaro.spring.boot.app;

import io.mintaro.Mintaro;
import jakarta.servlet.Filter;
import java.net.http.HttpClient;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/** The starter's test shop, as a Boot 3 application: only RestTemplateBuilder's package differs. */
@SpringBootApplication
@EnableAsync
public class Boot3ShopApplication {

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
