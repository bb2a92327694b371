package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import io.javalin.http.Context;

/** Used when no identity provider is configured: every request is unauthenticated. */
public final class NoIdentity implements IdentityResolver {
    @Override
    public Principal resolve(Context ctx) {
        throw new ApiException(401, "unauthenticated",
                "no identity provider is configured; for local development set serving.dev-identity: true");
    }
}
