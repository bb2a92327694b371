package io.freshet.serving.api;

/**
 * Body of every error response: {@code {"error": {"code": ..., "message": ...}}}. Codes are stable; clients
 * branch on them, people read the message.
 */
public record ErrorBody(Error error) {

    /** The error. */
    public record Error(String code, String message, String request_id) {}

    public static ErrorBody of(String code, String message, String requestId) {
        return new ErrorBody(new Error(code, message, requestId));
    }
}
