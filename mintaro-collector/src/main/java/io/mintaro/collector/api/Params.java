package io.mintaro.collector.api;

import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.store.TagFilter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Query parameters of the REST API. Every bad value is a {@code 400} whose message names the
 * parameter; a parameter given twice is bad too.
 */
final class Params {
    static final int MAX_QUERY_TEXT = 200;
    /** Pages beyond this are refused rather than scanned. */
    static final int MAX_PAGE = 1_000_000;
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,16}");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");

    private Params() {
    }

    /** The trimmed value, or null when absent or blank. */
    static String param(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " is given more than once");
        }
        if (values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return withoutNul(name, values.get(0).trim());
    }

    /**
     * Refuses U+0000: no stored text holds one (the agent protocol stores it as U+FFFD), and
     * PostgreSQL fails on a parameter with one in it.
     */
    private static String withoutNul(String name, String value) {
        if (value.indexOf('\0') >= 0) {
            throw ApiException.badRequest(name + " must not contain U+0000");
        }
        return value;
    }

    /** {@code tag=key:value}, repeatable (decision 38): the tags a trace must all have. */
    static TagFilter tags(Context ctx) {
        List<String> tags = ctx.queryParams("tag");
        tags.forEach(t -> withoutNul("tag", t));
        try {
            return TagFilter.parse(tags);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** One of {@code allowed} (case-insensitive, answered in lower case), or {@code fallback} when absent. */
    static String choice(Context ctx, String name, List<String> allowed, String fallback) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        v = v.toLowerCase(Locale.ROOT);
        if (!Set.copyOf(allowed).contains(v)) {
            throw ApiException.badRequest(name + " must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
    static int integer(Context ctx, String name, int min, int max, int fallback) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        if (!INTEGER.matcher(v).matches()) {
            throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
        }
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
            throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
        }
        return n;
    }

    /** A 1-based page number, 1 when absent. */
    static int page(Context ctx) {
        return integer(ctx, "page", 1, MAX_PAGE, 1);
    }

    /** A service name, or null. */
    static String service(Context ctx) {
        String service = param(ctx, "service");
        if (service != null && !SERVICE.matcher(service).matches()) {
            throw ApiException.badRequest("service must be 1-100 characters of [A-Za-z0-9._-]");
        }
        return service;
    }

    /** The search text {@code q}, or null. */
    static String text(Context ctx) {
        String q = param(ctx, "q");
        if (q != null && q.length() > MAX_QUERY_TEXT) {
            throw ApiException.badRequest("q is longer than " + MAX_QUERY_TEXT + " characters");
        }
        return q;
    }

    /** ISO-8601 instant (with Z or an offset) or epoch milliseconds, as microseconds; null when absent. */
    static Long instant(Context ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            if (DIGITS.matcher(v).matches()) {
                return Math.multiplyExact(Long.parseLong(v), 1000L);
            }
            Instant i;
            try {
                i = Instant.parse(v);
            } catch (DateTimeParseException e) {
                i = OffsetDateTime.parse(v).toInstant();
            }
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000L);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(name
                    + " must be an ISO-8601 instant (2025-11-21T10:00:00Z) or epoch milliseconds");
        }
    }

    /** Like {@link #instant}, in epoch milliseconds (rounded down); null when absent. */
    static Long instantMs(Context ctx, String name) {
        Long us = instant(ctx, name);
        return us == null ? null : Math.floorDiv(us, 1000L);
    }

    /** A service path parameter: 1-100 characters of {@code [A-Za-z0-9._-]}. */
    static String servicePath(Context ctx) {
        String service = ctx.pathParam("service");
        if (!SERVICE.matcher(service).matches()) {
            throw ApiException.badRequest("service must be 1-100 characters of [A-Za-z0-9._-]");
        }
        return service;
    }

    /** A fingerprint path parameter: 16 hex digits (upper case accepted), in lower case. */
    static String fingerprint(Context ctx) {
        String fp = ctx.pathParam("fingerprint").toLowerCase(Locale.ROOT);
        if (!fp.matches("[0-9a-f]{16}")) {
            throw ApiException.badRequest("fingerprint must be 16 hex digits");
        }
        return fp;
    }
}
