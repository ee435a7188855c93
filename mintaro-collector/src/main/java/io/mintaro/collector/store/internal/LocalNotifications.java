package io.mintaro.collector.store.internal;

import java.util.function.Consumer;

/** SQLite: one collector per database, so its notifications stay in its process. */
final class LocalNotifications implements AgentNotifications {
    private volatile Consumer<String> listener = id -> { };

    @Override
    public void publish(Tx tx, String agentId) {
        tx.afterCommit(() -> listener.accept(agentId));
    }

    @Override
    public void listen(Consumer<String> agentWithWork, Runnable resync) {
        this.listener = agentWithWork;
        resync.run();
    }

    @Override
    public void close() {
        listener = id -> { };
    }
}
