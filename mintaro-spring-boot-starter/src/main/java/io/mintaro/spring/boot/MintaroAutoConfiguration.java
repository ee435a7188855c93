package io.mintaro.spring.boot;

import io.mintaro.MintaroSdk;
import io.mintaro.Traced;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Mintaro for a Spring Boot application: the SDK built from {@code mintaro.*} properties and
 * installed as the global one, and every part that records, each switched off by
 * {@code mintaro.<part>.enabled=false} (all of it by {@code mintaro.enabled=false}). A
 * {@link MintaroSdk} bean of the application's own is used instead of building one.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mintaro", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MintaroProperties.class)
public class MintaroAutoConfiguration {

  @Bean
  @ConfigurationPropertiesBinding
  static GenericConverter mintaroCoreSizeConverter() {
    return new CoreSizeConverter();
  }

  @Bean
  SdkFactory mintaroSdkFactory(MintaroProperties properties, Environment environment) {
    return new SdkFactory(properties, environment);
  }

  /** Closed by its factory, with the shutdown timeout, once everything that records into it is gone. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  MintaroSdk mintaroSdk(SdkFactory factory) {
    return factory.build();
  }

  @Bean
  SdkSelector mintaroSdkSelector(MintaroSdk sdk) {
    return new SdkSelector(sdk);
  }

  /** The filter, first in the chain, and what Spring MVC resolves before it could see it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static class Servlet {

    /**
     * Request, async and error dispatches: the filter records the request once, on its first
     * dispatch, and runs the others (an async completion, the error page) in its trace.
     */
    @Bean
    @ConditionalOnProperty(prefix = "mintaro.filter", name = "enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(value = MintaroFilter.class, name = "mintaroFilter")
    FilterRegistrationBean<Filter> mintaroFilter(SdkSelector selector) {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new StarterFilter(selector));
      registration.setName("mintaroFilter");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
      registration.setAsyncSupported(true);
      return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.servlet.HandlerExceptionResolver")
    @ConditionalOnProperty(prefix = "mintaro.mvc-errors", name = "enabled", matchIfMissing = true)
    static class MvcErrors {
      @Bean
      MvcErrorRecorder mintaroMvcErrorRecorder() {
        return new MvcErrorRecorder();
      }

      @Bean
      WebMvcConfigurer mintaroMvcErrorInterceptor(MvcErrorRecorder recorder) {
        return new WebMvcConfigurer() {
          @Override
          public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(recorder).order(Ordered.HIGHEST_PRECEDENCE);
          }
        };
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  @ConditionalOnProperty(prefix = "mintaro.rest-client", name = "enabled", matchIfMissing = true)
  static class RestClients {
    @Bean
    static ClientInstrumentation mintaroRestClientInstrumentation(ObjectProvider<SdkSelector> selector) {
      return new ClientInstrumentation(selector, true, false);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestTemplate")
  @ConditionalOnProperty(prefix = "mintaro.rest-template", name = "enabled", matchIfMissing = true)
  static class RestTemplates {
    @Bean
    static ClientInstrumentation mintaroRestTemplateInstrumentation(ObjectProvider<SdkSelector> selector) {
      return new ClientInstrumentation(selector, false, true);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.mintaro.httpclient.MintaroHttpClient")
  @ConditionalOnProperty(prefix = "mintaro.http-client", name = "enabled", matchIfMissing = true)
  static class HttpClients {
    @Bean
    static HttpClientWrapping mintaroHttpClientWrapping(ObjectProvider<SdkSelector> selector) {
      return new HttpClientWrapping(selector);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"ch.qos.logback.classic.LoggerContext", "io.mintaro.logback.MintaroAppender"})
  @ConditionalOnProperty(prefix = "mintaro.logging", name = "enabled", matchIfMissing = true)
  static class Logback {
    @Bean
    LogbackCapture mintaroLogbackCapture(MintaroProperties properties) {
      return new LogbackCapture(properties.getLogging().getLevel());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"javax.sql.DataSource", "io.mintaro.jdbc.MintaroDataSource"})
  @ConditionalOnProperty(prefix = "mintaro.jdbc", name = "enabled", matchIfMissing = true)
  static class Jdbc {
    @Bean
    static DataSourceWrapping mintaroDataSourceWrapping(ObjectProvider<MintaroProperties> properties) {
      return new DataSourceWrapping(properties);
    }
  }

  /**
   * Boot builds its task executors and schedulers with the application's {@code TaskDecorator}
   * beans. Boot 4 composes all of them; Boot 3 uses one only when it is the only one, so there
   * Mintaro's is added only when the application has none (else it would switch theirs off).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "mintaro.async", name = "enabled", matchIfMissing = true)
  static class Async {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.EnvironmentPostProcessor") // Boot 4
    static class Composed {
      @Bean
      TaskDecorator mintaroTaskDecorator() {
        return new MintaroTaskDecorator();
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.EnvironmentPostProcessor") // Boot 3
    static class Alone {
      @Bean
      @ConditionalOnMissingBean(TaskDecorator.class)
      TaskDecorator mintaroTaskDecorator() {
        return new MintaroTaskDecorator();
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "mintaro.health", name = "enabled", matchIfMissing = true)
  static class Health {

    @Bean
    MintaroHealth mintaroHealth(SdkSelector selector, SdkFactory factory) {
      return new MintaroHealth(selector, factory);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator") // Boot 4
    static class Boot4 {
      @Bean
      MintaroHealthIndicator mintaroHealthIndicator(MintaroHealth health) {
        return new MintaroHealthIndicator(health);
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot3HealthIndicator.INDICATOR) // Boot 3
    @Import(Boot3HealthIndicator.class)
    static class Boot3 {
    }
  }

  /** {@code @Traced} methods of beans, through whichever auto-proxy creator Boot set up. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.aopalliance.intercept.MethodInterceptor")
  @ConditionalOnProperty(prefix = "mintaro.traced", name = "enabled", matchIfMissing = true)
  static class TracedMethods {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor mintaroTracedAdvisor() {
      AnnotationMatchingPointcut pointcut = new AnnotationMatchingPointcut(null, Traced.class, true);
      return new DefaultPointcutAdvisor(pointcut, new TracedInterceptor());
    }
  }
}
