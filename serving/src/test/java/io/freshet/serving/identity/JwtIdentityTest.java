package io.freshet.serving.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aRememberedTokenIsStillRefusedOnceItExpires() throws Exception {
        LocalSigningKey key = LocalSigningKey.loadOrCreate(dir);
        JwtIdentity identity = new JwtIdentity(key.settings(Duration.ZERO));
        String token = key.mint("bob", List.of("hr", "all"), "acme", Duration.ofMillis(1500));
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token);
        Principal p = identity.resolve(headers::get);
        assertThat(p).isEqualTo(new Principal("bob", java.util.Set.of("hr", "all"), "acme"));
        assertThat(identity.resolve(headers::get)).as("second call, from the verified-token cache").isEqualTo(p);
        Thread.sleep(2100);
        assertThatThrownBy(() -> identity.resolve(headers::get))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.code()).isEqualTo("invalid_token");
                });
    }

    @Test
    void groupsMayBeASpaceOrCommaSeparatedString() throws Exception {
        LocalSigningKey key = LocalSigningKey.loadOrCreate(dir);
        JwtIdentity identity = new JwtIdentity(key.settings(Duration.ZERO));
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(LocalSigningKey.ISSUER)
                .audience(LocalSigningKey.AUDIENCE).subject("carol").claim("groups", "eng, sre ops").claim("tenant", "acme")
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build();
        String token = key.sign(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID(key.keyId()).build(), claims);
        assertThat(identity.resolve(Map.of("Authorization", "Bearer " + token)::get).groups())
                .containsExactlyInAnyOrder("eng", "sre", "ops");
    }

    @Test
    void rolesComeFromTheRolesClaimAndAMalformedOneGrantsNone() throws Exception {
        LocalSigningKey key = LocalSigningKey.loadOrCreate(dir);
        JwtIdentity identity = new JwtIdentity(key.settings(Duration.ZERO));
        String owner = key.mint("olivia", List.of(), "acme", List.of("index-owner"), Duration.ofMinutes(1));
        assertThat(identity.resolve(Map.of("Authorization", "Bearer " + owner)::get).hasRole("index-owner")).isTrue();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(LocalSigningKey.ISSUER)
                .audience(LocalSigningKey.AUDIENCE).subject("carol").claim("roles", Map.of("admin", 1)).claim("tenant", "acme")
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build();
        String odd = key.sign(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID(key.keyId()).build(), claims);
        Principal carol = identity.resolve(Map.of("Authorization", "Bearer " + odd)::get);
        assertThat(carol.roles()).as("retrieval still works; no admin rights").isEmpty();
    }

    @Test
    void aConfiguredTypIsRequired() throws Exception {
        LocalSigningKey key = LocalSigningKey.loadOrCreate(dir);
        JwtSettings base = key.settings(Duration.ZERO);
        JwtIdentity identity = new JwtIdentity(new JwtSettings(base.issuer(), base.audience(), base.algorithms(), null,
                base.staticKeys(), base.clockSkew(), "at+jwt", null, null, null));
        String plainJwt = key.mint("bob", List.of(), "acme", Duration.ofMinutes(1)); // typ JWT
        assertThatThrownBy(() -> identity.resolve(Map.of("Authorization", "Bearer " + plainJwt)::get))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(LocalSigningKey.ISSUER)
                .audience(LocalSigningKey.AUDIENCE).subject("bob").claim("tenant", "acme")
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build();
        String accessToken = key.sign(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID(key.keyId()).type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), claims);
        assertThat(identity.resolve(Map.of("Authorization", "Bearer " + accessToken)::get).subject()).isEqualTo("bob");
    }
}
