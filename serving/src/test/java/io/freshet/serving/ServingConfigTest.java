package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServingConfigTest {

    @Test
    void devIdentityIsRefusedOffLoopback() {
        assertThatThrownBy(() -> new ServingConfig("0.0.0.0", 8765, true, Duration.ofMillis(200)))
                .hasMessageContaining("serving.dev-identity")
                .hasMessageContaining("0.0.0.0");
        assertThat(new ServingConfig("127.0.0.1", 0, true, Duration.ofMillis(200)).devIdentity()).isTrue();
        assertThat(new ServingConfig("localhost", 0, true, Duration.ofMillis(200)).devIdentity()).isTrue();
        assertThat(new ServingConfig("0.0.0.0", 0, false, Duration.ofMillis(200)).devIdentity()).isFalse();
    }

    @Test
    void portIsBounded() {
        assertThatThrownBy(() -> new ServingConfig("127.0.0.1", 70000, false, Duration.ofMillis(200)))
                .hasMessageContaining("serving.port")
                .hasMessageContaining("70000");
    }
}
