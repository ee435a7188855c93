package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN/NOTIFY} on the channel {@value #CHANNEL}, the agent id as payload.
 * {@code pg_notify} runs inside the transaction that made the ask, so a notification is sent
 * exactly when the ask is committed. Each collector listens on a connection of its own (not from
 * the pool: it is held for ever); when that connection is lost, it reconnects with back-off and
 * asks for a resync, since notifications sent meanwhile are lost.
 */
final class PostgresNotifications implements AgentNotifications {
    static final String CHANNEL = "mintaro_agent_work";
    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

    private final Database database;
    private volatile boolean closed;
    private volatile Thread listener;

    PostgresNotifications(Database database) {
        this.database = database;
    }

    @Override
    public void publish(Tx tx, String agentId) throws SQLException {
        PreparedStatement ps = tx.get("SELECT pg_notify('" + CHANNEL + "', ?)");
        ps.setString(1, agentId);
        ps.executeQuery().close();
    }

    @Override
    public synchronized void listen(Consumer<String> agentWithWork, Runnable resync) {
        if (listener != null || closed) {
            return;
        }
        Thread t = new Thread(() -> run(agentWithWork, resync), "mintaro-pg-listen");
        t.setDaemon(true);
        listener = t;
        t.start();
    }

    private void run(Consumer<String> agentWithWork, Runnable resync) {
        long backoffMs = 100;
        while (!closed) {
            try (Connection c = connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                backoffMs = 100;
                // After LISTEN: asks committed from now on are notified, earlier ones are read.
                resync.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        try {
                            agentWithWork.accept(n.getParameter());
                        } catch (RuntimeException e) {
                            log.warn("handling a notification for agent {} failed", n.getParameter(), e);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("listening for agent notifications failed ({}); reconnecting in {} ms", e.getMessage(),
                        backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (database.user() != null) {
            props.setProperty("user", database.user());
        }
        if (database.password() != null) {
            props.setProperty("password", database.password());
        }
        props.setProperty("ApplicationName", "mintaro-collector-listen");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(database.url(), props);
    }

    @Override
    public void close() {
        closed = true;
        Thread t = listener;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
