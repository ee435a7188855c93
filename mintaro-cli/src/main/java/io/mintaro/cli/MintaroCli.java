package io.mintaro.cli;

import io.mintaro.cli.internal.CliException;
import io.mintaro.cli.internal.Commands;
import io.mintaro.cli.internal.Context;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code mintaro} terminal client: reads a collector's REST API (traces, span trees, error
 * groups and their triage, services) with a stored or environment-given API key. Exit codes: 0
 * ok, 1 not found, 2 usage error, 3 not signed in or key refused, 4 collector unreachable, timed
 * out or not answering JSON, 5 other server error.
 */
public final class MintaroCli {
    private MintaroCli() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        Charset cs = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
        int code = run(args, System.getenv(), System.in, out, err, System.console() != null);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line in this process with the given environment and streams; the exit code. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err,
                   boolean terminal) {
        Context ctx = new Context(env, in, out, err, terminal);
        CommandLine cl = commandLine(ctx);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine cl = new CommandLine(new Commands.Root(ctx));
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(
                ctx.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            ctx.err().println("mintaro: " + ex.getMessage() + " (see " + c.getCommandSpec().qualifiedName() + " --help)");
            ctx.err().flush();
            return CliException.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof CliException) {
                ctx.err().println("mintaro: " + ex.getMessage());
                ctx.err().flush();
                return ((CliException) ex).exitCode();
            }
            ctx.err().println("mintaro: unexpected failure: " + ex);
            ctx.err().flush();
            return CliException.SERVER;
        });
        return cl;
    }
}
