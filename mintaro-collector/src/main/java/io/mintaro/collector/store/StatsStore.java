package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.List;

/** Statistics over stored records. */
public interface StatsStore {
    /**
     * Duration statistics of the finished spans starting in {@code [fromUs, toUs)}, per service,
     * name and kind.
     *
     * @param toUs exclusive upper bound, or null for none
     * @param service only this service, or null
     */
    List<SpanStats> spanStats(long fromUs, Long toUs, String service) throws SQLException;

    /** Services with registered agents, by name. */
    List<ServiceRow> services() throws SQLException;
}
