package io.mintaro.collector.store.internal;

import java.sql.SQLException;
import java.util.function.Consumer;

/** Tells every collector on the database that an agent got an ask. */
interface AgentNotifications {
    /** Announces, once {@code tx} commits, that {@code agentId} has work. */
    void publish(Tx tx, String agentId) throws SQLException;

    /** See {@link io.mintaro.collector.store.CollectionStore#listen}. */
    void listen(Consumer<String> agentWithWork, Runnable resync);

    void close();
}
