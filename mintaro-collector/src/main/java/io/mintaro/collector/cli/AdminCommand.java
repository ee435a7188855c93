package io.mintaro.collector.cli;

import io.mintaro.collector.access.Keys;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.NamespaceRow;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.Namespaces;
import io.mintaro.collector.store.Storage;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The collector's administration commands ({@code mintaro-collector.jar namespaces ...} and
 * {@code keys ...}): they open the database named by {@code MINTARO_DB} (or {@code --db}) directly,
 * as an operator with access to it may, so that keys can be made before any collector runs.
 */
@Command(name = "mintaro-collector", mixinStandardHelpOptions = true,
        description = "Administers a Mintaro collector's database: namespaces and keys.",
        subcommands = {AdminCommand.NamespacesCommand.class, AdminCommand.KeysCommand.class})
public final class AdminCommand {
    @Option(names = "--db", description = "the database (default: MINTARO_DB, else mintaro-data/mintaro.db)")
    String db;

    private final Function<String, String> env;

    AdminCommand(Function<String, String> env) {
        this.env = env;
    }

    /** Runs the command line; returns the exit status (0 done, 1 refused, 2 bad usage). */
    public static int run(String[] args, Function<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new AdminCommand(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("mintaro-collector: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** Whether {@code args} name an administration command rather than running the collector. */
    public static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals("namespaces") || args[0].equals("keys"));
    }

    Storage open() throws SQLException {
        String name = db != null ? db : env.apply("MINTARO_DB");
        Database database = Database.parse(name == null || name.isBlank() ? "mintaro-data/mintaro.db" : name,
                env.apply("MINTARO_DB_USER"), env.apply("MINTARO_DB_PASSWORD"));
        return Storage.open(database);
    }

    @Command(name = "namespaces", description = "Lists, creates and configures namespaces.",
            subcommands = {NamespacesCommand.ListNamespaces.class, NamespacesCommand.CreateNamespace.class,
                NamespacesCommand.Retention.class})
    static final class NamespacesCommand {
        @ParentCommand
        AdminCommand root;

        @Command(name = "list", description = "Every namespace, with its retention and what it stored at the last "
                + "retention run.")
        static final class ListNamespaces implements Callable<Integer> {
            @ParentCommand
            NamespacesCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws SQLException {
                try (Storage s = parent.root.open()) {
                    PrintWriter out = spec.commandLine().getOut();
                    for (NamespaceRow n : s.namespaces().list()) {
                        out.printf("%s\tmax age %s\tmax bytes %s\tstored %s%n", n.name(),
                                n.retentionMaxAgeMs() == null ? "default" : n.retentionMaxAgeMs() + " ms",
                                n.retentionMaxBytes() == null ? "default" : n.retentionMaxBytes(),
                                n.usage() == null ? "not measured yet"
                                        : n.usage().traces() + " traces, " + n.usage().storedBytes() + " bytes");
                    }
                    out.flush();
                }
                return 0;
            }
        }

        @Command(name = "create", description = "Creates a namespace and prints its first admin key (once).")
        static final class CreateNamespace implements Callable<Integer> {
            @ParentCommand
            NamespacesCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes")
            String name;

            @Override
            public Integer call() throws SQLException {
                Namespaces.require(name);
                try (Storage s = parent.root.open()) {
                    long now = System.currentTimeMillis();
                    if (!s.namespaces().create(name, now)) {
                        return refuse(spec, "namespace " + name + " exists");
                    }
                    print(spec, Keys.create(s.namespaces(), name, ApiKey.Kind.ADMIN, "created with the namespace",
                            now));
                }
                return 0;
            }
        }

        @Command(name = "retention", description = "Sets a namespace's own retention (omit an option: the default).")
        static final class Retention implements Callable<Integer> {
            @ParentCommand
            NamespacesCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME")
            String name;
            @Option(names = "--max-age-ms", description = "traces older than this expire")
            Long maxAgeMs;
            @Option(names = "--max-bytes", description = "the oldest traces expire beyond this stored size")
            Long maxBytes;

            @Override
            public Integer call() throws SQLException {
                if ((maxAgeMs != null && maxAgeMs <= 0) || (maxBytes != null && maxBytes <= 0)) {
                    throw new IllegalArgumentException("retention limits must be positive");
                }
                try (Storage s = parent.root.open()) {
                    if (!s.namespaces().retention(Namespaces.require(name), maxAgeMs, maxBytes)) {
                        return refuse(spec, "no namespace " + name);
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "keys", description = "Lists, creates, revokes and rotates a namespace's keys.",
            subcommands = {KeysCommand.ListKeys.class, KeysCommand.CreateKey.class, KeysCommand.RevokeKey.class,
                KeysCommand.RotateKey.class})
    static final class KeysCommand {
        @ParentCommand
        AdminCommand root;
        @Option(names = {"-n", "--namespace"}, defaultValue = Namespaces.DEFAULT, scope = CommandLine.ScopeType.INHERIT,
                description = "the namespace (default: ${DEFAULT-VALUE})")
        String namespace;

        @Command(name = "list", description = "The namespace's keys (never their text).")
        static final class ListKeys implements Callable<Integer> {
            @ParentCommand
            KeysCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws SQLException {
                try (Storage s = parent.root.open()) {
                    PrintWriter out = spec.commandLine().getOut();
                    long now = System.currentTimeMillis();
                    for (ApiKey k : s.namespaces().keys(Namespaces.require(parent.namespace))) {
                        out.printf("%s\t%s\t%s\tcreated %s\t%s\t%s%n", k.id(), k.kind().wire(),
                                k.activeAt(now) ? "active" : k.revokedAtMs() != null ? "revoked" : "expired",
                                Instant.ofEpochMilli(k.createdAtMs()),
                                k.lastUsedAtMs() == null ? "never used" : "last used " + Instant.ofEpochMilli(k.lastUsedAtMs()),
                                k.label() == null ? "" : k.label());
                    }
                    out.flush();
                }
                return 0;
            }
        }

        @Command(name = "create", description = "Creates a key and prints it (once; only its hash is stored).")
        static final class CreateKey implements Callable<Integer> {
            @ParentCommand
            KeysCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--kind", required = true, description = "ingest (agents), read (people) or admin")
            String kind;
            @Option(names = "--label", description = "what the key is for")
            String label;

            @Override
            public Integer call() throws SQLException {
                ApiKey.Kind k = ApiKey.Kind.parse(kind);
                try (Storage s = parent.root.open()) {
                    print(spec, Keys.create(s.namespaces(), Namespaces.require(parent.namespace), k, label,
                            System.currentTimeMillis()));
                }
                return 0;
            }
        }

        @Command(name = "revoke", description = "Revokes a key now (every collector refuses it within 5 s).")
        static final class RevokeKey implements Callable<Integer> {
            @ParentCommand
            KeysCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public Integer call() throws SQLException {
                try (Storage s = parent.root.open()) {
                    if (!s.namespaces().revoke(Namespaces.require(parent.namespace), id, System.currentTimeMillis())) {
                        return refuse(spec, "no active key " + id + " in " + parent.namespace);
                    }
                }
                return 0;
            }
        }

        @Command(name = "rotate", description = "Creates a key like ID and makes ID stop after a grace period.")
        static final class RotateKey implements Callable<Integer> {
            @ParentCommand
            KeysCommand parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "ID")
            String id;
            @Option(names = "--grace-seconds", defaultValue = "0", description = "how long ID keeps working")
            long graceSeconds;

            @Override
            public Integer call() throws SQLException {
                try (Storage s = parent.root.open()) {
                    NamespaceStore ns = s.namespaces();
                    Keys.Created next = Keys.rotate(ns, Namespaces.require(parent.namespace), id, graceSeconds * 1000,
                            System.currentTimeMillis());
                    if (next == null) {
                        return refuse(spec, "no active key " + id + " in " + parent.namespace);
                    }
                    print(spec, next);
                }
                return 0;
            }
        }
    }

    /** Says why nothing was done; exit status 1. */
    private static int refuse(CommandLine.Model.CommandSpec spec, String why) {
        spec.commandLine().getErr().println("mintaro-collector: " + why);
        return 1;
    }

    private static void print(CommandLine.Model.CommandSpec spec, Keys.Created k) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("namespace %s, %s key %s:%n%s%n", k.key().namespace(), k.key().kind().wire(), k.key().id(), k.text());
        out.flush();
    }
}
