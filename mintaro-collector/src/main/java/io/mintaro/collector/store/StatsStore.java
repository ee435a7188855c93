package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Statistics over stored records, of one namespace at a time. */
public interface StatsStore {
    /**
     * Duration statistics of the finished spans starting in {@code [fromUs, toUs)}, per service,
     * name and kind.
     *
     * @param toUs exclusive upper bound, or null for none
     * @param service only this service, or null
     */
    List<SpanStats> spanStats(String namespace, long fromUs, Long toUs, String service) throws SQLException;

    /** The namespace's services with registered agents, by name. */
    List<ServiceRow> services(String namespace) throws SQLException;

    /**
     * A service's activity in {@code [fromMs, toMs)}, per bucket of {@code bucketMs} aligned on the
     * epoch; buckets with nothing are left out. Read by index ranges (triggers by service and
     * arrival, traces by triggering service and creation, group counts by service and minute),
     * never by scanning a table.
     *
     * @param bucketMs a whole number of minutes
     */
    List<ServiceActivity> activity(String namespace, String service, long fromMs, long toMs, long bucketMs)
            throws SQLException;

    /**
     * The activity of each of {@code services} in {@code [fromMs, toMs)}, as one bucket starting at
     * {@code fromMs}; from one snapshot, by the same index ranges as {@link #activity}.
     */
    Map<String, ServiceActivity> activityTotals(String namespace, Collection<String> services, long fromMs, long toMs)
            throws SQLException;
}
