package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.json.JsonReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent says of its process when it registers (docs/protocol.md, {@code POST /agent/v1/register}). */
class AgentRegistrationTest {

  @Test
  void theRegistrationCarriesTheServiceVersionGiven() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("orders").serviceVersion(" 2.4.1+build.7 ")
            .collector(collector.url()).build()) {
      Map<String, Object> registration = firstRegistration(collector);

      assertThat(registration.get("service")).isEqualTo("orders");
      assertThat(registration.get("version")).isEqualTo("2.4.1+build.7");
      assertThat(registration.get("agentId")).isEqualTo(sdk.agentId());
    }
  }

  @Test
  void withoutAServiceVersionTheRegistrationHasNoVersionField() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("orders").collector(collector.url()).build()) {
      Map<String, Object> registration = firstRegistration(collector);

      assertThat(registration).containsKey("service").doesNotContainKey("version");
    }
  }

  @SuppressWarnings("unchecked") // a JSON object
  private static Map<String, Object> firstRegistration(FakeCollector collector) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (collector.received("register").isEmpty()) {
      assertThat(System.nanoTime() - deadline).as("no registration within 10 s").isNegative();
      Thread.sleep(20);
    }
    return (Map<String, Object>) JsonReader.parse(collector.received("register").get(0).body());
  }
}
