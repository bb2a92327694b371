package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import io.javalin.http.Context;

/** Resolves the caller of a request, or refuses it with a 401 {@link ApiException}. */
@FunctionalInterface
public interface IdentityResolver {
    /** The caller of {@code ctx}. */
    Principal resolve(Context ctx) throws ApiException;
}
