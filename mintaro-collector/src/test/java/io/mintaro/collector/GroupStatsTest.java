package io.mintaro.collector;

import static io.mintaro.collector.GroupsTest.AT_MS;
import static io.mintaro.collector.GroupsTest.CARD;
import static io.mintaro.collector.GroupsTest.FRONTEND;
import static io.mintaro.collector.GroupsTest.MINUTE_US;
import static io.mintaro.collector.GroupsTest.ORDERS;
import static io.mintaro.collector.GroupsTest.PAYMENTS;
import static io.mintaro.collector.GroupsTest.UNAVAILABLE;
import static io.mintaro.collector.GroupsTest.loggedError;
import static io.mintaro.collector.GroupsTest.served;
import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unfiltered group list reads {@code group_stats} (schema 10), which triggers keep on every
 * write of {@code traces} and {@code group_counts}; a list with a time range walks the traces and
 * counts themselves. With a range that selects everything, both must answer the same, whatever
 * happened: traces that move between groups, counted occurrences taken back, triage, and rows
 * deleted behind the collector's back (as retention does).
 */
class GroupStatsTest {
    /** A range that selects every trace and counted occurrence: the filtered search walks. */
    static final String WALK = "&from=1970-01-01T00:00:00Z";

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir);
        c.register(FRONTEND, "frontend");
        c.register(ORDERS, "orders");
        c.register(PAYMENTS, "payments");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void theKeptFiguresOfEveryGroupEqualAWalkOverItsTracesAndCounts() throws Exception {
        // A trace that moves twice: frontend's group, then orders', then payments' (the origin).
        String moving = traceId(0x901);
        ObjectNode front = served(FRONTEND, moving, 1, null, "GET /checkout", T0_US, 40_000, 502);
        trigger(front, moving, "error", "HTTP 502 from GET /checkout", AT_MS + 40);
        c.postBatch(front);
        assertSameAsWalk(1);
        ObjectNode orders = served(ORDERS, moving, 2, 1, "POST /orders", T0_US + 1_000, 30_000, 502);
        trigger(orders, moving, "error", "HTTP 502 from POST /orders", AT_MS + 31);
        c.postBatch(orders);
        assertSameAsWalk(1);
        card(moving, 3, T0_US + 2_000, AT_MS + 7);
        assertSameAsWalk(1);

        // More of the group, later and earlier than the first, and another group.
        String latest = traceId(0x902);
        card(latest, 1, T0_US + 5 * MINUTE_US, AT_MS + 300_000);
        card(traceId(0x903), 1, T0_US - 3 * MINUTE_US, AT_MS - 180_000);
        String unavailable = traceId(0x904);
        ObjectNode u = served(PAYMENTS, unavailable, 1, null, "POST /payments", T0_US + MINUTE_US, 9_000, 503);
        trigger(u, unavailable, "error", "HTTP 503 from POST /payments", AT_MS + 60_000);
        c.postBatch(u);
        JsonNode groups = assertSameAsWalk(2);
        JsonNode cardGroup = group(groups, CARD);
        assertThat(cardGroup.get("traces").asLong()).isEqualTo(3);
        assertThat(cardGroup.get("lastTraceId").asText()).isEqualTo(latest);

        // Counted occurrences: one whose trace is then stored (taken back: its minute row goes),
        // and some without ids, in minutes of their own.
        String countedThenStored = traceId(0x905);
        ObjectNode counts = Records.batch(PAYMENTS);
        ObjectNode entry = Records.counted(counts, "error", "POST /payments", "java.lang.IllegalStateException");
        Records.occurrence(entry, countedThenStored, AT_MS + 20 * 60_000);
        Records.more(entry, 4, AT_MS + 30 * 60_000);
        c.postBatch(counts);
        assertThat(group(assertSameAsWalk(2), CARD).get("occurrences").asLong()).isEqualTo(3 + 1 + 4);
        card(countedThenStored, 1, T0_US + 20 * MINUTE_US, AT_MS + 20 * 60_000);
        cardGroup = group(assertSameAsWalk(2), CARD);
        assertThat(cardGroup.get("occurrences").asLong()).isEqualTo(4 + 4);
        assertThat(cardGroup.get("lastTraceId").asText()).isEqualTo(countedThenStored);

        // Triage acknowledges the traces so far; a later one is new.
        assertThat(c.api("PUT", "/api/groups/" + CARD + "/triage", "{\"level\": \"warn\"}").statusCode())
                .isEqualTo(200);
        assertThat(group(assertSameAsWalk(2), CARD).get("newSinceTriage").asLong()).isZero();
        Thread.sleep(5); // a later millisecond of the collector's clock
        card(traceId(0x906), 1, T0_US + 2 * MINUTE_US, AT_MS + 120_000);
        assertThat(group(assertSameAsWalk(2), CARD).get("newSinceTriage").asLong()).isEqualTo(1);

        // Rows deleted by someone else: the latest trace, every trace of a group, a minute of counts.
        try (Connection db = c.connect()) {
            db.setAutoCommit(true);
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM traces WHERE trace_id = ?")) {
                ps.setString(1, countedThenStored);
                ps.executeUpdate();
                ps.setString(1, traceId(0x906));
                ps.executeUpdate();
                ps.setString(1, unavailable);
                ps.executeUpdate();
            }
        }
        cardGroup = group(assertSameAsWalk(1), CARD);
        assertThat(cardGroup.get("traces").asLong()).isEqualTo(3);
        assertThat(cardGroup.get("newSinceTriage").asLong()).isZero();
        assertThat(cardGroup.get("lastTraceId").asText()).isEqualTo(latest);
        assertThat(c.api("GET", "/api/groups/" + UNAVAILABLE, null).statusCode()).isEqualTo(404);
        try (Connection db = c.connect(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            st.executeUpdate("DELETE FROM group_counts WHERE minute_ms = (SELECT max(minute_ms) FROM group_counts)");
        }
        assertSameAsWalk(1);
    }

    /** A trace of the CARD group: payments logged the exception and answered 500. */
    private void card(String traceId, int span, long startUs, long atMs) {
        ObjectNode payments = served(PAYMENTS, traceId, span, span > 1 ? span - 1 : null, "POST /payments", startUs,
                20_000, 500);
        loggedError(payments, "java.lang.IllegalStateException", startUs + 3_000);
        trigger(payments, traceId, "error", "ERROR bank declined the card", atMs);
        c.postBatch(payments);
    }

    /**
     * Asserts that every listing (all, errors, slow, a page) and every group and its traces' total
     * read from the kept figures equal the walk; answers the full list.
     */
    private JsonNode assertSameAsWalk(int groups) {
        for (String filters : new String[] {"?silenced=show&pageSize=200", "?status=error", "?speed=slow",
            "?silenced=show&pageSize=1&page=2"}) {
            JsonNode kept = c.getJson("/api/groups" + filters);
            assertThat(kept).as(filters).isEqualTo(c.getJson("/api/groups" + filters + WALK));
        }
        JsonNode all = c.getJson("/api/groups?silenced=show&pageSize=200");
        assertThat(all.get("total").asLong()).isEqualTo(groups);
        for (JsonNode g : all.get("groups")) {
            String fp = g.get("fingerprint").asText();
            assertThat(c.getJson("/api/groups/" + fp)).isEqualTo(g);
            JsonNode traces = c.getJson("/api/groups/" + fp + "/traces?pageSize=1");
            assertThat(traces.get("total").asLong()).isEqualTo(g.get("traces").asLong());
            if (g.get("traces").asLong() > 0) {
                assertThat(traces.at("/traces/0/traceId").asText()).isEqualTo(g.get("lastTraceId").asText());
            }
        }
        return all.get("groups");
    }

    private static JsonNode group(JsonNode groups, String fingerprint) {
        for (JsonNode g : groups) {
            if (g.get("fingerprint").asText().equals(fingerprint)) {
                return g;
            }
        }
        throw new AssertionError("no group " + fingerprint + " in " + groups);
    }
}
