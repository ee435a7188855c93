package io.mintaro.collector.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        boolean gzip;
        switch (encoding) {
            case "", "identity" -> gzip = false;
            case "gzip", "x-gzip" -> gzip = true;
            default -> throw new ApiException(415, "unsupported Content-Encoding: " + truncate(contentEncoding));
        }
        if (contentLength > maxBytes) {
            // Compressed bytes never legitimately exceed the decompressed cap by much; refuse early.
            throw tooLarge();
        }
        InputStream in = raw;
        if (gzip) {
            try {
                in = new GZIPInputStream(raw, 8192);
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

    private ApiException tooLarge() {
        return new ApiException(413, "request body larger than " + maxBytes + " bytes (after decompression)");
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
