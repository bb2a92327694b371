package io.freshet.serving.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How bearer tokens are checked.
 *
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud} (one of the token's audiences)
 * @param algorithms the signature algorithms accepted; anything else, {@code none} included, is refused
 * @param jwksUrl where to fetch the verification keys (JWKS), or null to use {@code staticKeys}
 * @param staticKeys the verification keys when no URL is given
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param typ when not null, the required JOSE {@code typ} header (for example {@code at+jwt})
 * @param groupsClaim claim holding the caller's groups (array of strings, or one space/comma-separated string)
 * @param tenantClaim claim holding the caller's tenant (required)
 * @param rolesClaim claim holding the caller's roles, such as the index owner role (same forms as groups)
 */
public record JwtSettings(String issuer, String audience, Set<JWSAlgorithm> algorithms, URI jwksUrl,
        JWKSet staticKeys, Duration clockSkew, String typ, String groupsClaim, String tenantClaim, String rolesClaim) {

    /** Longest bearer token accepted, in characters; longer ones are refused before parsing. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;

    public JwtSettings {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("serving.auth.issuer must be set");
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("serving.auth.audience must be set");
        }
        if (algorithms == null || algorithms.isEmpty()) {
            throw new IllegalArgumentException("serving.auth.algorithms must name at least one algorithm");
        }
        for (JWSAlgorithm a : algorithms) {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(a)) {
                throw new IllegalArgumentException("serving.auth.algorithms: " + a
                        + " is a shared-secret algorithm; only public-key algorithms (RS*, PS*, ES*, EdDSA) are accepted");
            }
        }
        algorithms = Set.copyOf(algorithms);
        if ((jwksUrl == null) == (staticKeys == null)) {
            throw new IllegalArgumentException("set exactly one of serving.auth.jwks-url and serving.auth.public-keys");
        }
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("serving.auth.clock-skew must be in [0, 5m]; got " + clockSkew);
        }
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim;
        tenantClaim = tenantClaim == null || tenantClaim.isBlank() ? "tenant" : tenantClaim;
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        typ = typ == null || typ.isBlank() ? null : typ;
    }

    /** Parses an algorithm name such as {@code RS256}, naming the bad value when it is not one. */
    public static JWSAlgorithm algorithm(String name) {
        JWSAlgorithm a = JWSAlgorithm.parse(name.trim());
        boolean known = JWSAlgorithm.Family.SIGNATURE.contains(a) || JWSAlgorithm.Family.HMAC_SHA.contains(a);
        if (!known) {
            throw new IllegalArgumentException("serving.auth.algorithms: unknown JWS algorithm '" + name + "'");
        }
        return a;
    }
}
