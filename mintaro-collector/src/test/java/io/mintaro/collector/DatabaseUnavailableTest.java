package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Database;
import io.mintaro.testkit.servers.PostgresCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector whose database cannot be reached answers {@code 503 {"error": "database unavailable"}}
 * (agents back off and send again, a load balancer may try another replica), not {@code 500}, and
 * serves again by itself once the database is back.
 */
class DatabaseUnavailableTest {
    static final String PAYMENTS = "b000000000000001";

    @TempDir
    Path dir;

    @Test
    void requestsThatCannotGetADatabaseConnectionGet503AndSucceedOnceTheDatabaseIsBack() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start()) {
            String url = pg.createDatabase("unavailable");
            try (TestCollector c = TestCollector.start(dir,
                    b -> b.database(Database.postgresql(url, pg.user(), pg.password())))) {
                c.register(PAYMENTS, "payments");
                ObjectNode b = batch(PAYMENTS);
                trigger(b, traceId(0xd01), "error", "HTTP 500", 1_763_700_000_123L);
                entry(b, traceId(0xd01), false);

                pg.stop();
                HttpResponse<String> api;
                HttpResponse<String> batch;
                try {
                    // A request that meets a pooled connection the shutdown closed still gets 500:
                    // PooledTransactions reports "Connection is closed" (no SQLSTATE) in place of the
                    // failure (mintaro-it-replicas' DatabaseOutageTest shows it). Once the pool has
                    // dropped those, every request waits for a new connection, and that is the case here.
                    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    do {
                        api = c.get("/api/traces");
                    } while (api.statusCode() != 503 && System.nanoTime() < until);
                    batch = c.agentPost("/agent/v1/batches", b);
                } finally {
                    pg.restart();
                }
                assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
                assertThat(TestCollector.json(api).get("error").asText()).isEqualTo("database unavailable");
                assertThat(batch.statusCode()).as(batch.body()).isEqualTo(503);
                assertThat(TestCollector.json(batch).get("error").asText()).isEqualTo("database unavailable");

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                HttpResponse<String> again = c.agentPost("/agent/v1/batches", b);
                while (again.statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    again = c.agentPost("/agent/v1/batches", b);
                }
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(c.trace(traceId(0xd01)).get("services")).extracting(n -> n.asText())
                        .containsExactly("payments");
            }
        }
    }

    @Test
    void onlyAFailureToReachTheDatabaseCountsAsUnavailable() {
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(new SQLException("connection does not exist", "08003"))).isTrue();
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(
                new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(
                new IllegalStateException("wrapped", new SQLException("Connection refused", "08001")))).isTrue();

        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(new SQLException("no state"))).isFalse();
        assertThat(io.mintaro.collector.internal.DatabaseErrors.unavailable(new IllegalStateException("a bug"))).isFalse();
    }
}
