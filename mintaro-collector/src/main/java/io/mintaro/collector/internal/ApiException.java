package io.mintaro.collector.internal;

/** A client error answered as {@code {"error": message}} with the given 4xx status. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    /** @param retryAfterSeconds answered as {@code Retry-After} when positive */
    public ApiException(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are expected, frequent and cheap
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds the client should wait before trying again; 0 when not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
