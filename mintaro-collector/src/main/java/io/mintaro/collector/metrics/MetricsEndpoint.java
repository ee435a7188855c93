package io.mintaro.collector.metrics;

import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Sha256;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the collector's metrics in the Prometheus text format. Open by default, as
 * Prometheus scrapes without credentials; with a metrics key ({@code MINTARO_METRICS_KEY}) it needs
 * {@code Authorization: Bearer <metrics key>}. The API keys do not open it: a scraper's credential
 * should not also read traces.
 */
public final class MetricsEndpoint {
    private final CollectorMetrics metrics;
    private final byte[] keyDigest;

    /** @param metricsKey the key a scrape must present, or {@code null} for none */
    public MetricsEndpoint(CollectorMetrics metrics, String metricsKey) {
        this.metrics = metrics;
        this.keyDigest = metricsKey == null ? null : Sha256.digest(metricsKey);
    }

    /** Answers the scrape, or {@code 401} when a key is configured and not presented. */
    public void scrape(Context ctx) {
        if (keyDigest != null) {
            String h = ctx.header("Authorization");
            String token = h != null && h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? h.substring(7).trim() : null;
            // Digests compared in constant time: the time taken tells nothing of the key.
            if (token == null || !MessageDigest.isEqual(keyDigest, Sha256.digest(token))) {
                throw new ApiException(401, "/metrics needs Authorization: Bearer <metrics key> (MINTARO_METRICS_KEY)");
            }
        }
        ctx.status(200).contentType(CollectorMetrics.CONTENT_TYPE).result(metrics.scrape());
    }
}
