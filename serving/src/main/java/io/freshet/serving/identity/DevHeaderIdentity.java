package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Local development only, behind {@code serving.dev-identity: true}: trusts the caller's own headers
 * {@value #USER}, {@value #GROUPS} (comma-separated) and {@value #TENANT}. The service refuses to start with
 * this resolver on a non-loopback address, because anyone who can reach it could claim any identity.
 */
public final class DevHeaderIdentity implements IdentityResolver {

    public static final String USER = "X-Freshet-Dev-User";
    public static final String GROUPS = "X-Freshet-Dev-Groups";
    public static final String TENANT = "X-Freshet-Dev-Tenant";

    @Override
    public Principal resolve(UnaryOperator<String> header) {
        String user = header.apply(USER);
        String tenant = header.apply(TENANT);
        if (user == null || user.isBlank() || tenant == null || tenant.isBlank()) {
            throw ApiException.unauthorized("missing_identity",
                    "dev identity mode: send headers " + USER + ", " + TENANT + " and optionally " + GROUPS);
        }
        Set<String> groups = new LinkedHashSet<>();
        String g = header.apply(GROUPS);
        if (g != null) {
            Arrays.stream(g.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(groups::add);
        }
        return new Principal(user.trim(), groups, tenant.trim());
    }
}
