package io.freshet.serving;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the retrieval service listens.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 * @param devIdentity trust identity headers (local development; loopback only)
 * @param refreshInterval how often to look for a new index commit
 */
public record ServingConfig(String host, int port, boolean devIdentity, Duration refreshInterval) {

    public ServingConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("serving.port must be in [0, 65535]; got " + port);
        }
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("serving.refresh-interval must be positive; got " + refreshInterval);
        }
        if (devIdentity && !isLoopback(host)) {
            throw new IllegalArgumentException("serving.dev-identity trusts caller-supplied identity headers and is "
                    + "allowed only on a loopback address; serving.host is '" + host + "'");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
