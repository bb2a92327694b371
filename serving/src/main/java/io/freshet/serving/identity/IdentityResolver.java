package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import java.util.function.UnaryOperator;

/**
 * Resolves the caller of a request from its headers, or refuses it with a 401 {@link ApiException}. The
 * same resolver serves the HTTP API and the MCP endpoint.
 */
@FunctionalInterface
public interface IdentityResolver {
    /** The caller of a request whose header values {@code header} looks up by name (null when absent). */
    Principal resolve(UnaryOperator<String> header) throws ApiException;
}
