package io.mintaro.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-route latency sketch: log-spaced buckets at most 1/16 wide, so a quantile it reports
 * is within 6.25% of the samples' own, and halving that lets new samples outweigh old ones.
 */
class LatencySketchTest {
  /** A bucket is at most 1/16 wider than its lower bound, from 1 ms up. */
  private static final double RELATIVE_ERROR_PERCENT = 100.0 / 16;
  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  @Test
  void bucketsTileTheRangeWithoutGapsAndAreAtMostASixteenthWide() {
    assertThat(LatencySketch.BUCKETS).isEqualTo(304);
    for (int i = 0; i + 1 < LatencySketch.BUCKETS; i++) {
      long lower = LatencySketch.lowerBound(i);
      long next = LatencySketch.lowerBound(i + 1);
      assertThat(next).as("bucket %d", i).isGreaterThan(lower);
      assertThat(LatencySketch.bucket(lower)).isEqualTo(i);
      assertThat(LatencySketch.bucket(next - 1)).isEqualTo(i);
      if (lower >= 1_000) {
        assertThat((double) (next - lower) / lower).as("relative width of bucket %d", i).isLessThanOrEqualTo(1.0 / 16);
      } else {
        assertThat(next - lower).as("width below 1 ms").isEqualTo(64);
      }
    }
    assertThat(LatencySketch.lowerBound(LatencySketch.BUCKETS - 1)).isLessThan(1L << 28);
  }

  @Test
  void durationsOutsideTheRangeCountAtItsEnds() {
    assertThat(LatencySketch.bucket(-5)).isZero();
    assertThat(LatencySketch.bucket(0)).isZero();
    assertThat(LatencySketch.bucket(Long.MAX_VALUE)).isEqualTo(LatencySketch.BUCKETS - 1);
    assertThat(LatencySketch.bucket(1L << 28)).isEqualTo(LatencySketch.BUCKETS - 1);
  }

  @Test
  void anEmptySketchKnowsNoQuantile() {
    assertThat(new LatencySketch().quantile(0.99)).isZero();
  }

  @Test
  void quantilesOfAUniformDistributionAreWithinTheBucketWidth() {
    Random random = new Random(7);
    // 20 ms to 200 ms
    checkQuantiles(() -> 20_000 + (long) (random.nextDouble() * 180_000));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.25, 0.8, 1.5})
  void quantilesOfALognormalDistributionAreWithinTheBucketWidth(double sigma) {
    Random random = new Random(11);
    // median 40 ms, tails that reach seconds for the widest
    checkQuantiles(() -> (long) (40_000 * Math.exp(sigma * random.nextGaussian())));
  }

  @Test
  void quantilesMatchTheDistributionItself() {
    Random random = new Random(3);
    LatencySketch sketch = new LatencySketch();
    for (int i = 0; i < 200_000; i++) {
      sketch.add(20_000 + (long) (random.nextDouble() * 180_000));
    }

    for (double q : QUANTILES) {
      assertThat((double) sketch.quantile(q)).as("q=%s", q).isCloseTo(20_000 + q * 180_000,
          withinPercentage(RELATIVE_ERROR_PERCENT));
    }
  }

  @Test
  void afterHalvingNewSamplesOutweighOldOnes() {
    LatencySketch sketch = new LatencySketch();
    for (int i = 0; i < 1_000; i++) {
      sketch.add(20_000);
    }
    for (int round = 0; round < 4; round++) {
      sketch.halve();
    }
    assertThat(sketch.weight()).isEqualTo(62.5); // 1000 / 16

    for (int i = 0; i < 1_000; i++) {
      sketch.add(100_000);
    }

    assertThat((double) sketch.quantile(0.5)).isCloseTo(100_000, withinPercentage(RELATIVE_ERROR_PERCENT));
    assertThat((double) sketch.quantile(0.05)).isCloseTo(20_000, withinPercentage(RELATIVE_ERROR_PERCENT));
  }

  /** Compares the sketch's quantiles with those of the samples themselves. */
  private static void checkQuantiles(LongSupplier distribution) {
    int n = 100_000;
    long[] samples = new long[n];
    LatencySketch sketch = new LatencySketch();
    for (int i = 0; i < n; i++) {
      samples[i] = distribution.getAsLong();
      sketch.add(samples[i]);
    }
    Arrays.sort(samples);
    for (double q : QUANTILES) {
      long exact = samples[(int) Math.ceil(q * n) - 1];
      assertThat((double) sketch.quantile(q)).as("q=%s, exact %d µs", q, exact)
          .isCloseTo(exact, withinPercentage(RELATIVE_ERROR_PERCENT));
    }
  }
}
