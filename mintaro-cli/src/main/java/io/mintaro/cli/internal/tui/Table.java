package io.mintaro.cli.internal.tui;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of rows with a header, the selected row highlighted, scrolled so that the selection is
 * visible; the last column takes the room the others leave. Column widths are measured once per
 * load, drawing touches only the visible rows.
 */
final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Screen.Attr> attrs = new ArrayList<>();
    private int[] widths;
    /** The column that takes the remaining room. */
    private final int flexible;
    final View.Cursor cursor = new View.Cursor();

    Table(int flexible, String... header) {
        this.header = header;
        this.flexible = flexible;
        clear();
    }

    void clear() {
        rows.clear();
        attrs.clear();
        widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
    }

    void add(Screen.Attr attr, String... cells) {
        rows.add(cells);
        attrs.add(attr);
        for (int i = 0; i < cells.length && i < widths.length; i++) {
            widths[i] = Math.min(60, Math.max(widths[i], cells[i].codePointCount(0, cells[i].length())));
        }
    }

    int size() {
        return rows.size();
    }

    /** The rows the table shows in {@code height} rows: one for the header. */
    static int page(int height) {
        return Math.max(1, height - 1);
    }

    void render(Screen screen, int top, int height, String empty) {
        if (height <= 0) {
            return;
        }
        int[] w = layout(screen.width());
        line(screen, top, header, w, Screen.Attr.BOLD);
        if (rows.isEmpty()) {
            screen.put(top + 1, 1, empty, Screen.Attr.DIM);
            return;
        }
        cursor.show(page(height));
        for (int r = 0; r < height - 1 && cursor.top + r < rows.size(); r++) {
            int i = cursor.top + r;
            boolean selected = i == cursor.selected;
            if (selected) {
                screen.fill(top + 1 + r, Screen.Attr.SELECTED);
            }
            line(screen, top + 1 + r, rows.get(i), w, selected ? Screen.Attr.SELECTED : attrs.get(i));
        }
    }

    private int[] layout(int width) {
        int[] w = widths.clone();
        int others = 0;
        for (int i = 0; i < w.length; i++) {
            if (i != flexible) {
                others += w[i] + 2;
            }
        }
        w[flexible] = Math.max(Math.min(widths[flexible], 12), width - others - 1);
        return w;
    }

    private static void line(Screen screen, int row, String[] cells, int[] w, Screen.Attr attr) {
        int col = 1;
        for (int i = 0; i < cells.length && col < screen.width(); i++) {
            screen.put(row, col, View.fit(cells[i], w[i]), attr);
            col += w[i] + 2;
        }
    }
}
