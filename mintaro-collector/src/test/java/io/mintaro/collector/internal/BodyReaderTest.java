package io.mintaro.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
    static final int CAP = 64 * 1024;
    final BodyReader reader = new BodyReader(CAP);

    @Test
    void readsPlainAndGzipBodies() throws IOException {
        byte[] data = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(reader.read(new ByteArrayInputStream(data), null, data.length)).isEqualTo(data);
        assertThat(reader.read(new ByteArrayInputStream(gzip(data)), "gzip", -1)).isEqualTo(data);
        assertThat(reader.read(new ByteArrayInputStream(gzip(data)), "GZIP", -1)).isEqualTo(data);
    }

    @Test
    void exactlyTheCapIsAcceptedOneMoreByteIsNot() throws IOException {
        assertThat(reader.read(new ByteArrayInputStream(new byte[CAP]), null, -1)).hasSize(CAP);
        assertStatus(() -> reader.read(new ByteArrayInputStream(new byte[CAP + 1]), null, -1), 413);
        assertStatus(() -> reader.read(new ByteArrayInputStream(gzip(new byte[CAP + 1])), "gzip", -1), 413);
    }

    @Test
    void aDeclaredLengthFarOverTheCapIsRefusedWithoutReadingTheBody() {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("must not read");
            }
        };
        assertStatus(() -> reader.read(never, null, BodyReader.DRAIN_LIMIT + 1), 413);
    }

    @Test
    void aBodySomewhatOverTheCapIsReadToTheEndAndThrownAwaySoTheClientSeesThe413() {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[CAP * 3]);
        assertStatus(() -> reader.read(body, null, CAP * 3L), 413);
        assertThat(body.available()).isZero();
    }

    /** Empty stored deflate blocks inflate to nothing; an endless stream of them must still stop. */
    @Test
    void anEndlessStreamOfEmptyDeflateBlocksIsCut() {
        byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        byte[] emptyBlock = {0, 0, 0, (byte) 0xff, (byte) 0xff};
        InputStream endless = new InputStream() {
            long pos;

            @Override
            public int read() {
                long p = pos++;
                return p < header.length ? header[(int) p] & 0xff
                        : emptyBlock[(int) ((p - header.length) % emptyBlock.length)] & 0xff;
            }
        };
        assertStatus(() -> reader.read(endless, "gzip", -1), 413);
    }

    @Test
    void corruptGzipIs400AndOtherEncodingsAre415() {
        assertStatus(() -> reader.read(new ByteArrayInputStream("plain".getBytes(StandardCharsets.UTF_8)), "gzip", -1),
                400);
        byte[] truncated = java.util.Arrays.copyOf(gzip(new byte[1000]), 15);
        assertStatus(() -> reader.read(new ByteArrayInputStream(truncated), "gzip", -1), 400);
        assertStatus(() -> reader.read(new ByteArrayInputStream(new byte[1]), "deflate", -1), 415);
    }

    interface Read {
        byte[] run() throws IOException;
    }

    static void assertStatus(Read read, int status) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(status));
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(data);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
