package io.mintaro.collector.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * Duration statistics of the finished spans sharing a service, name and kind. Percentiles are
 * nearest-rank: the p-th percentile of n sorted durations is the ⌈p·n/100⌉-th.
 *
 * @param latency how many durations fall in each bin of {@link #LATENCY_BOUNDS_MS}: bin
 *     {@code i} counts durations from bound {@code i − 1} (0 for the first) up to, not
 *     including, bound {@code i}; the last bin, one past the bounds, counts those of 50 s or more
 */
public record SpanStats(String service, String name, String kind, long count, long p50Us, long p95Us,
                        long maxUs, long[] latency) {
    /** The upper bounds of the latency bins, in milliseconds: 1-2-5 steps from 1 ms to 50 s. */
    public static final long[] LATENCY_BOUNDS_MS =
            {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000};

    /** The latency bins of durations (microseconds) sorted in ascending order. */
    public static long[] latencyOf(long[] sortedUs) {
        long[] bins = new long[LATENCY_BOUNDS_MS.length + 1];
        int bin = 0;
        for (long d : sortedUs) {
            while (bin < LATENCY_BOUNDS_MS.length && d >= LATENCY_BOUNDS_MS[bin] * 1000) {
                bin++;
            }
            bins[bin]++;
        }
        return bins;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanStats s && Objects.equals(service, s.service) && Objects.equals(name, s.name)
                && Objects.equals(kind, s.kind) && count == s.count && p50Us == s.p50Us && p95Us == s.p95Us
                && maxUs == s.maxUs && Arrays.equals(latency, s.latency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, name, kind, count, p50Us, p95Us, maxUs) * 31 + Arrays.hashCode(latency);
    }
}
