package io.mintaro.cli.internal;

/** ANSI colours when enabled, plain text otherwise. */
final class Style {
    private final boolean on;

    public Style(boolean on) {
        this.on = on;
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    /** A status word coloured by what it says: failed/error/alert red, slow/warn yellow, ok/succeeded green. */
    public String status(String s) {
        if (s == null) {
            return "";
        }
        switch (s) {
            case "failed":
            case "error":
            case "crash":
            case "alert":
            case "ERROR":
                return red(s);
            case "slow":
            case "warn":
            case "started":
            case "WARN":
                return yellow(s);
            case "ok":
            case "succeeded":
                return green(s);
            default:
                return s;
        }
    }

    private String wrap(String code, String s) {
        return on && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
