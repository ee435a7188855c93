package io.mintaro.it.replicas;

import io.mintaro.testkit.servers.PostgresCluster;
import java.util.Locale;

/**
 * One PostgreSQL cluster for the test classes that never stop it, each class on a database of its
 * own; it ends with the test JVM (the cluster's shutdown hook). A class that stops or kills
 * PostgreSQL starts a cluster of its own.
 */
final class SharedCluster {
    private static PostgresCluster cluster;

    private SharedCluster() {
    }

    static synchronized PostgresCluster get() {
        if (cluster == null) {
            cluster = PostgresCluster.start();
        }
        return cluster;
    }

    /** A new database on the shared cluster, named after the test class; its JDBC URL. */
    static String database(Class<?> testClass) {
        return get().createDatabase(testClass.getSimpleName().toLowerCase(Locale.ROOT));
    }
}
