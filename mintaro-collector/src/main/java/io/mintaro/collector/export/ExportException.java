package io.mintaro.collector.export;

/** An export that failed; {@link #retryable()} tells whether trying again later may succeed. */
public class ExportException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /**
     * @param message what went wrong, shown in logs and {@code /api/health}
     * @param retryable false when the target will never accept these traces (for example HTTP 400)
     */
    public ExportException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Same, with the exception that caused it. */
    public ExportException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether the same traces may be sent again later. */
    public boolean retryable() {
        return retryable;
    }
}
