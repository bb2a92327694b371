package io.freshet.serving.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Verifies {@code Authorization: Bearer <JWT>} with nimbus-jose-jwt: the signature with a key from the
 * configured JWKS (URL or static), only with allow-listed algorithms; {@code iss} and {@code aud} exactly;
 * {@code exp}, {@code sub} and the tenant claim required; {@code nbf} and {@code exp} within the clock skew;
 * {@code typ} when configured. The principal is {@code sub}, the groups claim, the tenant claim and the roles
 * claim.
 *
 * <p>Any failure is a 401 {@link ApiException}; the message says which check failed, never more.
 */
public final class JwtIdentity implements IdentityResolver {

    private static final String BEARER = "bearer ";

    /** How long a verified token is remembered; bounds how late a key rotation takes effect for it. */
    static final Duration VERIFIED_TTL = Duration.ofSeconds(60);

    /** A token that passed every check, with its expiry. */
    private record Verified(Principal principal, long expiresAtMillis) {}

    private final JwtSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    // signature checks cost far more than a retrieval's bookkeeping; a caller sends the same token many times
    private final Cache<String, Verified> verified =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(VERIFIED_TTL).build();

    public JwtIdentity(JwtSettings settings) {
        this.settings = settings;
        JWKSource<SecurityContext> keys;
        if (settings.jwksUrl() != null) {
            try {
                keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL()).retrying(true).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("serving.auth.jwks-url is not a URL: " + settings.jwksUrl(), e);
            }
        } else {
            keys = new ImmutableJWKSet<>(settings.staticKeys());
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.algorithms(), keys));
        if (settings.typ() != null) {
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(settings.typ())));
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp", settings.tenantClaim()));
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    @Override
    public Principal resolve(UnaryOperator<String> header) {
        String authorization = header.apply("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("missing_token", "send 'Authorization: Bearer <token>'");
        }
        if (authorization.length() > JwtSettings.MAX_TOKEN_CHARS + BEARER.length()) {
            throw ApiException.unauthorized("invalid_token", "token longer than " + JwtSettings.MAX_TOKEN_CHARS
                    + " characters");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("missing_token", "the Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(BEARER.length()).trim();
        Verified cached = verified.getIfPresent(token);
        if (cached != null) {
            if (System.currentTimeMillis() <= cached.expiresAtMillis() + settings.clockSkew().toMillis()) {
                return cached.principal();
            }
            verified.invalidate(token); // expired since: verify again, which refuses it
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw ApiException.unauthorized("invalid_token", "not a JWT: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw ApiException.unauthorized("invalid_token", e.getMessage());
        } catch (JOSEException e) {
            throw ApiException.unauthorized("invalid_token", "signature check failed: " + e.getMessage());
        }
        try {
            String tenant = claims.getStringClaim(settings.tenantClaim());
            if (tenant == null || tenant.isBlank()) {
                throw ApiException.unauthorized("invalid_token", "claim '" + settings.tenantClaim() + "' is empty");
            }
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                throw ApiException.unauthorized("invalid_token", "claim 'sub' is empty");
            }
            Principal principal = new Principal(claims.getSubject(), names(claims, settings.groupsClaim()), tenant,
                    roles(claims));
            verified.put(token, new Verified(principal, claims.getExpirationTime().getTime()));
            return principal;
        } catch (ParseException e) {
            throw ApiException.unauthorized("invalid_token", "malformed claim: " + e.getMessage());
        }
    }

    /**
     * The caller's roles; a roles claim of another shape grants none rather than refusing the caller, since
     * roles only add administrative rights and never narrow retrieval.
     */
    private Set<String> roles(JWTClaimsSet claims) {
        try {
            return names(claims, settings.rolesClaim());
        } catch (ParseException e) {
            return Set.of();
        }
    }

    /** A claim holding names: an array of strings, or one space/comma-separated string. */
    private static Set<String> names(JWTClaimsSet claims, String claim) throws ParseException {
        Object raw = claims.getClaim(claim);
        Set<String> groups = new LinkedHashSet<>();
        if (raw == null) {
            return groups;
        }
        if (raw instanceof String s) {
            Arrays.stream(s.split("[,\\s]+")).filter(g -> !g.isBlank()).forEach(groups::add);
            return groups;
        }
        List<String> list = claims.getStringListClaim(claim);
        for (String g : list) {
            if (g != null && !g.isBlank()) {
                groups.add(g);
            }
        }
        return groups;
    }

    @Override
    public String toString() {
        return "JwtIdentity[iss=" + settings.issuer() + ", aud=" + settings.audience() + ", algs="
                + settings.algorithms().stream().map(a -> a.getName().toUpperCase(Locale.ROOT)).sorted().toList() + "]";
    }
}
