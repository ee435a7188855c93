package io.mintaro.collector.export;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which traces an exporter gets: {@code status:error,status:slow,service:orders} means "status error
 * or slow, and the service orders took part". Values of one key are alternatives; different keys
 * must all match. An empty filter matches every trace.
 */
public final class ExportFilter {
    /** Matches every trace. */
    public static final ExportFilter ALL = new ExportFilter(Set.of(), Set.of());

    private final Set<String> statuses;
    private final Set<String> services;

    private ExportFilter(Set<String> statuses, Set<String> services) {
        this.statuses = statuses;
        this.services = services;
    }

    /**
     * Parses {@code key:value} pairs separated by commas; keys are {@code status} ({@code error},
     * {@code slow}, {@code ok}) and {@code service}.
     *
     * @param setting the setting's name, for the error message
     * @throws IllegalArgumentException naming {@code setting} when the text is invalid
     */
    public static ExportFilter parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        Set<String> statuses = new LinkedHashSet<>();
        Set<String> services = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            String key = colon < 0 ? p : p.substring(0, colon).trim();
            String value = colon < 0 ? "" : p.substring(colon + 1).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(setting + ": expected key:value, got '" + p + "'");
            }
            switch (key) {
                case "status" -> {
                    if (!Set.of("error", "slow", "ok").contains(value)) {
                        throw new IllegalArgumentException(
                                setting + ": status must be error, slow or ok, got '" + value + "'");
                    }
                    statuses.add(value);
                }
                case "service" -> services.add(value);
                default -> throw new IllegalArgumentException(
                        setting + ": unknown key '" + key + "' (expected status or service)");
            }
        }
        return new ExportFilter(Set.copyOf(statuses), Set.copyOf(services));
    }

    /** Whether the trace is to be exported. */
    public boolean matches(ExportedTrace trace) {
        if (!statuses.isEmpty() && !statuses.contains(trace.status())) {
            return false;
        }
        return services.isEmpty() || trace.services().stream().anyMatch(services::contains);
    }

    /** The filter in the syntax of {@link #parse}, or {@code all}. */
    @Override
    public String toString() {
        if (statuses.isEmpty() && services.isEmpty()) {
            return "all";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        statuses.stream().sorted().forEach(s -> parts.add("status:" + s));
        services.stream().sorted().forEach(s -> parts.add("service:" + s));
        return String.join(",", parts);
    }
}
