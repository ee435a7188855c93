package io.mintaro.collector.alerts;

import java.util.List;
import java.util.Locale;

/**
 * What alerts in one namespace, and where the alert is delivered (docs/alerts.md).
 *
 * @param id the rule's id
 * @param namespace the namespace whose groups it watches
 * @param kind what it alerts on
 * @param url the webhook it posts to (http or https)
 * @param format the payload: {@code json} (generic) or {@code slack}
 * @param secret the HMAC secret that signs a {@code json} payload, or null for unsigned
 * @param threshold for {@link Kind#RATE}: occurrences in the window above which it alerts
 * @param windowMs for {@link Kind#RATE}: the window; for {@link Kind#DIGEST}: the period
 * @param rateLimit at most this many deliveries per minute; the rest become one summary
 * @param createdAtMs when it was created (collector clock)
 */
public record AlertRule(String id, String namespace, Kind kind, String url, String format, String secret,
        long threshold, long windowMs, int rateLimit, long createdAtMs) {

    /** The formats a rule may deliver in. */
    public static final List<String> FORMATS = List.of("json", "slack");

    /** What a rule alerts on. */
    public enum Kind {
        /** An error group seen for the first time. */
        NEW_GROUP,
        /** A group triaged OK, or silenced until a time now past, that occurs again. */
        REGRESSION,
        /** More than {@code threshold} occurrences of a group in {@code windowMs}. */
        RATE,
        /** Every new trace of a group triaged ALERT. */
        ALERT_LEVEL,
        /** A periodic summary of the groups triaged WARN that occurred. */
        DIGEST;

        /** The kind's name in the API: {@code new_group}, {@code regression}, ... */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code wire}, or null. */
        public static Kind parse(String wire) {
            for (Kind k : values()) {
                if (k.wire().equals(wire)) {
                    return k;
                }
            }
            return null;
        }
    }
}
