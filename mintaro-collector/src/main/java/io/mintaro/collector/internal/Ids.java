package io.mintaro.collector.internal;

/** Identifier formats of protocol v1: lowercase hex of a fixed length. */
public final class Ids {
    private Ids() {
    }

    /** 32 lowercase hex digits, not all zero. */
    public static boolean isTraceId(String s) {
        return isHex(s, 32) && !allZero(s);
    }

    /** 16 lowercase hex digits. */
    public static boolean isSpanId(String s) {
        return isHex(s, 16);
    }

    /** 16 lowercase hex digits. */
    public static boolean isAgentId(String s) {
        return isHex(s, 16);
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
