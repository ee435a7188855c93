package io.mintaro.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseErrorsTest {
    @Test
    void aLostOrTimedOutConnectionIsUnavailable() {
        assertThat(DatabaseErrors.unavailable(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(DatabaseErrors.unavailable(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(DatabaseErrors.unavailable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(DatabaseErrors.unavailable(new IllegalStateException("wrapped",
                new SQLException("I/O error", "08006")))).isTrue();
        assertThat(DatabaseErrors.unavailable(new SQLException("[SQLITE_BUSY] The database file is locked"))).isTrue();
    }

    @Test
    void aFaultyStatementIsNot() {
        assertThat(DatabaseErrors.unavailable(new SQLIntegrityConstraintViolationException("duplicate", "23505")))
                .isFalse();
        assertThat(DatabaseErrors.unavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseErrors.unavailable(new IllegalArgumentException("bad"))).isFalse();
    }
}
