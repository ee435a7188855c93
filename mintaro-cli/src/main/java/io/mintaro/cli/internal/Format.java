package io.mintaro.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Small text formats shared by the commands. */
public final class Format {
    private Format() {
    }

    /** A field as text, or "" when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** {@code 2025-11-21T04:40:00.100Z} as {@code 2025-11-21 04:40:00}. */
    public static String time(String iso) {
        if (iso == null || iso.length() < 19) {
            return iso == null ? "" : iso;
        }
        return iso.substring(0, 10) + " " + iso.substring(11, 19);
    }

    public static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    /** Values of a JSON array of strings joined by {@code ", "}. */
    public static String join(JsonNode array) {
        if (array == null || !array.isArray()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode v : array) {
            b.append(b.length() == 0 ? "" : ", ").append(v.asText());
        }
        return b.toString();
    }
}
