package io.freshet.serving;

import io.freshet.index.lifecycle.QualityGate;
import io.freshet.index.search.Fusion;
import io.freshet.serving.identity.JwtSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the retrieval service listens, whom it trusts, and its bounds. Build with {@link #builder()}.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 * @param refreshInterval how often to look for a new index commit
 * @param devIdentity trust identity headers instead of tokens (local development; loopback only)
 * @param jwt how bearer tokens are verified; required unless {@code devIdentity}
 * @param defaultK k when a request names none
 * @param maxK largest k a request may ask for
 * @param maxQueryChars longest query accepted
 * @param maxBodyBytes largest request body accepted
 * @param embedTimeout time budget of the query embedding; past it the answer is keyword-only
 * @param freshnessBound a served commit older than this is reported as {@code stale_index}; zero turns it off
 * @param fusion hybrid fusion parameters
 * @param rateLimitPerSecond sustained requests per second per principal; zero turns the limit off
 * @param rateLimitBurst requests a principal may make at once before the sustained rate applies
 * @param embeddingCacheSize query embeddings kept (LRU); zero turns the cache off
 * @param resultCacheSize retrieval results kept, keyed by query, the caller's effective filter and the commit;
 *     zero turns the cache off
 * @param ownerRole the role a caller needs for the index admin API; empty (the default) turns that API off
 * @param promotionGate what a generation's evaluation report must show before the admin API promotes it
 */
public record ServingConfig(String host, int port, Duration refreshInterval, boolean devIdentity, JwtSettings jwt,
        int defaultK, int maxK, int maxQueryChars, long maxBodyBytes, Duration embedTimeout, Duration freshnessBound,
        Fusion fusion, double rateLimitPerSecond, int rateLimitBurst, int embeddingCacheSize, int resultCacheSize, String ownerRole,
        QualityGate promotionGate) {

    public ServingConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("serving.port must be in [0, 65535]; got " + port);
        }
        positive("serving.refresh-interval", refreshInterval);
        positive("serving.embed-timeout", embedTimeout);
        if (freshnessBound == null || freshnessBound.isNegative()) {
            throw new IllegalArgumentException("serving.freshness-bound must be >= 0; got " + freshnessBound);
        }
        if (devIdentity && !isLoopback(host)) {
            throw new IllegalArgumentException("serving.dev-identity trusts caller-supplied identity headers and is "
                    + "allowed only on a loopback address; serving.host is '" + host + "'");
        }
        if (!devIdentity && jwt == null) {
            throw new IllegalArgumentException("token verification is not configured: set serving.auth.jwks-url or "
                    + "serving.auth.public-keys (or, for local development on loopback, serving.dev-identity: true)");
        }
        if (maxK < 1 || maxK > 1000) {
            throw new IllegalArgumentException("serving.limits.max-k must be in [1, 1000]; got " + maxK);
        }
        if (defaultK < 1 || defaultK > maxK) {
            throw new IllegalArgumentException("serving.limits.default-k must be in [1, max-k=" + maxK + "]; got " + defaultK);
        }
        if (maxQueryChars < 1) {
            throw new IllegalArgumentException("serving.limits.max-query-chars must be >= 1; got " + maxQueryChars);
        }
        if (maxBodyBytes < 256) {
            throw new IllegalArgumentException("serving.limits.max-body-bytes must be >= 256; got " + maxBodyBytes);
        }
        Objects.requireNonNull(fusion, "fusion");
        if (!(rateLimitPerSecond >= 0)) {
            throw new IllegalArgumentException("serving.rate-limit.requests-per-second must be >= 0; got " + rateLimitPerSecond);
        }
        if (rateLimitPerSecond > 0 && rateLimitBurst < 1) {
            throw new IllegalArgumentException("serving.rate-limit.burst must be >= 1; got " + rateLimitBurst);
        }
        if (embeddingCacheSize < 0 || resultCacheSize < 0) {
            throw new IllegalArgumentException("cache sizes must be >= 0; got embeddings=" + embeddingCacheSize
                    + " results=" + resultCacheSize);
        }
        ownerRole = ownerRole == null ? "" : ownerRole.trim();
        Objects.requireNonNull(promotionGate, "promotionGate");
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive; got " + d);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A builder with the defaults of {@code conf/freshet.yaml}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.refreshInterval = refreshInterval;
        b.devIdentity = devIdentity;
        b.jwt = jwt;
        b.defaultK = defaultK;
        b.maxK = maxK;
        b.maxQueryChars = maxQueryChars;
        b.maxBodyBytes = maxBodyBytes;
        b.embedTimeout = embedTimeout;
        b.freshnessBound = freshnessBound;
        b.fusion = fusion;
        b.rateLimitPerSecond = rateLimitPerSecond;
        b.rateLimitBurst = rateLimitBurst;
        b.embeddingCacheSize = embeddingCacheSize;
        b.resultCacheSize = resultCacheSize;
        b.ownerRole = ownerRole;
        b.promotionGate = promotionGate;
        return b;
    }

    /** Builds a {@link ServingConfig}; every setter's default is the documented one. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8765;
        private Duration refreshInterval = Duration.ofMillis(200);
        private boolean devIdentity;
        private JwtSettings jwt;
        private int defaultK = 5;
        private int maxK = 100;
        private int maxQueryChars = 2_000;
        private long maxBodyBytes = 64 * 1024;
        private Duration embedTimeout = Duration.ofSeconds(1);
        private Duration freshnessBound = Duration.ofHours(1);
        private Fusion fusion = Fusion.DEFAULT;
        private double rateLimitPerSecond = 50;
        private int rateLimitBurst = 100;
        private int embeddingCacheSize = 10_000;
        private int resultCacheSize = 10_000;
        private String ownerRole = ""; // the admin API is off unless a role is named
        private QualityGate promotionGate = QualityGate.DEFAULT;

        private Builder() {}

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder refreshInterval(Duration v) { refreshInterval = v; return this; }
        public Builder devIdentity(boolean v) { devIdentity = v; return this; }
        public Builder jwt(JwtSettings v) { jwt = v; return this; }
        public Builder defaultK(int v) { defaultK = v; return this; }
        public Builder maxK(int v) { maxK = v; return this; }
        public Builder maxQueryChars(int v) { maxQueryChars = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder embedTimeout(Duration v) { embedTimeout = v; return this; }
        public Builder freshnessBound(Duration v) { freshnessBound = v; return this; }
        public Builder fusion(Fusion v) { fusion = v; return this; }
        public Builder rateLimit(double perSecond, int burst) { rateLimitPerSecond = perSecond; rateLimitBurst = burst; return this; }
        public Builder embeddingCacheSize(int v) { embeddingCacheSize = v; return this; }
        public Builder resultCacheSize(int v) { resultCacheSize = v; return this; }
        public Builder ownerRole(String v) { ownerRole = v; return this; }
        public Builder promotionGate(QualityGate v) { promotionGate = v; return this; }

        public ServingConfig build() {
            return new ServingConfig(host, port, refreshInterval, devIdentity, jwt, defaultK, maxK, maxQueryChars,
                    maxBodyBytes, embedTimeout, freshnessBound, fusion, rateLimitPerSecond, rateLimitBurst,
                    embeddingCacheSize, resultCacheSize, ownerRole, promotionGate);
        }
    }
}
