package io.mintaro.cli.internal;

/** A failure to report as one line on stderr, with the exit code it maps to (see the README). */
public final class CliException extends RuntimeException {
    public static final int NOT_FOUND = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int UNREACHABLE = 4;
    public static final int SERVER = 5;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
