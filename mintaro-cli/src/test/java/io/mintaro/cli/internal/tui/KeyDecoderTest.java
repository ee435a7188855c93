package io.mintaro.cli.internal.tui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the terminal sends, as keys: xterm's CSI and SS3 forms, a lone Esc, Enter, Backspace. */
class KeyDecoderTest {
    /** Characters as they arrive; a null stands for a pause longer than an escape sequence takes. */
    static List<Key> decode(Object... input) throws Exception {
        Deque<Integer> chars = new ArrayDeque<>();
        for (Object o : input) {
            if (o == null) {
                chars.add(KeyDecoder.TIMEOUT);
            } else {
                o.toString().chars().forEach(chars::add);
            }
        }
        KeyDecoder d = new KeyDecoder(timeout -> chars.isEmpty() ? KeyDecoder.EOF : chars.poll());
        List<Key> keys = new ArrayList<>();
        while (!chars.isEmpty()) {
            Key k = d.next(100);
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }

    @Test
    void arrowsPagesHomeAndEndInBothForms() throws Exception {
        assertThat(decode("\u001b[A\u001b[B\u001b[C\u001b[D\u001bOA\u001bOD\u001b[5~\u001b[6~\u001b[H\u001b[F\u001b[1~\u001b[4~"))
                .extracting(Key::kind).containsExactly(Key.Kind.UP, Key.Kind.DOWN, Key.Kind.RIGHT, Key.Kind.LEFT,
                        Key.Kind.UP, Key.Kind.LEFT, Key.Kind.PAGE_UP, Key.Kind.PAGE_DOWN, Key.Kind.HOME, Key.Kind.END,
                        Key.Kind.HOME, Key.Kind.END);
    }

    @Test
    void aLoneEscIsEscAndUnknownSequencesAreDropped() throws Exception {
        assertThat(decode("\u001b", null, "q", "\u001b[1;5P", "\u001b[99~", "x")).containsExactly(Key.of(Key.Kind.ESC),
                Key.of('q'), Key.of('x'));
    }

    @Test
    void enterBackspaceCtrlCAndPrintableCharacters() throws Exception {
        assertThat(decode("\r\n\u007f\b\u0003é/\u0001")).containsExactly(Key.of(Key.Kind.ENTER), Key.of(Key.Kind.ENTER),
                Key.of(Key.Kind.BACKSPACE), Key.of(Key.Kind.BACKSPACE), Key.of(Key.Kind.CTRL_C), Key.of('é'), Key.of('/'));
    }

    @Test
    void theEndOfTheInputIsAnEofException() {
        KeyDecoder d = new KeyDecoder(timeout -> KeyDecoder.EOF);
        assertThatThrownBy(() -> d.next(10)).isInstanceOf(EOFException.class);
    }
}
