package io.freshet.connectors.mapping;

/** A change event Freshet cannot interpret; the message is the reason, safe to log (no document text). */
public final class MalformedChangeException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedChangeException(String reason) {
        super(reason);
    }

    public MalformedChangeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
