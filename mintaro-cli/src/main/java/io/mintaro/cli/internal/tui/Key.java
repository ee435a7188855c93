package io.mintaro.cli.internal.tui;

/** A key the TUI understands: a printable character or one of the named keys. */
public record Key(Kind kind, char ch) {
    /** The keys with a name. */
    public enum Kind { CHAR, UP, DOWN, LEFT, RIGHT, PAGE_UP, PAGE_DOWN, HOME, END, ENTER, ESC, BACKSPACE, TAB, CTRL_C }

    public static Key of(Kind kind) {
        return new Key(kind, '\0');
    }

    public static Key of(char ch) {
        return new Key(Kind.CHAR, ch);
    }

    public boolean is(char c) {
        return kind == Kind.CHAR && ch == c;
    }

    public boolean is(Kind k) {
        return kind == k;
    }
}
