package io.mintaro.cli.internal.tui;

import java.io.IOException;

/**
 * Turns the characters a terminal sends into {@link Key}s: arrows, page and home/end keys in
 * both their CSI ({@code ESC [ A}) and SS3 ({@code ESC O A}) forms, Enter, Backspace, Esc.
 * A lone Esc is told from the start of a sequence by a short wait for the next character.
 */
public final class KeyDecoder {
    /** A source of characters with a timeout, as JLine's {@code NonBlockingReader}. */
    public interface Input {
        /** The next character, {@link #EOF} at the end, {@link #TIMEOUT} when none came in time. */
        int read(long timeoutMs) throws IOException;
    }

    public static final int EOF = -1;
    public static final int TIMEOUT = -2;
    /** How long the rest of an escape sequence may take to arrive. */
    static final long SEQUENCE_MS = 50;
    private static final int MAX_SEQUENCE = 16;

    private final Input in;

    public KeyDecoder(Input in) {
        this.in = in;
    }

    /**
     * The next key, or null when none came within {@code timeoutMs} (or the characters named no
     * key); throws {@link java.io.EOFException} at the end of the input.
     */
    public Key next(long timeoutMs) throws IOException {
        int c = in.read(timeoutMs);
        if (c == EOF) {
            throw new java.io.EOFException("terminal input closed");
        }
        if (c == TIMEOUT) {
            return null;
        }
        switch (c) {
            case 27:
                return escape();
            case '\r':
            case '\n':
                return Key.of(Key.Kind.ENTER);
            case 127:
            case 8:
                return Key.of(Key.Kind.BACKSPACE);
            case '\t':
                return Key.of(Key.Kind.TAB);
            case 3:
                return Key.of(Key.Kind.CTRL_C);
            default:
                return c < 32 ? null : Key.of((char) c);
        }
    }

    private Key escape() throws IOException {
        int c = in.read(SEQUENCE_MS);
        if (c == TIMEOUT || c == EOF) {
            return Key.of(Key.Kind.ESC);
        }
        if (c != '[' && c != 'O') {
            return Key.of(Key.Kind.ESC); // Alt+key: taken as Esc, the key is dropped
        }
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < MAX_SEQUENCE; i++) {
            int d = in.read(SEQUENCE_MS);
            if (d == TIMEOUT || d == EOF) {
                return null;
            }
            if (d >= 0x40 && d <= 0x7e) {
                return named((char) d, params.toString());
            }
            params.append((char) d);
        }
        return null;
    }

    private static Key named(char last, String params) {
        switch (last) {
            case 'A':
                return Key.of(Key.Kind.UP);
            case 'B':
                return Key.of(Key.Kind.DOWN);
            case 'C':
                return Key.of(Key.Kind.RIGHT);
            case 'D':
                return Key.of(Key.Kind.LEFT);
            case 'H':
                return Key.of(Key.Kind.HOME);
            case 'F':
                return Key.of(Key.Kind.END);
            case '~':
                String p = params.contains(";") ? params.substring(0, params.indexOf(';')) : params;
                switch (p) {
                    case "1":
                    case "7":
                        return Key.of(Key.Kind.HOME);
                    case "4":
                    case "8":
                        return Key.of(Key.Kind.END);
                    case "5":
                        return Key.of(Key.Kind.PAGE_UP);
                    case "6":
                        return Key.of(Key.Kind.PAGE_DOWN);
                    default:
                        return null;
                }
            default:
                return null;
        }
    }
}
