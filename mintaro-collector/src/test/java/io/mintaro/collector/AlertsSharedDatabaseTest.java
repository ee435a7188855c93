package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Database;
import io.mintaro.testkit.servers.PostgresCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two collectors on one PostgreSQL database: each alert event is queued once (its key is unique)
 * and delivered once (a delivery is claimed with a lease), whichever collector saw it.
 */
class AlertsSharedDatabaseTest {
    @TempDir
    Path one;
    @TempDir
    Path two;

    @Test
    void eachAlertIsDeliveredOnceByOneOfTwoCollectors() throws Exception {
        PostgresCluster pg = TestDatabase.cluster();
        Database db = Database.postgresql(pg.createDatabase("alerts_shared"), pg.user(), pg.password());
        try (WebhookReceiver hook = new WebhookReceiver();
             TestCollector a = TestCollector.start(one, x -> x.database(db));
             TestCollector b = TestCollector.start(two, x -> x.database(db))) {
            a.register(AlertsTest.PAYMENTS, "payments");
            assertThat(a.api("POST", "/api/alerts/rules", "{\"kind\":\"new_group\",\"rateLimit\":1000,\"url\":\""
                    + hook.url() + "\"}").statusCode()).isEqualTo(201);
            // Both collectors tick the same digest period: one digest.
            assertThat(b.api("POST", "/api/alerts/rules", "{\"kind\":\"digest\",\"windowMs\":1000,\"url\":\""
                    + hook.url() + "\"}").statusCode()).isEqualTo(201);
            ObjectNode warm = batch(AlertsTest.PAYMENTS);
            AlertsTest.addFailure(warm, "POST /warn", traceId(0x8fff));
            a.postBatch(warm);
            String warnGroup = a.getJson("/api/groups").at("/groups/0/fingerprint").asText();
            assertThat(a.api("PUT", "/api/groups/" + warnGroup + "/triage", "{\"level\":\"warn\"}").statusCode()).isEqualTo(200);
            Thread.sleep(5);
            for (int i = 0; i < 30; i++) {
                ObjectNode batch = batch(AlertsTest.PAYMENTS);
                AlertsTest.addFailure(batch, "POST /shared/" + i, traceId(0x8000 + i));
                AlertsTest.addFailure(batch, "POST /warn", traceId(0x8100 + i));
                (i % 2 == 0 ? a : b).postBatch(batch);
            }
            hook.await(l -> l.stream().filter(r -> r.body().contains("\"new_group\"")).count() >= 31
                    && l.stream().anyMatch(r -> r.body().contains("\"digest\"")), 20);
            Thread.sleep(2_500); // a duplicate, if any, would show now
            List<String> groups = new ArrayList<>();
            for (WebhookReceiver.Received r : hook.received()) {
                JsonNode body = TestCollector.JSON.readTree(r.body());
                if (body.get("event").asText().equals("new_group")) {
                    groups.add(body.at("/group/fingerprint").asText());
                }
            }
            assertThat(groups).hasSize(31).doesNotHaveDuplicates();
            assertThat(new HashSet<>(groups)).contains(warnGroup);
            // One digest per period that had WARN traces, never two for one period.
            List<String> digests = hook.received().stream().filter(r -> r.body().contains("\"digest\""))
                    .map(WebhookReceiver.Received::body).toList();
            assertThat(digests).isNotEmpty();
            JsonNode keys = a.getJson("/api/alerts/deliveries?limit=1000").get("deliveries");
            long digestRows = 0;
            for (JsonNode d : keys) {
                if (d.get("kind").asText().equals("digest")) {
                    digestRows++;
                    assertThat(d.get("state").asText()).isEqualTo("delivered");
                }
            }
            assertThat(digests).hasSize((int) digestRows);
        }
    }
}
