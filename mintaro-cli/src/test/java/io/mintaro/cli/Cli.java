package io.mintaro.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code mintaro} in-process with an injected environment and stdin, capturing stdout and stderr. */
final class Cli {
    final Map<String, String> env = new HashMap<>();
    String stdin = "";
    boolean terminal;

    Cli(java.nio.file.Path configDir) {
        env.put("MINTARO_CONFIG_DIR", configDir.toString());
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MintaroCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), terminal);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs in the background; {@code err} can be watched while it runs. */
    Running start(String... args) {
        Running r = new Running();
        r.thread = new Thread(() -> r.code = MintaroCli.run(args, env,
                new ByteArrayInputStream(new byte[0]), new PrintWriter(r.out, true), new PrintWriter(r.err, true), false));
        r.thread.setDaemon(true);
        r.thread.start();
        return r;
    }

    static final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        volatile int code = -1;
        Thread thread;
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
