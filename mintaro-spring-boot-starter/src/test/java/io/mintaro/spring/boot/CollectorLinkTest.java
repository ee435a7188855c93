package io.mintaro.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.http.ServerExchange;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The SDK the starter builds, seen from the collector: its name, its key, its health, its shutdown. */
class CollectorLinkTest {
  private FakeCollector collector;
  private ApplicationContextRunner runner;

  @BeforeEach
  void start() throws Exception {
    collector = new FakeCollector();
    runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class))
        .withPropertyValues("spring.application.name=orders", "mintaro.collector=" + collector.url(),
            "mintaro.api-key=orders-key", "mintaro.reconnect-max-delay=200ms");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  @Test
  void theAgentRegistersWithTheApplicationsNameAndKey() {
    runner.run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      awaitConnected(sdk);
      FakeCollector.Received register = collector.received("/agent/v1/register").get(0);
      assertThat(register.authorization()).isEqualTo("Bearer orders-key");
      assertThat(register.body()).contains("\"service\":\"orders\"").contains(sdk.agentId());
      Health health = context.getBean("mintaroHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("connected", true).containsEntry("service", "orders");
    });
  }

  @Test
  void theRegistrationCarriesTheServiceVersion() {
    runner.withPropertyValues("mintaro.service-version=2.4.1", "spring.application.version=0.0.1").run(context -> {
      awaitConnected(context.getBean(MintaroSdk.class));
      assertThat(collector.received("/agent/v1/register").get(0).body()).contains("\"version\":\"2.4.1\"");
    });
  }

  @Test
  void theServiceVersionDefaultsToTheApplicationsVersionElseNone() {
    runner.withPropertyValues("spring.application.version=3.0.0-SNAPSHOT").run(context -> {
      awaitConnected(context.getBean(MintaroSdk.class));
      assertThat(collector.received("/agent/v1/register").get(0).body()).contains("\"version\":\"3.0.0-SNAPSHOT\"");
    });
  }

  @Test
  void withoutAnyVersionTheRegistrationHasNone() {
    runner.run(context -> {
      awaitConnected(context.getBean(MintaroSdk.class));
      assertThat(collector.received("/agent/v1/register").get(0).body()).doesNotContain("\"version\"");
    });
  }

  @Test
  void theKeyCanRideInTheCollectorUrlSoThatOnePropertyIsEnough() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class))
        .withPropertyValues("mintaro.collector=" + collector.url().replace("http://", "http://url-key@"))
        .run(context -> {
          awaitConnected(context.getBean(MintaroSdk.class));
          assertThat(collector.received("/agent/v1/register").get(0).authorization()).isEqualTo("Bearer url-key");
        });
  }

  @Test
  void aConfiguredCollectorThatIsNotReachedIsUnknownNeverDown() {
    collector.close();
    runner.run(context -> {
      Health health = context.getBean("mintaroHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(health.getDetails()).containsEntry("connected", false).containsEntry("collector", "configured");
    });
  }

  @Test
  void triggersCountedByTheCollectorShowInTheHealthDetails() {
    runner.withPropertyValues("mintaro.trigger-group-limit=1").run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      awaitConnected(sdk);
      for (int i = 0; i < 3; i++) {
        failedRequest(sdk);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (sdk.stats().triggersCounted() < 2) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the counts were not acknowledged: " + sdk.stats());
        }
        Thread.sleep(20);
      }
      Health health = context.getBean("mintaroHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getDetails()).containsEntry("triggersGroupLimited", 2L).containsEntry("triggersCounted", 2L)
          .containsKeys("historyMillis", "oldestRecordAgeMillis");
    });
  }

  @Test
  void shutdownWaitsForThePendingTriggerToReachTheCollector() throws Exception {
    collector.batchDelayMs(800);
    runner.withPropertyValues("mintaro.shutdown-timeout=5s").run(context -> {
      awaitConnected(context.getBean(MintaroSdk.class));
      failedRequest(context.getBean(MintaroSdk.class));
    });
    // The runner closed the context on the way out; by then the batch was acknowledged.
    assertThat(collector.acknowledgedBatches()).singleElement().asString().contains("HTTP 500");
  }

  @Test
  void shutdownWaitsNoLongerThanTheTimeout() {
    collector.batchDelayMs(30_000);
    long[] closing = new long[1];
    runner.withPropertyValues("mintaro.shutdown-timeout=300ms").run(context -> {
      awaitConnected(context.getBean(MintaroSdk.class));
      failedRequest(context.getBean(MintaroSdk.class));
      closing[0] = System.nanoTime();
    });
    long tookMs = (System.nanoTime() - closing[0]) / 1_000_000;
    assertThat(tookMs).as("closing the context with a collector that never answers").isLessThan(2_000);
    assertThat(collector.acknowledgedBatches()).isEmpty();
  }

  /** A request that answers 500: the SDK triggers and its agent posts the trace. */
  private static void failedRequest(MintaroSdk sdk) {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://orders/pay", "/pay", name -> null);
    exchange.status(500);
    exchange.close();
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
