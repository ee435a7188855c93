package io.mintaro.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's command line creates namespaces and keys straight in its database. */
class AdminCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("MINTARO_DB", dir.resolve("mintaro.db").toString());
        int status = AdminCommand.run(args, env::get, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private Storage open() throws Exception {
        return Storage.open(Database.sqlite(dir.resolve("mintaro.db")));
    }

    @Test
    void aNamespaceIsCreatedWithAnAdminKeyPrintedOnceAndStoredAsItsHash() throws Exception {
        Run created = run("namespaces", "create", "payments");
        assertThat(created.status()).as(created.err()).isZero();
        String key = created.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(key).startsWith("mk_");
        try (Storage s = open()) {
            assertThat(s.namespaces().keyByHash(Sha256.hex(key))).hasValueSatisfying(k -> {
                assertThat(k.namespace()).isEqualTo("payments");
                assertThat(k.kind()).isEqualTo(ApiKey.Kind.ADMIN);
            });
        }
        assertThat(run("namespaces", "create", "payments").status()).isEqualTo(1);
        assertThat(run("namespaces", "list").out()).contains("default", "payments");
    }

    @Test
    void keysAreCreatedListedRotatedAndRevoked() throws Exception {
        run("namespaces", "create", "payments");
        Run created = run("keys", "create", "--namespace", "payments", "--kind", "ingest", "--label", "checkout agents");
        assertThat(created.status()).as(created.err()).isZero();
        String id = created.out().replaceAll("(?s).* key (key_[A-Za-z0-9_-]+):.*", "$1");
        String text = created.out().lines().reduce((a, b) -> b).orElseThrow();

        Run listed = run("keys", "list", "-n", "payments");
        assertThat(listed.out()).contains(id, "ingest", "active", "checkout agents").doesNotContain(text);

        Run rotated = run("keys", "rotate", "-n", "payments", id, "--grace-seconds", "60");
        assertThat(rotated.status()).as(rotated.err()).isZero();
        String next = rotated.out().lines().reduce((a, b) -> b).orElseThrow();
        try (Storage s = open()) {
            ApiKey old = s.namespaces().keyByHash(Sha256.hex(text)).orElseThrow();
            assertThat(old.expiresAtMs()).isBetween(System.currentTimeMillis() + 50_000, System.currentTimeMillis() + 61_000);
            assertThat(s.namespaces().keyByHash(Sha256.hex(next)).orElseThrow().label()).isEqualTo("checkout agents");
        }

        assertThat(run("keys", "revoke", "-n", "payments", id).status()).isZero();
        assertThat(run("keys", "revoke", "-n", "payments", id).status()).isEqualTo(1);
        // A key id of one namespace is unknown in another.
        String nextId = rotated.out().replaceAll("(?s).* key (key_[A-Za-z0-9_-]+):.*", "$1");
        assertThat(run("keys", "revoke", "-n", "default", nextId).status()).isEqualTo(1);
        try (Storage s = open()) {
            assertThat(s.namespaces().keyByHash(Sha256.hex(text)).orElseThrow().activeAt(System.currentTimeMillis()))
                    .isFalse();
        }
    }

    @Test
    void badUsageIsRefusedWithAReason() {
        Run badKind = run("keys", "create", "--kind", "superuser");
        assertThat(badKind.status()).isEqualTo(2);
        assertThat(badKind.err()).contains("ingest, read or admin");
        Run badName = run("namespaces", "create", "Not/Valid");
        assertThat(badName.status()).isEqualTo(2);
        assertThat(badName.err()).contains("lowercase");
        assertThat(run("namespaces", "retention", "nowhere", "--max-age-ms", "1000").status()).isEqualTo(1);
        assertThat(run("namespaces", "retention", "default", "--max-age-ms", "86400000").status()).isZero();
    }
}
