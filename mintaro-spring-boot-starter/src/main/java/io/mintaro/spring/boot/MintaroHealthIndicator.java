package io.mintaro.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link MintaroHealth} for Boot 4's Actuator (spring-boot-health). */
final class MintaroHealthIndicator implements HealthIndicator {
  private final MintaroHealth health;

  MintaroHealthIndicator(MintaroHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
