package io.mintaro.collector.metrics;

import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Auth;
import java.util.List;

/**
 * {@code GET /metrics}: the collector's metrics in the Prometheus text format. Open by default, as
 * Prometheus scrapes without credentials; with a metrics key ({@code MINTARO_METRICS_KEY}) it needs
 * {@code Authorization: Bearer <metrics key>}. The API keys do not open it: a scraper's credential
 * should not also read traces.
 */
public final class MetricsEndpoint {
    private final CollectorMetrics metrics;
    private final Auth auth;

    /** @param metricsKey the key a scrape must present, or {@code null} for none */
    public MetricsEndpoint(CollectorMetrics metrics, String metricsKey) {
        this.metrics = metrics;
        this.auth = metricsKey == null ? null : new Auth(List.of(metricsKey));
    }

    /** Answers the scrape, or {@code 401} when a key is configured and not presented. */
    public void scrape(Context ctx) {
        if (auth != null) {
            String h = ctx.header("Authorization");
            String token = h != null && h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? h.substring(7).trim() : null;
            if (token == null || !auth.accepts(token)) {
                throw new ApiException(401, "/metrics needs Authorization: Bearer <metrics key> (MINTARO_METRICS_KEY)");
            }
        }
        ctx.status(200).contentType(CollectorMetrics.CONTENT_TYPE).result(metrics.scrape());
    }
}
