package io.mintaro.collector.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with a hard size cap, decompressing gzip on the fly.
 *
 * <p>The cap applies to the bytes after decompression and reading stops as soon as it is passed,
 * so a small gzip "bomb" cannot make the collector inflate gigabytes.
 */
public final class BodyReader {
    /** The most of a refused body read (and thrown away) so the client can see the answer. */
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;

    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param contentEncoding the {@code Content-Encoding} header, or null
     * @param contentLength the declared length, or -1
     * @throws ApiException 413 past the cap, 400 for a corrupt gzip stream, 415 for another encoding
     */
    public byte[] read(InputStream raw, String contentEncoding, long contentLength) throws IOException {
        try {
            return readCapped(raw, contentEncoding, contentLength);
        } catch (ApiException e) {
            // 413, and also 415 and 400: refused before or while reading, the rest is still coming
            if (contentLength <= DRAIN_LIMIT) {
                drain(raw, contentLength);
            }
            throw e;
        }
    }

    /**
     * Reads and discards what is left of a refused body, up to a limit. HTTP/1.1 clients send the
     * whole body before they read the answer; closing on them mid-body makes them see a reset
     * instead of the 413 (or 415, or 400) that says what was wrong.
     */
    private static void drain(InputStream raw, long contentLength) {
        long budget = contentLength >= 0 ? Math.min(contentLength, DRAIN_LIMIT) : DRAIN_LIMIT;
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while (budget > 0 && (n = raw.read(buf, 0, (int) Math.min(buf.length, budget))) > 0) {
                budget -= n;
            }
        } catch (IOException e) {
            // the client went away; nothing left to answer
        }
    }

    private byte[] readCapped(InputStream raw, String contentEncoding, long contentLength) throws IOException {
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        boolean gzip;
        switch (encoding) {
            case "", "identity" -> gzip = false;
            case "gzip", "x-gzip" -> gzip = true;
            default -> throw new ApiException(415, "unsupported Content-Encoding: " + truncate(contentEncoding));
        }
        // Refuse early what cannot fit. Gzip of incompressible data is slightly larger than the
        // data itself, so a compressed body gets some slack; the real check is after inflating.
        long declaredCap = gzip ? maxBytes + maxBytes / 64 + 65_536 : maxBytes;
        if (contentLength > declaredCap) {
            throw tooLarge();
        }
        // The compressed side is capped too: deflate can encode empty blocks that inflate to nothing.
        InputStream capped = new CappedInputStream(raw, declaredCap);
        InputStream in = capped;
        if (gzip) {
            try {
                in = new GZIPInputStream(capped, 8192);
            } catch (EOFException | ZipException e) {
                throw ApiException.badRequest("body is not valid gzip");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Math.max(contentLength, 256), Math.min(maxBytes, 1 << 20)));
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
        } catch (EOFException | ZipException e) {
            if (gzip) {
                throw ApiException.badRequest("body is not valid gzip");
            }
            throw e;
        }
        return out.toByteArray();
    }

    /** Fails with 413 once more than {@code cap} bytes have been read. */
    private final class CappedInputStream extends FilterInputStream {
        private final long cap;
        private long count;

        CappedInputStream(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > cap) {
                throw tooLarge();
            }
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body larger than " + maxBytes + " bytes (after decompression)");
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
