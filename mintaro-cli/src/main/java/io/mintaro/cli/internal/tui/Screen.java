package io.mintaro.cli.internal.tui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A frame of the TUI: a fixed grid of cells, each a code point and an {@link Attr}. Views draw
 * into it; the terminal layer turns rows into escape sequences. Text is clipped to the grid, so
 * drawing costs what is visible, whatever the length of the text.
 */
public final class Screen {
    /** How a cell is drawn. */
    public enum Attr { NORMAL, BOLD, DIM, RED, YELLOW, GREEN, CYAN, SELECTED, BAR }

    private final int width;
    private final int height;
    private final int[] cells;
    private final Attr[] attrs;

    public Screen(int width, int height) {
        this.width = Math.max(0, width);
        this.height = Math.max(0, height);
        this.cells = new int[this.width * this.height];
        this.attrs = new Attr[cells.length];
        Arrays.fill(cells, ' ');
        Arrays.fill(attrs, Attr.NORMAL);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Writes {@code text} from column {@code col} of {@code row}, clipped to the screen; control
     * characters become spaces (a log line cannot move the cursor). Returns the column after it.
     */
    public int put(int row, int col, String text, Attr attr) {
        if (row < 0 || row >= height || text == null) {
            return col;
        }
        int c = col;
        for (int i = 0; i < text.length() && c < width; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (c >= 0) {
                cells[row * width + c] = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || Character.isSurrogate((char) cp)
                        ? ' ' : cp;
                attrs[row * width + c] = attr;
            }
            c++;
        }
        return c;
    }

    /** Paints the whole row blank with {@code attr}. */
    public void fill(int row, Attr attr) {
        if (row < 0 || row >= height) {
            return;
        }
        Arrays.fill(cells, row * width, (row + 1) * width, ' ');
        Arrays.fill(attrs, row * width, (row + 1) * width, attr);
    }

    public int codePoint(int row, int col) {
        return cells[row * width + col];
    }

    public Attr attr(int row, int col) {
        return attrs[row * width + col];
    }

    /** The row's text without trailing blanks. */
    public String line(int row) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width; c++) {
            b.appendCodePoint(cells[row * width + c]);
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') {
            end--;
        }
        return b.substring(0, end);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>(height);
        for (int r = 0; r < height; r++) {
            lines.add(line(r));
        }
        return lines;
    }

    /** Whether row {@code row} looks the same in both screens (of one width). */
    boolean sameRow(Screen other, int row) {
        if (other == null || other.width != width || row >= other.height) {
            return false;
        }
        int from = row * width;
        return Arrays.equals(cells, from, from + width, other.cells, from, from + width)
                && Arrays.equals(attrs, from, from + width, other.attrs, from, from + width);
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
