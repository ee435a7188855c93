package io.mintaro.collector.store;

/**
 * What happened in one service over a span of time (a bucket, or a whole range).
 *
 * @param startMs the start of the bucket (epoch milliseconds)
 * @param triggers triggers of the service's agents received (collector clock), extra reasons and
 *     counted triggers of stored traces included
 * @param errors stored traces triggered by the service (their earliest trigger is its) with status error
 * @param stored stored traces triggered by the service, by when their first trigger arrived
 * @param counted occurrences counted in the service's error groups whose trace is not stored, by
 *     the minute they happened in (agent clock)
 */
public record ServiceActivity(long startMs, long triggers, long errors, long stored, long counted) {
    /** Nothing happened from {@code startMs}. */
    public static ServiceActivity none(long startMs) {
        return new ServiceActivity(startMs, 0, 0, 0, 0);
    }

    /** This and {@code other} together, from this one's start. */
    public ServiceActivity plus(ServiceActivity other) {
        return new ServiceActivity(startMs, triggers + other.triggers, errors + other.errors,
                stored + other.stored, counted + other.counted);
    }
}
