package io.mintaro.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.trigger.SlowPolicy.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slow threshold of a request: the longest matching route prefix, else the default. */
class SlowPolicyTest {
  private final SlowPolicy policy = new SlowPolicy(2_000_000, List.of(
      Route.parse("/api", 500_000),
      Route.parse("/api/reports", 30_000_000),
      Route.parse("POST /api/reports", 60_000_000),
      Route.parse("get /health", 0),
      Route.parse("/api/reports/daily", 45_000_000)));

  @Test
  void theDefaultAppliesWhenNoRouteMatches() {
    assertThat(policy.thresholdMicros("GET", "/other")).isEqualTo(2_000_000);
    assertThat(policy.thresholdMicros("GET", null)).isEqualTo(2_000_000);
    assertThat(policy.thresholdMicros(null, "/other")).isEqualTo(2_000_000);
  }

  @Test
  void theLongestMatchingPrefixWins() {
    assertThat(policy.thresholdMicros("GET", "/api/orders")).isEqualTo(500_000);
    assertThat(policy.thresholdMicros("GET", "/api/reports/monthly")).isEqualTo(30_000_000);
    assertThat(policy.thresholdMicros("POST", "/api/reports/daily")).as("longer generic beats shorter specific")
        .isEqualTo(45_000_000);
  }

  @Test
  void aMethodSpecificRouteBeatsAGenericOneOfTheSameLength() {
    assertThat(policy.thresholdMicros("POST", "/api/reports")).isEqualTo(60_000_000);
    assertThat(policy.thresholdMicros("post", "/api/reports/x")).isEqualTo(60_000_000);
    assertThat(policy.thresholdMicros("GET", "/api/reports")).isEqualTo(30_000_000);
  }

  @Test
  void methodsMatchIgnoringCaseAndOnlyTheirOwnMethod() {
    assertThat(policy.thresholdMicros("GET", "/health")).isZero();
    assertThat(policy.thresholdMicros("HEAD", "/health")).isEqualTo(2_000_000);
  }

  @Test
  void theOrderRoutesAreGivenInDoesNotMatter() {
    SlowPolicy reversed = new SlowPolicy(1, List.of(Route.parse("POST /a", 3), Route.parse("/a", 2),
        Route.parse("/a/b", 4)));
    SlowPolicy forward = new SlowPolicy(1, List.of(Route.parse("/a/b", 4), Route.parse("/a", 2),
        Route.parse("POST /a", 3)));
    for (SlowPolicy p : List.of(reversed, forward)) {
      assertThat(p.thresholdMicros("POST", "/a/x")).isEqualTo(3);
      assertThat(p.thresholdMicros("GET", "/a/x")).isEqualTo(2);
      assertThat(p.thresholdMicros("POST", "/a/b/c")).isEqualTo(4);
    }
  }

  @Test
  void malformedRoutesAreRejected() {
    assertThatThrownBy(() -> Route.parse("api", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("GET api", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("/a", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
