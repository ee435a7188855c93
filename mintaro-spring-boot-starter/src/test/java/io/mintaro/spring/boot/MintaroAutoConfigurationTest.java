package io.mintaro.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.Traced;
import io.mintaro.httpclient.MintaroHttpClient;
import io.mintaro.jdbc.MintaroDataSource;
import io.mintaro.logback.MintaroAppender;
import io.mintaro.servlet.MintaroFilter;
import io.mintaro.spring.web.MintaroClientHttpRequestInterceptor;
import io.mintaro.test.MintaroExtension;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** What the starter puts into an application, part by part, and how each part is switched off. */
class MintaroAutoConfigurationTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class, RestClientAutoConfiguration.class,
          RestTemplateAutoConfiguration.class, HttpClientAutoConfiguration.class,
          ImperativeHttpClientAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
          DataSourceAutoConfiguration.class, AopAutoConfiguration.class))
      .withPropertyValues("spring.datasource.generate-unique-name=true");

  @BeforeEach
  void forgetEarlierApplicationsAppenders() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<String> names = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(a -> {
      if (a instanceof MintaroAppender) {
        names.add(a.getName());
      }
    });
    names.forEach(root::detachAppender);
  }

  @Test
  void theSdkIsNamedAfterTheApplication() {
    runner.withPropertyValues("spring.application.name=orders")
        .run(context -> assertThat(context.getBean(MintaroSdk.class).service()).isEqualTo("orders"));
    runner.withPropertyValues("spring.application.name=orders", "mintaro.service=billing")
        .run(context -> assertThat(context.getBean(MintaroSdk.class).service()).isEqualTo("billing"));
    runner.withPropertyValues("spring.application.name=My Shop (EU)")
        .run(context -> assertThat(context.getBean(MintaroSdk.class).service()).isEqualTo("My-Shop--EU-"));
    runner.run(context -> assertThat(context.getBean(MintaroSdk.class).service()).isEqualTo("unknown-service"));
  }

  @Test
  void anSdkTheApplicationDefinesIsUsedAsItIs() {
    try (MintaroSdk own = MintaroSdk.builder().service("own").build()) {
      runner.withBean(MintaroSdk.class, () -> own).run(context -> {
        assertThat(context).getBean(MintaroSdk.class).isSameAs(own);
        assertThat(context.getBean(SdkSelector.class).own()).isSameAs(own);
      });
    }
  }

  @Test
  void mintaroEnabledFalseConfiguresNothing() {
    runner.withPropertyValues("mintaro.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(MintaroSdk.class).doesNotHaveBean("mintaroFilter")
          .doesNotHaveBean(ClientInstrumentation.class).doesNotHaveBean(DataSourceWrapping.class);
      assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
    });
  }

  @Test
  void theFilterIsRegisteredFirstForRequestAsyncAndErrorDispatches() {
    runner.run(context -> {
      FilterRegistrationBean<?> registration = context.getBean("mintaroFilter", FilterRegistrationBean.class);
      assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
      assertThat(registration.getFilter()).isInstanceOf(StarterFilter.class);
      assertThat(registration.getUrlPatterns()).as("all of them").isEmpty();
      assertThat(registration.isAsyncSupported()).isTrue();
      assertThat(registration).extracting("dispatcherTypes")
          .isEqualTo(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    });
    runner.withPropertyValues("mintaro.filter.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("mintaroFilter"));
    runner.withBean("ownFilter", MintaroFilter.class, MintaroFilter::new).run(context -> assertThat(context)
        .as("the application registers its own").doesNotHaveBean("mintaroFilter").hasSingleBean(MintaroFilter.class));
  }

  @Test
  void theFilterIsForServletApplicationsOnly() {
    new org.springframework.boot.test.context.runner.ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class))
        .run(context -> assertThat(context).hasSingleBean(MintaroSdk.class).doesNotHaveBean("mintaroFilter")
            .doesNotHaveBean(MvcErrorRecorder.class));
  }

  @Test
  void mvcErrorsAreSeenByAResolverOrderedFirst() {
    runner.run(context -> assertThat(context.getBean(HandlerExceptionResolver.class))
        .isInstanceOfSatisfying(MvcErrorRecorder.class, r -> assertThat(r.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE)));
    runner.withPropertyValues("mintaro.mvc-errors.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MvcErrorRecorder.class));
  }

  @Test
  void everyRestClientBuilderAndRestClientBeanRecords() {
    runner.withBean("plainClient", RestClient.class, RestClient::create).run(context -> {
      assertThat(interceptors(context.getBean(RestClient.Builder.class))).hasExactlyElementsOfTypes(StarterClientInterceptor.class);
      assertThat(interceptors(context.getBean("plainClient", RestClient.class).mutate()))
          .hasExactlyElementsOfTypes(StarterClientInterceptor.class);
    });
    runner.withPropertyValues("mintaro.rest-client.enabled=false").withBean("plainClient", RestClient.class, RestClient::create)
        .run(context -> {
          assertThat(interceptors(context.getBean(RestClient.Builder.class))).isEmpty();
          assertThat(interceptors(context.getBean("plainClient", RestClient.class).mutate())).isEmpty();
        });
  }

  @Test
  void theRestTemplateBuilderAndEveryRestTemplateBeanRecord() {
    runner.withBean("plainTemplate", RestTemplate.class, RestTemplate::new)
        .withBean("ownTemplate", RestTemplate.class, () -> {
          RestTemplate template = new RestTemplate();
          template.getInterceptors().add(new MintaroClientHttpRequestInterceptor());
          return template;
        }).run(context -> {
          assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors())
              .hasExactlyElementsOfTypes(StarterClientInterceptor.class);
          assertThat(context.getBean("plainTemplate", RestTemplate.class).getInterceptors())
              .hasExactlyElementsOfTypes(StarterClientInterceptor.class);
          assertThat(context.getBean("ownTemplate", RestTemplate.class).getInterceptors())
              .as("one that records already is left alone")
              .hasExactlyElementsOfTypes(MintaroClientHttpRequestInterceptor.class);
        });
    runner.withPropertyValues("mintaro.rest-template.enabled=false").withBean("plainTemplate", RestTemplate.class, RestTemplate::new)
        .run(context -> {
          assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors()).isEmpty();
          assertThat(context.getBean("plainTemplate", RestTemplate.class).getInterceptors()).isEmpty();
        });
  }

  @Test
  void everyJdkHttpClientBeanIsWrapped() {
    runner.withBean(HttpClient.class, HttpClient::newHttpClient)
        .run(context -> assertThat(context.getBean(HttpClient.class)).isInstanceOf(MintaroHttpClient.class));
    runner.withPropertyValues("mintaro.http-client.enabled=false").withBean(HttpClient.class, HttpClient::newHttpClient)
        .run(context -> assertThat(context.getBean(HttpClient.class)).isNotInstanceOf(MintaroHttpClient.class));
  }

  @Test
  void theAppenderIsAttachedToTheRootLogger() {
    runner.run(context -> assertThat(mintaroAppenders()).isEqualTo(1));
    forgetEarlierApplicationsAppenders();
    runner.withPropertyValues("mintaro.logging.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(LogbackCapture.class);
      assertThat(mintaroAppenders()).isZero();
    });
  }

  @Test
  void aSecondApplicationInTheJvmDoesNotAttachASecondAppender() {
    runner.run(first -> runner.run(second -> assertThat(mintaroAppenders()).isEqualTo(1)));
  }

  @Test
  void everyDataSourceBeanIsWrapped() {
    runner.run(context -> {
      DataSource dataSource = context.getBean(DataSource.class);
      assertThat(dataSource).isInstanceOf(MintaroDataSource.class);
      assertThat(dataSource.unwrap(HikariDataSource.class)).as("Boot's health and metrics find the pool").isNotNull();
    });
    runner.withPropertyValues("mintaro.jdbc.enabled=false")
        .run(context -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
  }

  @Test
  void bootsTaskExecutorRunsTasksInTheSubmittersTrace() {
    runner.run(context -> assertThat(traceSeenByTask(context)).isTrue());
    runner.withPropertyValues("mintaro.async.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(MintaroTaskDecorator.class);
      assertThat(traceSeenByTask(context)).isFalse();
    });
  }

  @Test
  void theApplicationsOwnTaskDecoratorKeepsWorkingBesideMintaros() {
    List<String> decorated = new java.util.concurrent.CopyOnWriteArrayList<>();
    TaskDecorator own = task -> () -> {
      decorated.add("own");
      task.run();
    };
    runner.withBean("ownDecorator", TaskDecorator.class, () -> own).run(context -> {
      assertThat(traceSeenByTask(context)).as("Boot 4 composes the decorators").isTrue();
      assertThat(decorated).containsExactly("own");
    });
  }

  @Test
  void theHealthContributorReportsTheLinkToTheCollector() {
    runner.run(context -> assertThat(context.getBean("mintaroHealthIndicator", HealthIndicator.class).health().getStatus())
        .isEqualTo(Status.UP));
    runner.withPropertyValues("mintaro.health.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("mintaroHealthIndicator"));
  }

  @Test
  void tracedMethodsOfBeansAreSpans() {
    runner.withBean(Pricing.class).run(context -> {
      assertThat(context).hasSingleBean(Advisor.class);
      context.getBean(Pricing.class).price();
      assertThat(mintaro.onlyTrace().root().name()).isEqualTo("Pricing.price");
    });
    runner.withPropertyValues("mintaro.traced.enabled=false").withBean(Pricing.class).run(context -> {
      context.getBean(Pricing.class).price();
      assertThat(mintaro.traces()).as("only the span of the first run").hasSize(1);
    });
  }

  /** A bean with a traced method; its span is named after the class and the method. */
  static class Pricing {
    @Traced
    public int price() {
      return 12;
    }
  }

  private static boolean traceSeenByTask(AssertableWebApplicationContext context) throws Exception {
    AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
    try (Span span = Mintaro.startSpan("submit")) {
      CompletableFuture<String> seen = executor.submitCompletable(Mintaro::traceId);
      return span.traceId().equals(seen.get(5, TimeUnit.SECONDS));
    }
  }

  private static List<ClientHttpRequestInterceptor> interceptors(RestClient.Builder builder) {
    List<ClientHttpRequestInterceptor> out = new ArrayList<>();
    builder.requestInterceptors(out::addAll);
    return out;
  }

  private static int mintaroAppenders() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    int[] n = new int[1];
    root.iteratorForAppenders().forEachRemaining(a -> n[0] += a instanceof MintaroAppender ? 1 : 0);
    return n[0];
  }
}
