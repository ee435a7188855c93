package io.mintaro.collector.store;

/**
 * Equal time buckets over a range, for charts of counts over time: bucket {@code i} is
 * {@code [fromUs + i·widthUs, fromUs + (i+1)·widthUs)}.
 *
 * @param fromUs start of the first bucket, epoch microseconds
 * @param widthUs width of each bucket, a whole number of milliseconds
 * @param count number of buckets, 1 to {@link #MAX_COUNT}
 */
public record TimeBuckets(long fromUs, long widthUs, int count) {
    /** The most buckets a chart asks for. */
    public static final int MAX_COUNT = 500;

    public TimeBuckets {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("buckets must be 1 to " + MAX_COUNT + ", not " + count);
        }
        if (widthUs < 1000 || widthUs % 1000 != 0) {
            throw new IllegalArgumentException("a bucket is a whole number of milliseconds, not " + widthUs + " µs");
        }
    }

    /**
     * {@code count} buckets from {@code fromUs} that cover {@code [fromUs, toUs)}: the width is
     * rounded up to a whole millisecond, so the last bucket may end after {@code toUs}.
     */
    public static TimeBuckets covering(long fromUs, long toUs, int count) {
        long span = Math.max(1, toUs - fromUs);
        long widthMs = Math.max(1, Math.floorDiv(Math.floorDiv(span + count - 1, count) + 999, 1000));
        return new TimeBuckets(fromUs, widthMs * 1000, count);
    }

    /** End of the last bucket (exclusive). */
    public long toUs() {
        return fromUs + widthUs * count;
    }

    /** The bucket of a time in {@code [fromUs, toUs())}. */
    public int index(long us) {
        return (int) Math.floorDiv(us - fromUs, widthUs);
    }
}
