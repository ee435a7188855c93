package io.mintaro.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slow thresholds learnt per route: after a warm-up, a request is slow when it took longer than
 * the route's recent 99th percentile, never below the floor; each route learns on its own, up to
 * a cap, and a route whose latency moves stops triggering once its sketch has followed.
 */
class AutoThresholdsTest {
  private static final long FLOOR = 10_000;
  private final Random random = new Random(5);
  private final AutoThresholds auto = new AutoThresholds(99, FLOOR);

  @Test
  void aRouteIsNeverSlowBeforeItHasSeenAHundredRequests() {
    for (int i = 0; i < AutoThresholds.WARM_UP; i++) {
      assertThat(auto.observe("GET", "/orders", 50_000 + i * 1_000_000L)).as("request %d", i + 1).isZero();
    }

    assertThat(auto.observe("GET", "/orders", 50_000)).isPositive();
    assertThat(auto.current("GET", "/orders")).isPositive();
  }

  @Test
  void theThresholdIsTheRoutesNinetyNinthPercentile() {
    feed("GET", "/search", 5_000, 20_000, 40_000);

    // uniform from 20 to 40 ms: p99 is 39.8 ms
    assertThat((double) auto.current("GET", "/search")).isCloseTo(39_800, withinPercentage(100.0 / 16));
    assertThat(auto.observe("GET", "/search", 30_000)).as("30 ms is not slow").isGreaterThan(30_000);
  }

  @Test
  void theChosenPercentileIsTheOneFollowed() {
    AutoThresholds p90 = new AutoThresholds(90, FLOOR);
    for (int i = 0; i < 5_000; i++) {
      p90.observe("GET", "/search", 20_000 + (long) (random.nextDouble() * 20_000));
    }

    assertThat((double) p90.current("GET", "/search")).isCloseTo(38_000, withinPercentage(100.0 / 16));
    assertThat(p90.percentile()).isEqualTo("90");
    assertThat(new AutoThresholds(99.9, FLOOR).percentile()).isEqualTo("99.9");
  }

  @Test
  void aFastRouteIsJudgedAgainstTheFloorNotItsJitter() {
    feed("GET", "/health", 1_000, 200, 2_000);

    assertThat(auto.current("GET", "/health")).isEqualTo(FLOOR);
    assertThat(auto.observe("GET", "/health", 9_000)).as("9 ms is not slow").isGreaterThan(9_000);
  }

  @Test
  void routesLearnIndependently() {
    feed("GET", "/fast", 2_000, 20_000, 25_000);
    feed("GET", "/reports", 2_000, 800_000, 1_200_000);
    feed("POST", "/fast", 2_000, 300_000, 400_000);

    long fast = auto.current("GET", "/fast");
    long reports = auto.current("GET", "/reports");
    assertThat(fast).isBetween(23_000L, 27_000L);
    assertThat(reports).isBetween(1_100_000L, 1_300_000L);
    assertThat(auto.current("POST", "/fast")).as("another method, another route").isBetween(370_000L, 430_000L);
    assertThat(100_000L).as("100 ms is slow for one, not for the other").isGreaterThan(fast).isLessThan(reports);
  }

  @Test
  void pathSegmentsWithDigitsAreValuesOfOneRoute() {
    for (int id = 0; id < AutoThresholds.WARM_UP; id++) {
      auto.observe("GET", "/orders/" + (1000 + id) + "/items", 2_000);
    }

    assertThat(auto.current("GET", "/orders/77/items")).isEqualTo(FLOOR);
    assertThat(auto.current("GET", "/orders/9f86d081/items")).as("any value with a digit").isEqualTo(FLOOR);
    assertThat(auto.current("GET", "/orders/mine/items")).as("a word is a segment of its own").isZero();
    assertThat(auto.current("GET", "/orders/77")).isZero();
    assertThat(AutoThresholds.hash("GET", "/v1/orders")).as("versions are kept")
        .isNotEqualTo(AutoThresholds.hash("GET", "/v2/orders"))
        .isEqualTo(AutoThresholds.hash("GET", "/v1/orders"));
    assertThat(AutoThresholds.hash("GET", "/a/b")).isNotEqualTo(AutoThresholds.hash("GET", "/ab"))
        .isNotEqualTo(AutoThresholds.hash("GET", "/a/b/"));
  }

  @Test
  void nullsAndOddPathsAreRoutesToo() {
    assertThat(auto.observe(null, null, 1_000)).isZero();
    assertThat(auto.observe("GET", "", 1_000)).isZero();
    assertThat(auto.observe("GET", "x".repeat(10_000), 1_000)).isZero();
    assertThat(auto.observe("GET", "//", -5)).isZero();
  }

  @Test
  void routesBeyondTheCapShareOneSketch() {
    AutoThresholds capped = new AutoThresholds(99, FLOOR, 4, AutoThresholds.WARM_UP, AutoThresholds.HALVE_EVERY);
    for (String route : List.of("/a", "/b", "/c", "/d")) {
      for (int i = 0; i < 150; i++) {
        capped.observe("GET", route, 500_000);
      }
    }
    // six more routes, 20 requests each: none warm on its own, together they are
    for (String route : List.of("/e", "/f", "/g", "/h", "/i", "/j")) {
      for (int i = 0; i < 20; i++) {
        capped.observe("GET", route, 50_000);
      }
    }

    assertThat(capped.current("GET", "/a")).isCloseTo(500_000, withinPercentage(100.0 / 16));
    assertThat(capped.current("GET", "/e")).isCloseTo(50_000, withinPercentage(100.0 / 16))
        .isEqualTo(capped.current("GET", "/j")).isEqualTo(capped.current("GET", "/never-seen"));
  }

  @Test
  void theDefaultCapIsTwoHundredAndFiftySixRoutes() {
    for (int route = 0; route < AutoThresholds.MAX_ROUTES; route++) {
      auto.observe("GET", "/route-" + (char) ('a' + route % 26) + "-" + (char) ('a' + route / 26), 20_000);
    }
    for (int i = 0; i < AutoThresholds.WARM_UP; i++) {
      auto.observe("GET", "/beyond", 30_000);
    }

    assertThat(auto.current("GET", "/route-a-a")).as("tracked, one request").isZero();
    assertThat(auto.current("GET", "/beyond")).as("shared, warm").isPositive()
        .isEqualTo(auto.current("GET", "/other"));
  }

  @Test
  void aRouteWhoseLatencyShiftsUpStopsTriggeringOnceItsSketchHasFollowed() {
    feed("GET", "/checkout", 3_000, 18_000, 22_000);

    int slowJustAfter = slowCount("/checkout", 50, 90_000, 110_000);
    int slowLater = 0;
    int later = 0;
    for (int i = 0; i < 6_000; i++) {
      boolean slow = observeSlow("/checkout", 90_000, 110_000);
      if (i >= 3_000) {
        later++;
        slowLater += slow ? 1 : 0;
      }
    }

    assertThat(slowJustAfter).as("the first requests at the new latency are slow").isGreaterThanOrEqualTo(40);
    assertThat((double) slowLater / later).as("then about 1 in 100, as before the shift").isLessThan(0.03);
    assertThat((double) auto.current("GET", "/checkout")).isCloseTo(110_000, withinPercentage(100.0 / 16));
  }

  @Test
  void aSteadyRouteTriggersForAboutOneRequestInAHundred() {
    // lognormal, median 30 ms: a tail, as real latencies have
    for (int i = 0; i < 2_000; i++) {
      auto.observe("GET", "/steady", lognormal());
    }

    int slow = 0;
    for (int i = 0; i < 20_000; i++) {
      long duration = lognormal();
      long threshold = auto.observe("GET", "/steady", duration);
      slow += duration > threshold ? 1 : 0;
    }

    // 200 expected; halving whole counts, which rounds the tail's sparse buckets away, gave 290
    assertThat(slow).isBetween(160, 250);
  }

  private long lognormal() {
    return (long) (30_000 * Math.exp(0.5 * random.nextGaussian()));
  }

  @Test
  void concurrentRequestsOfOneRouteLearnItsDistribution() throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Random own = new Random(t);
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 50_000; i++) {
            auto.observe("GET", "/shared/" + (i % 7), 20_000 + (long) (own.nextDouble() * 20_000));
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failures).hasValue(0);
    // lost increments under contention move the estimate by less than a bucket
    assertThat((double) auto.current("GET", "/shared/1")).isCloseTo(39_800, withinPercentage(100.0 / 8));
  }

  @ParameterizedTest
  @ValueSource(doubles = {49.99, 100, 100.5, -1, Double.NaN})
  void aPercentileOutsideFiftyToHundredIsRefused(double percentile) {
    assertThatThrownBy(() -> new AutoThresholds(percentile, FLOOR)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 50 and below 100");
  }

  private void feed(String method, String path, int count, long fromMicros, long toMicros) {
    for (int i = 0; i < count; i++) {
      auto.observe(method, path, fromMicros + (long) (random.nextDouble() * (toMicros - fromMicros)));
    }
  }

  private int slowCount(String path, int count, long fromMicros, long toMicros) {
    int slow = 0;
    for (int i = 0; i < count; i++) {
      slow += observeSlow(path, fromMicros, toMicros) ? 1 : 0;
    }
    return slow;
  }

  private boolean observeSlow(String path, long fromMicros, long toMicros) {
    long duration = fromMicros + (long) (random.nextDouble() * (toMicros - fromMicros));
    long threshold = auto.observe("GET", path, duration);
    return threshold > 0 && duration > threshold;
  }
}
