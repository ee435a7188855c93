package io.mintaro.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Columns aligned on the plain text of the cells; a column may colour its (padded) cells. */
final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Function<String, String>> colours = new ArrayList<>();

    public Table(String... headers) {
        this.headers = headers;
        for (int i = 0; i < headers.length; i++) {
            colours.add(Function.identity());
        }
    }

    /** Colours column {@code i}: the function gets the cell's plain text. */
    public Table colour(int i, Function<String, String> colour) {
        colours.set(i, colour);
        return this;
    }

    public Table row(String... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i] : "";
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out, Style style) {
        int[] w = new int[headers.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            h.append(i == w.length - 1 ? headers[i] : pad(headers[i], w[i]) + "  ");
        }
        out.println(style.bold(h.toString().stripTrailing()));
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String cell = r[i];
                String padding = i == w.length - 1 ? "" : " ".repeat(w[i] - cell.length() + 2);
                line.append(cell.isEmpty() ? "" : colours.get(i).apply(cell)).append(padding);
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
