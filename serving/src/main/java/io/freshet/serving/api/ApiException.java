package io.freshet.serving.api;

import java.util.Map;

/**
 * A request the service refuses, with the HTTP status, the stable error code to answer with, and any
 * response headers the refusal needs ({@code WWW-Authenticate}, {@code Retry-After}).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** A 400 for a request that breaks the API's rules. */
    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** A 401: no credentials, or credentials that failed a check. */
    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, message, Map.of("WWW-Authenticate",
                "Bearer realm=\"freshet\", error=\"" + ("missing_token".equals(code) ? "invalid_request" : "invalid_token") + "\""));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
