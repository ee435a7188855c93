package io.mintaro.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;

/** Where Boot 3 differs from Boot 4 and the starter adapts: its Actuator types, its task decorators. */
class Boot3SpecificsTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

  @Test
  void theHealthIndicatorIsBoot3sOwnType() throws Exception {
    try (FakeCollector collector = new FakeCollector()) {
      runner.withPropertyValues("mintaro.collector=" + collector.url()).run(context -> {
        awaitConnected(context.getBean(MintaroSdk.class));
        Health health = context.getBean("mintaroHealthIndicator", HealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("connected", true);
      });
    }
    runner.withPropertyValues("mintaro.collector=http://127.0.0.1:9").run(context -> assertThat(
        context.getBean("mintaroHealthIndicator", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UNKNOWN));
    runner.withPropertyValues("mintaro.health.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("mintaroHealthIndicator"));
  }

  @Test
  void bootsTaskExecutorCarriesTheTrace() {
    runner.run(context -> assertThat(traceSeenByTask(context)).isTrue());
  }

  /** Boot 3 applies a TaskDecorator only when it is the only one: Mintaro's must not switch the application's off. */
  @Test
  void theApplicationsOwnTaskDecoratorWinsOverMintaros() {
    List<String> decorated = new CopyOnWriteArrayList<>();
    TaskDecorator own = task -> () -> {
      decorated.add("own");
      task.run();
    };
    runner.withBean("ownDecorator", TaskDecorator.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean(MintaroTaskDecorator.class);
      traceSeenByTask(context);
      assertThat(decorated).containsExactly("own");
    });
  }

  private static boolean traceSeenByTask(AssertableApplicationContext context) throws Exception {
    AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
    try (Span span = Mintaro.startSpan("submit")) {
      return span.traceId().equals(executor.submitCompletable(Mintaro::traceId).get(5, TimeUnit.SECONDS));
    }
  }

  private static void awaitConnected(MintaroSdk sdk) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!sdk.stats().connected()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the agent did not register: " + sdk.stats());
      }
      Thread.sleep(20);
    }
  }
}
