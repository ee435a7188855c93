package io.mintaro.cli.internal.tui;

/** One screen of the TUI (the groups, a group's traces, a trace): draws its body and takes keys. */
abstract class View {
    /** The title bar's text. */
    abstract String title();

    /** The keys of this view for the help line, shortest first. */
    abstract String keys();

    /** The keys of this view for the help overlay: pairs of key and what it does. */
    abstract String[][] help();

    /** (Re)reads from the collector. */
    abstract void load();

    /** Draws rows {@code top} to {@code top + height - 1} of the screen. */
    abstract void render(Screen screen, int top, int height);

    /** Handles a key this view knows; false when it does not know it. */
    abstract boolean handle(Key key, Tui tui);

    /** The group a triage key acts on, or null. */
    String triageTarget() {
        return null;
    }

    /** After a triage change: the group as the collector answered it. */
    void triaged(com.fasterxml.jackson.databind.JsonNode group) {
    }

    /** A selection in a list of {@code size} rows, and the first row shown. */
    static final class Cursor {
        int selected;
        int top;

        /** Moves by {@code delta} (clamped) and keeps the selection within a window of {@code page} rows. */
        void move(int delta, int size, int page) {
            if (size == 0) {
                selected = 0;
                top = 0;
                return;
            }
            long s = (long) selected + delta;
            selected = (int) Math.max(0, Math.min(size - 1L, s));
            show(page);
        }

        void show(int page) {
            int p = Math.max(1, page);
            if (selected < top) {
                top = selected;
            } else if (selected >= top + p) {
                top = selected - p + 1;
            }
            top = Math.max(0, top);
        }

        /** Arrow and page keys; true when the key was one of them. */
        boolean key(Key key, int size, int page) {
            int p = Math.max(1, page);
            switch (key.kind()) {
                case UP:
                    move(-1, size, p);
                    return true;
                case DOWN:
                    move(1, size, p);
                    return true;
                case PAGE_UP:
                    move(-p, size, p);
                    return true;
                case PAGE_DOWN:
                    move(p, size, p);
                    return true;
                case HOME:
                    move(Integer.MIN_VALUE / 2, size, p);
                    return true;
                case END:
                    move(Integer.MAX_VALUE / 2, size, p);
                    return true;
                default:
                    if (key.is('k')) {
                        move(-1, size, p);
                        return true;
                    }
                    if (key.is('j')) {
                        move(1, size, p);
                        return true;
                    }
                    return false;
            }
        }
    }

    /** {@code s} cut or padded to {@code width} columns. */
    static String fit(String s, int width) {
        if (width <= 0) {
            return "";
        }
        int n = s.codePointCount(0, s.length());
        if (n > width) {
            return width == 1 ? "…" : s.substring(0, s.offsetByCodePoints(0, width - 1)) + "…";
        }
        return s + " ".repeat(width - n);
    }
}
