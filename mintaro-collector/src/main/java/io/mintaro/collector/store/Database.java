package io.mintaro.collector.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which database the collector keeps its data in, from {@code MINTARO_DB}: a file path or a
 * {@code jdbc:sqlite:} URL selects SQLite (the default, nothing to set up), a
 * {@code jdbc:postgresql://host:port/db} URL selects PostgreSQL, which several collector replicas
 * can share.
 *
 * @param kind the engine
 * @param url the JDBC URL
 * @param file the SQLite file, or null for PostgreSQL
 * @param user the PostgreSQL user ({@code MINTARO_DB_USER}), or null
 * @param password the PostgreSQL password ({@code MINTARO_DB_PASSWORD}), or null
 */
public record Database(Kind kind, String url, Path file, String user, String password) {

    /** The supported engines. */
    public enum Kind {
        SQLITE,
        POSTGRESQL
    }

    public Database {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        if (kind == Kind.SQLITE) {
            Objects.requireNonNull(file, "file");
        }
    }

    /** A SQLite database in {@code file}. */
    public static Database sqlite(Path file) {
        return new Database(Kind.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), file, null, null);
    }

    /** A PostgreSQL database at a {@code jdbc:postgresql:} URL. */
    public static Database postgresql(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a jdbc:postgresql: URL: " + url);
        }
        return new Database(Kind.POSTGRESQL, url, null, user, password);
    }

    /**
     * Parses a {@code MINTARO_DB} value.
     *
     * @throws IllegalArgumentException for an empty value or a JDBC URL of another engine
     */
    public static Database parse(String value, String user, String password) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("MINTARO_DB must not be empty");
        }
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return postgresql(v, user, password);
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            String file = v.substring("jdbc:sqlite:".length());
            if (file.isBlank() || file.startsWith(":memory:")) {
                throw new IllegalArgumentException("MINTARO_DB: a SQLite database must be a file: " + v);
            }
            return sqlite(Path.of(file));
        }
        if (lower.startsWith("jdbc:")) {
            throw new IllegalArgumentException("MINTARO_DB: unsupported database " + v
                    + " (a file path, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
        }
        return sqlite(Path.of(v));
    }

    /** The database for logs: the file, or the URL without credentials. */
    public String describe() {
        return kind == Kind.SQLITE ? "SQLite " + file.toAbsolutePath() : "PostgreSQL " + url.replaceAll("[?].*", "");
    }

    @Override
    public String toString() {
        // Never the password.
        return "Database{" + describe() + (user == null ? "" : ", user=" + user) + "}";
    }
}
