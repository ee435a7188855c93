package io.mintaro.cli.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a run of the CLI sees of its process: the environment, stdin, stdout and stderr, and
 * whether stdout is a terminal. Injected so that tests run commands in-process.
 */
public final class Context {
    private final Map<String, String> env;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;

    public Context(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, boolean terminal) {
        this.env = Map.copyOf(env);
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** The variable's value, or null when unset or empty. */
    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public InputStream in() {
        return in;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Aligned tables are always printed; colour only on a terminal without {@code NO_COLOR}. */
    public boolean colour() {
        return terminal && env.get("NO_COLOR") == null;
    }
}
