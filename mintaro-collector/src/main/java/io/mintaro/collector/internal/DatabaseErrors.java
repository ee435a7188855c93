package io.mintaro.collector.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.Predicate;

/** Tells, from a failed statement, a database that cannot be reached (now) or has no room left. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /**
     * Whether {@code e} (or a cause) says the database has no room left: SQLite's disk or
     * {@code max_page_count} is full, PostgreSQL's disk is full (53100). Nothing of the failed
     * write was committed, and it may succeed once space is freed: {@code 507}, not {@code 500}.
     */
    public static boolean full(Throwable e) {
        return anyCause(e, t -> t instanceof SQLException s
                && ("53100".equals(s.getSQLState()) || String.valueOf(s.getMessage()).contains("SQLITE_FULL")));
    }

    /**
     * Whether {@code e} (or a cause) says the database is unreachable or busy: a connection that
     * failed or timed out (SQLState class 08, a pool timeout), PostgreSQL shutting down or out of
     * connections (57P01–57P03, 53300), SQLite busy or locked. Such a request may succeed later:
     * {@code 503}, not {@code 500}.
     */
    public static boolean unavailable(Throwable e) {
        return anyCause(e, t -> {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("53300"))) {
                    return true;
                }
                String message = String.valueOf(s.getMessage());
                return message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED");
            }
            return false;
        });
    }

    private static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
