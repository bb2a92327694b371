package io.freshet.serving.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

/** Reads static verification keys: a JWKS JSON file, or PEM public keys/certificates. */
public final class PublicKeys {

    private PublicKeys() {}

    /** The public keys in {@code file}; private parts, if present, are dropped. */
    public static JWKSet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("serving.auth.public-keys: no such file " + file);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            JWKSet set;
            if (text.startsWith("{")) {
                set = text.contains("\"keys\"") ? JWKSet.parse(text) : new JWKSet(JWK.parse(text));
            } else if (text.startsWith("-----BEGIN")) {
                List<JWK> keys = JWK.parseFromPEMEncodedObjects(text) instanceof JWK k ? List.of(k) : List.of();
                set = new JWKSet(keys);
            } else {
                throw new IOException("serving.auth.public-keys: " + file + " is neither a JWKS/JWK JSON file nor PEM");
            }
            if (set.getKeys().isEmpty()) {
                throw new IOException("serving.auth.public-keys: " + file + " holds no keys");
            }
            return set.toPublicJWKSet();
        } catch (ParseException | JOSEException e) {
            throw new IOException("serving.auth.public-keys: cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
