package io.freshet.langchain4j;

/** The retrieval service refused a query or could not be reached. */
public final class FreshetRetrievalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public FreshetRetrievalException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public FreshetRetrievalException(int status, String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.status = status;
        this.code = code;
    }

    /** HTTP status, or 0 when there was no HTTP answer. */
    public int status() {
        return status;
    }

    /** The service's stable error code ({@code invalid_token}, {@code rate_limited}, ...) or a client-side one. */
    public String code() {
        return code;
    }
}
