package io.mintaro.collector.internal;

/** A client error answered as {@code {"error": message}} with the given 4xx status. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false); // no stack trace: these are expected, frequent and cheap
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
