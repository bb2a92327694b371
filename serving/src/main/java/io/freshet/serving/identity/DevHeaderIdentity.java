package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Local development only: trusts the caller's own headers {@value #USER}, {@value #GROUPS}
 * (comma-separated) and {@value #TENANT}. The service refuses to start with this resolver on a non-loopback
 * address, because anyone who can reach it could claim any identity.
 */
public final class DevHeaderIdentity implements IdentityResolver {

    public static final String USER = "X-Freshet-Dev-User";
    public static final String GROUPS = "X-Freshet-Dev-Groups";
    public static final String TENANT = "X-Freshet-Dev-Tenant";

    @Override
    public Principal resolve(Context ctx) {
        String user = ctx.header(USER);
        String tenant = ctx.header(TENANT);
        if (user == null || user.isBlank() || tenant == null || tenant.isBlank()) {
            throw new ApiException(401, "unauthenticated",
                    "dev identity mode: send headers " + USER + ", " + TENANT + " and optionally " + GROUPS);
        }
        Set<String> groups = new LinkedHashSet<>();
        String g = ctx.header(GROUPS);
        if (g != null) {
            Arrays.stream(g.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(groups::add);
        }
        return new Principal(user.trim(), groups, tenant.trim());
    }
}
