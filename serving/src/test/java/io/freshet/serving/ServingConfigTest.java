package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.freshet.serving.identity.JwtSettings;
import io.freshet.serving.identity.LocalSigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingConfigTest {

    @TempDir
    Path dir;

    @Test
    void devIdentityIsRefusedOffLoopback() {
        assertThatThrownBy(() -> ServingConfig.builder().host("0.0.0.0").devIdentity(true).build())
                .hasMessageContaining("serving.dev-identity")
                .hasMessageContaining("0.0.0.0");
        assertThat(ServingConfig.builder().host("127.0.0.1").devIdentity(true).build().devIdentity()).isTrue();
        assertThat(ServingConfig.builder().host("localhost").devIdentity(true).build().devIdentity()).isTrue();
    }

    @Test
    void tokenVerificationIsRequiredWithoutDevIdentity() throws Exception {
        assertThatThrownBy(() -> ServingConfig.builder().host("0.0.0.0").build())
                .hasMessageContaining("serving.auth.jwks-url");
        JwtSettings jwt = LocalSigningKey.loadOrCreate(dir).settings(Duration.ofSeconds(30));
        assertThat(ServingConfig.builder().host("0.0.0.0").jwt(jwt).build().devIdentity()).isFalse();
    }

    @Test
    void boundsNameTheBadValue() {
        assertThatThrownBy(() -> ServingConfig.builder().devIdentity(true).port(70000).build())
                .hasMessageContaining("serving.port").hasMessageContaining("70000");
        assertThatThrownBy(() -> ServingConfig.builder().devIdentity(true).maxK(0).build())
                .hasMessageContaining("serving.limits.max-k");
        assertThatThrownBy(() -> ServingConfig.builder().devIdentity(true).defaultK(500).build())
                .hasMessageContaining("serving.limits.default-k").hasMessageContaining("500");
        assertThatThrownBy(() -> ServingConfig.builder().devIdentity(true).embedTimeout(Duration.ZERO).build())
                .hasMessageContaining("serving.embed-timeout");
        assertThatThrownBy(() -> ServingConfig.builder().devIdentity(true).rateLimit(5, 0).build())
                .hasMessageContaining("serving.rate-limit.burst");
    }

    @Test
    void sharedSecretAlgorithmsAndAmbiguousKeySourcesAreRefused() throws Exception {
        var keys = LocalSigningKey.loadOrCreate(dir).publicKeys();
        assertThatThrownBy(() -> new JwtSettings("iss", "aud", Set.of(JWSAlgorithm.HS256), null, keys,
                Duration.ZERO, null, null, null, null)).hasMessageContaining("HS256");
        assertThatThrownBy(() -> new JwtSettings("iss", "aud", Set.of(JWSAlgorithm.RS256), null, null,
                Duration.ZERO, null, null, null, null)).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> JwtSettings.algorithm("RS999")).hasMessageContaining("RS999");
        assertThatThrownBy(() -> new JwtSettings("iss", "aud", Set.of(JWSAlgorithm.RS256), null, keys,
                Duration.ofHours(1), null, null, null, null)).hasMessageContaining("clock-skew");
    }
}
