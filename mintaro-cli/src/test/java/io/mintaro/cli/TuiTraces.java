package io.mintaro.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The traces the TUI's tests browse, stored in a real collector: an error trace orders → payments
 * whose payments span failed with logs of every level (one ERROR with an exception: critical),
 * and a slow trace of payments alone. Two groups: the exception's and the slow one.
 */
final class TuiTraces {
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final String ERROR_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SLOW_TRACE = "abcdef00000000000000000000000001";
    static final String ERROR_GROUP = "java.lang.IllegalStateException in POST /payments";
    static final String SLOW_GROUP = "slow in POST /payments";

    private TuiTraces() {
    }

    static void store(RealCollector c) {
        c.register(ORDERS, "orders", "2.4.1");
        c.register(PAYMENTS, "payments", "1.0.0");
        long t0Us = System.currentTimeMillis() * 1000 - 60_000_000L;
        String root = "00000000000000a1";
        String child = "00000000000000b2";
        RealCollector.Batch orders = new RealCollector.Batch(ORDERS, ERROR_TRACE, "error", "HTTP 502 from POST /orders");
        orders.span(root, null, "POST /orders", "failed", t0Us, 30_000);
        orders.message(1, root, "inbound", "POST", "http://127.0.0.1:8081/orders", 502, t0Us, "{\"item\": \"book\"}",
                "{\"error\": \"upstream\"}");
        orders.message(2, root, "outbound", "POST", "http://127.0.0.1:8083/payments", 500, t0Us + 1_000, "{\"amount\": 12}", "{}");
        orders.log(3, root, t0Us + 100, "DEBUG", "handling POST /orders");
        orders.log(4, null, t0Us + 200, "WARN", "pool nearly exhausted");
        c.post(orders);

        RealCollector.Batch payments = new RealCollector.Batch(PAYMENTS, ERROR_TRACE, "error", "ERROR bank declined the card");
        // Payments failed first: its trigger is the earliest, so the trace's origin.
        ((ObjectNode) payments.json.get("triggers").get(0)).put("atMs", System.currentTimeMillis() - 1_000);
        ObjectNode failed = payments.span(child, root, "POST /payments", "failed", t0Us + 2_000, 20_000);
        failed.putObject("error").put("type", "HTTP 500").put("message", "POST /payments").putNull("stack");
        payments.span("00000000000000c3", child, "SELECT accounts", "succeeded", t0Us + 2_500, 1_000);
        payments.span("00000000000000c4", child, "POST /bank/charge", "succeeded", t0Us + 4_000, 8_000);
        payments.log(10, child, t0Us + 2_100, "TRACE", "entering charge");
        payments.log(11, child, t0Us + 3_000, "INFO", "charging card");
        payments.log(12, child, t0Us + 3_500, "WARN", "bank answered slowly");
        payments.log(13, child, t0Us + 3_800, "ERROR", "retry budget low");
        payments.log(14, child, t0Us + 4_000, "ERROR", "bank declined the card").putObject("error")
                .put("type", "java.lang.IllegalStateException").put("message", "card declined")
                .put("stack", "at Bank.charge(Bank.java:12)\nat Payments.pay(Payments.java:40)");
        c.post(payments);
        c.awaitStored(ERROR_TRACE);

        RealCollector.Batch slow = new RealCollector.Batch(PAYMENTS, SLOW_TRACE, "slow", "slow POST /payments");
        slow.span("00000000000000d4", null, "POST /payments", "succeeded", t0Us - 5_000_000L, 2_000_000);
        c.post(slow);
        c.awaitStored(SLOW_TRACE);
    }
}
