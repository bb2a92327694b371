package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.freshet.serving.identity.LocalSigningKey;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed, forged or out-of-date token gets 401 with a JSON body; never 500, never data. */
class AuthMatrixTest {

    @TempDir
    static Path dir;

    private static ServiceFixture fx;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "{\"query\": \"parental leave\"}";

    @BeforeAll
    static void start() throws Exception {
        fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b);
        fx.indexSampleWorld();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(LocalSigningKey.ISSUER)
                .audience(LocalSigningKey.AUDIENCE)
                .subject("bob")
                .claim("groups", List.of("hr"))
                .claim("tenant", "acme")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static JWSHeader rs256() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(fx.key.keyId()).type(JOSEObjectType.JWT).build();
    }

    @Test
    void aValidTokenIsAccepted() throws Exception {
        HttpResponse<String> r = fx.retrieve(fx.key.sign(rs256(), validClaims().build()), QUERY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void everyBadTokenIsA401WithAJsonBody() throws Exception {
        Instant now = Instant.now();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid").generate();
        RSAKey strangerSameKid = new RSAKeyGenerator(2048).keyID(fx.key.keyId()).generate();
        // HS256 "signed" with the service's RSA public key as the HMAC secret: the classic key-confusion attack
        byte[] publicKeyBytes = fx.key.publicKeys().getKeys().get(0).toRSAKey().toRSAPublicKey().getEncoded();
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(fx.key.keyId()).build(),
                validClaims().build());
        confused.sign(new MACSigner(publicKeyBytes));
        SignedJWT wrongKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-kid").build(),
                validClaims().build());
        wrongKey.sign(new com.nimbusds.jose.crypto.RSASSASigner(stranger));
        SignedJWT forgedSameKid = new SignedJWT(rs256(), validClaims().build());
        forgedSameKid.sign(new com.nimbusds.jose.crypto.RSASSASigner(strangerSameKid));
        String valid = fx.key.sign(rs256(), validClaims().build());
        String[] parts = valid.split("\\.");
        String tamperedPayload = parts[0] + "." + Base64URL.encode(validClaims().subject("admin").build().toString())
                + "." + parts[2];

        Map<String, String> matrix = new LinkedHashMap<>();
        matrix.put("alg none", new PlainJWT(validClaims().build()).serialize());
        matrix.put("HS256 signed with the RSA public key", confused.serialize());
        matrix.put("wrong issuer", fx.key.sign(rs256(), validClaims().issuer("https://evil.example").build()));
        matrix.put("wrong audience", fx.key.sign(rs256(), validClaims().audience("someone-else").build()));
        matrix.put("missing exp", fx.key.sign(rs256(), validClaims().expirationTime(null).build()));
        matrix.put("expired", fx.key.sign(rs256(), validClaims().expirationTime(Date.from(now.minusSeconds(60))).build()));
        matrix.put("nbf in the future", fx.key.sign(rs256(), validClaims().notBeforeTime(Date.from(now.plusSeconds(120))).build()));
        matrix.put("unknown kid", wrongKey.serialize());
        matrix.put("forged signature, known kid", forgedSameKid.serialize());
        matrix.put("tampered payload", tamperedPayload);
        matrix.put("missing sub", fx.key.sign(rs256(), validClaims().subject(null).build()));
        matrix.put("missing tenant", fx.key.sign(rs256(), validClaims().claim("tenant", null).build()));
        matrix.put("groups not strings", fx.key.sign(rs256(), validClaims().claim("groups", List.of(1, 2)).build()));
        matrix.put("garbage", "not-a-jwt");
        matrix.put("three dots of garbage", "a.b.c");
        matrix.put("16 KB token", "eyJ" + "A".repeat(16 * 1024));

        for (var e : matrix.entrySet()) {
            HttpResponse<String> r = fx.retrieve(e.getValue(), QUERY);
            assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(401);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.at("/error/code").asText()).as(e.getKey()).isEqualTo("invalid_token");
            assertThat(body.at("/error/message").asText()).as(e.getKey()).isNotBlank();
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(e.getKey()).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void noTokenOrAnotherSchemeIsA401() throws Exception {
        HttpResponse<String> none = fx.retrieve(null, QUERY);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).at("/error/code").asText()).isEqualTo("missing_token");
        HttpResponse<String> basic = fx.post("/v1/retrieve", Map.of("Authorization", "Basic Ym9iOnB3"), QUERY);
        assertThat(basic.statusCode()).isEqualTo(401);
        HttpResponse<String> devHeaders = fx.post("/v1/retrieve", Map.of("X-Freshet-Dev-User", "bob",
                "X-Freshet-Dev-Tenant", "acme"), QUERY);
        assertThat(devHeaders.statusCode()).as("dev headers are not trusted in token mode").isEqualTo(401);
    }

    @Test
    void theMcpEndpointRefusesTheSameTokens() throws Exception {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
        HttpResponse<String> none = fx.post("/mcp", accept, init);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).at("/error/code").asText()).isEqualTo("missing_token");
        Map<String, String> expired = new LinkedHashMap<>(accept);
        expired.put("Authorization", "Bearer " + fx.key.sign(rs256(),
                validClaims().expirationTime(Date.from(Instant.now().minusSeconds(60))).build()));
        assertThat(fx.post("/mcp", expired, init).statusCode()).isEqualTo(401);
    }
}
