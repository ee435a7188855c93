package io.mintaro.collector.store;

/**
 * Duration statistics of the finished spans sharing a service, name and kind. Percentiles are
 * nearest-rank: the p-th percentile of n sorted durations is the ⌈p·n/100⌉-th.
 */
public record SpanStats(String service, String name, String kind, long count, long p50Us, long p95Us,
                        long maxUs) {
}
