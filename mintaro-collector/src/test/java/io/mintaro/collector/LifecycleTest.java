package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping an embedded collector. */
class LifecycleTest {
    @TempDir
    Path dir;

    @Test
    void portZeroBindsAFreePortAndCloseIsIdempotent() {
        TestCollector c = TestCollector.start(dir);
        assertThat(c.collector.port()).isPositive();
        assertThat(c.collector.url()).isEqualTo("http://127.0.0.1:" + c.collector.port());
        assertThat(c.get("/api/health").statusCode()).isEqualTo(200);
        c.close();
        c.close();
    }

    @Test
    void aPortInUseFailsTheStartAndReleasesTheDatabase() {
        try (TestCollector first = TestCollector.start(dir.resolve("a"))) {
            int taken = first.collector.port();
            assertThatThrownBy(() -> TestCollector.start(dir.resolve("b"), b -> b.port(taken)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start");
        }
        // The failed start closed its database: the same file opens again.
        try (TestCollector again = TestCollector.start(dir.resolve("b"))) {
            assertThat(again.get("/api/traces").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aCollectorRestartsOnTheSamePortAndFile() {
        int port;
        try (TestCollector c = TestCollector.start(dir)) {
            port = c.collector.port();
        }
        try (TestCollector c = TestCollector.start(dir, b -> b.port(port))) {
            assertThat(c.collector.port()).isEqualTo(port);
        }
    }
}
