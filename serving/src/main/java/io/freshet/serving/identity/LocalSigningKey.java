package io.freshet.serving.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The local profile's token issuer: an RSA key generated once into the work directory, which the local
 * service trusts and {@code freshet token} signs development tokens with. Never used outside the local
 * profile; a deployment configures its identity provider's JWKS instead.
 */
public final class LocalSigningKey {

    /** Issuer of local development tokens. */
    public static final String ISSUER = "freshet-local";
    /** Audience of local development tokens. */
    public static final String AUDIENCE = "freshet";
    /** File name of the private key (JWK JSON, owner-readable only). */
    public static final String FILE = "local-signing-key.jwk";

    private final RSAKey key;

    private LocalSigningKey(RSAKey key) {
        this.key = key;
    }

    /** Loads the key from {@code dir}, generating and storing it first if absent. */
    public static LocalSigningKey loadOrCreate(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            return load(file);
        }
        Files.createDirectories(dir);
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID("freshet-local-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        } catch (JOSEException e) {
            throw new IOException("cannot generate the local signing key", e);
        }
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            if (Files.exists(file)) {
                return load(file); // another process created it first
            }
            throw e;
        }
        return new LocalSigningKey(key);
    }

    /** Loads an existing key; fails naming the file when there is none or it is not an RSA private JWK. */
    public static LocalSigningKey load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no local signing key at " + file + "; start the local profile once "
                    + "(./freshet up) or pass --key");
        }
        try {
            RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate()) {
                throw new IOException(file + " holds a public key only; token signing needs the private key");
            }
            return new LocalSigningKey(key);
        } catch (ParseException e) {
            throw new IOException(file + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    /** The public half, for the service to verify with. */
    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** A verification setup that trusts this key with the local issuer and audience. */
    public JwtSettings settings(Duration clockSkew) {
        return new JwtSettings(ISSUER, AUDIENCE, Set.of(JWSAlgorithm.RS256), null, publicKeys(), clockSkew, null,
                "groups", "tenant", "roles");
    }

    /** A signed token for {@code subject} in {@code groups} of {@code tenant}, valid for {@code ttl}. */
    public String mint(String subject, List<String> groups, String tenant, Duration ttl) {
        return mint(subject, groups, tenant, List.of(), ttl);
    }

    /** A signed token as {@link #mint(String, List, String, Duration)}, also holding {@code roles}. */
    public String mint(String subject, List<String> groups, String tenant, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("groups", List.copyOf(groups))
                .claim("tenant", tenant)
                .claim("roles", roles.isEmpty() ? null : List.copyOf(roles))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims);
    }

    /** Signs arbitrary claims with this key (tests build malformed tokens with it). */
    public String sign(JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the local key", e);
        }
        return jwt.serialize();
    }

    /** The key id. */
    public String keyId() {
        return key.getKeyID();
    }
}
