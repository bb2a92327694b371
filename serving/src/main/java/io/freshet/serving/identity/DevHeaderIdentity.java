package io.freshet.serving.identity;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Local development only, behind {@code serving.dev-identity: true}: trusts the caller's own headers
 * {@value #USER}, {@value #GROUPS} (comma-separated), {@value #TENANT} and {@value #ROLES} (comma-separated). The service refuses to start with
 * this resolver on a non-loopback address, because anyone who can reach it could claim any identity.
 */
public final class DevHeaderIdentity implements IdentityResolver {

    public static final String USER = "X-Freshet-Dev-User";
    public static final String GROUPS = "X-Freshet-Dev-Groups";
    public static final String TENANT = "X-Freshet-Dev-Tenant";
    public static final String ROLES = "X-Freshet-Dev-Roles";

    @Override
    public Principal resolve(UnaryOperator<String> header) {
        String user = header.apply(USER);
        String tenant = header.apply(TENANT);
        if (user == null || user.isBlank() || tenant == null || tenant.isBlank()) {
            throw ApiException.unauthorized("missing_identity",
                    "dev identity mode: send headers " + USER + ", " + TENANT + " and optionally " + GROUPS);
        }
        return new Principal(user.trim(), list(header.apply(GROUPS)), tenant.trim(), list(header.apply(ROLES)));
    }

    private static Set<String> list(String header) {
        Set<String> names = new LinkedHashSet<>();
        if (header != null) {
            Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        }
        return names;
    }
}
