package io.mintaro.collector.store;

import java.util.regex.Pattern;

/**
 * Namespace names. A namespace owns its agents, traces, error groups and triage; every key belongs
 * to one (see {@code docs/namespaces.md}).
 */
public final class Namespaces {
    /** The namespace of everything stored before namespaces existed, and of the configured keys. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Namespaces() {
    }

    /** Lowercase letters, digits and dashes, 1 to 63 characters, not starting with a dash. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @throws IllegalArgumentException naming the rule when {@code name} is not a namespace name */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("a namespace name is 1 to 63 lowercase letters, digits and dashes,"
                    + " not starting with a dash");
        }
        return name;
    }
}
