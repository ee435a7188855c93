package io.mintaro.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.trigger.SlowPolicy.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slow threshold of a request: the longest matching route prefix, else the default, fixed or learnt. */
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
  void aRouteOverrideWinsOverALearntThresholdAndItsRouteLearnsNothing() {
    SlowPolicy learnt = new SlowPolicy(2_000_000, List.of(Route.parse("/reports", 30_000_000),
        Route.parse("GET /health", 0)), new AutoThresholds(99, 10_000));
    for (int i = 0; i < 200; i++) {
      assertThat(learnt.observe("GET", "/reports/daily", 100_000)).isEqualTo(30_000_000);
      assertThat(learnt.observe("GET", "/health", 100_000)).as("zero still disables").isZero();
      learnt.observe("GET", "/orders", 100_000);
      learnt.observe("POST", "/health", 100_000);
    }

    assertThat(learnt.thresholdMicros("GET", "/reports/daily")).isEqualTo(30_000_000);
    assertThat(learnt.learntPercentile("GET", "/reports/daily")).isNull();
    assertThat(learnt.thresholdMicros("GET", "/orders")).as("learnt, not the fixed default")
        .isNotEqualTo(2_000_000).isGreaterThanOrEqualTo(100_000);
    assertThat(learnt.learntPercentile("GET", "/orders")).isEqualTo("99");
    assertThat(learnt.thresholdMicros("POST", "/health")).as("the override is for GET only").isPositive();
  }

  @Test
  void withoutLearningEveryRequestIsJudgedAgainstTheFixedThresholds() {
    assertThat(policy.observe("GET", "/other", 5_000_000)).isEqualTo(2_000_000);
    assertThat(policy.observe("POST", "/api/reports", 5_000_000)).isEqualTo(60_000_000);
    assertThat(policy.learntPercentile("GET", "/other")).isNull();
  }

  @Test
  void malformedRoutesAreRejected() {
    assertThatThrownBy(() -> Route.parse("api", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("GET api", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.parse("/a", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
