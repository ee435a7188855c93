package io.mintaro.collector;

import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Many traces shaped like the demo's ({@code frontend → orders → payments}, 7 spans, 4 messages,
 * 6-7 logs each), written straight into a store: 60% errors of six kinds, 30% slow, 10% manual.
 */
final class DemoTraces {
    static final String FRONTEND = "f000000000000001";
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final Map<String, String> SERVICES = Map.of(FRONTEND, "frontend", ORDERS, "orders", PAYMENTS, "payments");

    private DemoTraces() {
    }

    /**
     * Writes {@code count} traces, started evenly over the {@code spanHours} hours before now,
     * in batches of 500 traces per service.
     */
    static void fill(Path db, int count, int spanHours) throws Exception {
        long nowMs = System.currentTimeMillis();
        long firstUs = (nowMs - spanHours * 3_600_000L) * 1000;
        long stepUs = spanHours * 3_600_000_000L / count;
        try (Storage store = Storage.open(Database.sqlite(db))) {
            for (int from = 0; from < count; from += 500) {
                Map<String, ObjectNode> triggers = batches();
                Map<String, ObjectNode> records = batches();
                for (int i = from; i < Math.min(count, from + 500); i++) {
                    add(triggers, records, i, firstUs + i * stepUs);
                }
                // Triggers first: records of a trace nothing triggered would be dropped.
                for (Map<String, ObjectNode> batches : java.util.List.of(triggers, records)) {
                    for (Map.Entry<String, ObjectNode> b : batches.entrySet()) {
                        store.ingest().store(ProtocolParser.batch(b.getValue()), SERVICES.get(b.getKey()), nowMs);
                    }
                }
            }
        }
    }

    private static Map<String, ObjectNode> batches() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (String agent : new String[] {FRONTEND, ORDERS, PAYMENTS}) {
            out.put(agent, Records.batch(agent));
        }
        return out;
    }

    private static void add(Map<String, ObjectNode> triggers, Map<String, ObjectNode> records, int i, long t0) {
        String trace = String.format("%032x", 0x100000L + i);
        int kind = i % 20;
        int variant = (i / 20) % 6;
        boolean error = kind < 12;
        boolean slow = !error && kind < 18;
        long atMs = t0 / 1000 + 40;
        // Durations vary with i, so percentiles are not all equal.
        long pay = slow ? 1_500_000 + (i % 97) * 1000 : 5_000 + (i % 89) * 100;
        long ord = pay + 3_000 + (i % 13) * 100;
        long front = ord + 2_000 + (i % 7) * 100;
        String origin = "payments";
        if (error && (variant == 2 || variant == 5)) {
            origin = "orders";
        } else if (error && variant == 3) {
            origin = "frontend";
        } else if (slow && i % 3 == 0) {
            origin = "orders";
        } else if (!error && !slow) {
            origin = "frontend";
        }
        String originAgent = origin.equals("payments") ? PAYMENTS : origin.equals("orders") ? ORDERS : FRONTEND;
        trigger(triggers.get(originAgent), trace, error ? "error" : slow ? "slow" : "manual",
                error ? "HTTP 500" : slow ? "slow request" : "operator", atMs);

        ObjectNode fe = entry(records.get(FRONTEND), trace, true);
        span(fe, sid(i, 1), null, "GET /checkout", error ? "failed" : "succeeded", t0, t0 + front);
        span(fe, sid(i, 2), sid(i, 1), "POST /orders", "succeeded", t0 + 100, t0 + 100 + ord).put("kind", "client");
        message(fe, i * 10L + 1, sid(i, 2), "outbound", "POST", "http://orders/orders", error ? 502 : 201, t0 + 100,
                "{\"item\":\"book\"}", null);
        log(fe, i * 10L + 2, sid(i, 1), t0 + 10, "DEBUG", "checkout started for item=book");
        log(fe, i * 10L + 3, sid(i, 1), t0 + front - 10, error ? "WARN" : "INFO", "checkout done");

        ObjectNode or = entry(records.get(ORDERS), trace, true);
        ObjectNode orderSpan = span(or, sid(i, 3), sid(i, 2), "POST /orders", error ? "failed" : "succeeded",
                t0 + 200, t0 + 200 + ord - 200);
        span(or, sid(i, 4), sid(i, 3), "compute-invoice", "succeeded", t0 + 300, t0 + 300 + 500 + i % 50)
                .put("kind", "internal");
        span(or, sid(i, 5), sid(i, 3), "POST /payments", "succeeded", t0 + 900, t0 + 900 + pay).put("kind", "client");
        message(or, i * 10L + 1, sid(i, 3), "inbound", "POST", "http://orders/orders", error ? 502 : 201, t0 + 200,
                null, null);
        message(or, i * 10L + 2, sid(i, 5), "outbound", "POST", "http://payments/payments",
                error && origin.equals("payments") ? 500 : 200, t0 + 900, null, null);
        log(or, i * 10L + 3, sid(i, 3), t0 + 250, "DEBUG", "creating order");
        log(or, i * 10L + 4, sid(i, 3), t0 + 260, "DEBUG", "order costs 12.5");

        ObjectNode pa = entry(records.get(PAYMENTS), trace, true);
        ObjectNode paySpan = span(pa, sid(i, 6), sid(i, 5), "POST /payments",
                error && origin.equals("payments") ? "failed" : "succeeded", t0 + 1_000, t0 + 1_000 + pay - 200);
        span(pa, sid(i, 7), sid(i, 6), "bank-call", "succeeded", t0 + 1_100, t0 + 1_100 + pay - 400)
                .put("kind", "internal");
        message(pa, i * 10L + 1, sid(i, 6), "inbound", "POST", "http://payments/payments",
                error && origin.equals("payments") ? (variant == 1 ? 503 : 500) : 200, t0 + 1_000, null, null);
        log(pa, i * 10L + 2, sid(i, 6), t0 + 1_010, "DEBUG", "charging 12.5 for order");
        log(pa, i * 10L + 3, sid(i, 6), t0 + 1_020, "TRACE", "card token present: true");
        if (error) {
            switch (variant) {
                case 0 -> log(pa, i * 10L + 4, sid(i, 6), t0 + 1_030, "ERROR", "bank declined the card")
                        .putObject("error").put("type", "java.lang.IllegalStateException")
                        .put("message", "card declined").put("stack", "at Payments.charge");
                case 2 -> orderSpan.putObject("error").put("type", "java.lang.NullPointerException")
                        .put("message", "customer").put("stack", "at Orders.create");
                case 3 -> ((ObjectNode) fe.get("spans").get(0)).putObject("error")
                        .put("type", "java.util.concurrent.TimeoutException").put("message", "orders")
                        .put("stack", "at Frontend.checkout");
                case 4 -> paySpan.putObject("error").put("type", "java.sql.SQLException")
                        .put("message", "deadlock").put("stack", "at Payments.save");
                default -> {
                }
            }
        }
    }

    private static String sid(int trace, int n) {
        return String.format("%012x%04x", trace, n);
    }
}
