package io.freshet.app.config;

import com.nimbusds.jose.JWSAlgorithm;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.jobs.config.IndexOptions;
import io.freshet.serving.ServingConfig;
import io.freshet.serving.identity.JwtSettings;
import io.freshet.serving.identity.LocalSigningKey;
import io.freshet.serving.identity.PublicKeys;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** The retrieval service. */
public final class ServingOptions {
    private ServingOptions() {}

    public static final ConfigOption<String> HOST = ConfigOptions.key("serving.host")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Address the retrieval service binds.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("serving.port")
            .intType()
            .defaultValue(8765)
            .withDescription("Port of the retrieval service; 0 picks a free one.");

    public static final ConfigOption<Boolean> DEV_IDENTITY = ConfigOptions.key("serving.dev-identity")
            .booleanType()
            .defaultValue(false)
            .withDescription("Trust X-Freshet-Dev-* identity headers instead of tokens. Local development only; "
                    + "refused on a non-loopback host.");

    public static final ConfigOption<Duration> REFRESH_INTERVAL = ConfigOptions.key("serving.refresh-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("How often the service looks for a new index commit.");

    public static final ConfigOption<String> AUTH_JWKS_URL = ConfigOptions.key("serving.auth.jwks-url")
            .stringType()
            .noDefaultValue()
            .withDescription("JWKS URL of the identity provider. Without it or serving.auth.public-keys, the local "
                    + "profile trusts its own generated key (local.work-dir/keys), which `freshet token` signs with.");

    public static final ConfigOption<String> AUTH_PUBLIC_KEYS = ConfigOptions.key("serving.auth.public-keys")
            .stringType()
            .noDefaultValue()
            .withDescription("File of static verification keys: JWKS/JWK JSON or PEM.");

    public static final ConfigOption<String> AUTH_ISSUER = ConfigOptions.key("serving.auth.issuer")
            .stringType()
            .defaultValue(LocalSigningKey.ISSUER)
            .withDescription("Required iss claim.");

    public static final ConfigOption<String> AUTH_AUDIENCE = ConfigOptions.key("serving.auth.audience")
            .stringType()
            .defaultValue(LocalSigningKey.AUDIENCE)
            .withDescription("Required aud claim.");

    public static final ConfigOption<List<String>> AUTH_ALGORITHMS = ConfigOptions.key("serving.auth.algorithms")
            .stringType()
            .asList()
            .defaultValues("RS256", "ES256")
            .withDescription("Accepted JWS algorithms (public-key only), separated by ';'.");

    public static final ConfigOption<Duration> AUTH_CLOCK_SKEW = ConfigOptions.key("serving.auth.clock-skew")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Tolerance for exp and nbf.");

    public static final ConfigOption<String> AUTH_TYP = ConfigOptions.key("serving.auth.typ")
            .stringType()
            .noDefaultValue()
            .withDescription("Required JOSE typ header (e.g. at+jwt); unset accepts JWT or none.");

    public static final ConfigOption<String> AUTH_GROUPS_CLAIM = ConfigOptions.key("serving.auth.groups-claim")
            .stringType()
            .defaultValue("groups")
            .withDescription("Claim holding the caller's groups.");

    public static final ConfigOption<String> AUTH_ROLES_CLAIM = ConfigOptions.key("serving.auth.roles-claim")
            .stringType()
            .defaultValue("roles")
            .withDescription("Claim holding the caller's roles (serving.admin.owner-role grants the index admin API).");

    public static final ConfigOption<String> ADMIN_OWNER_ROLE = ConfigOptions.key("serving.admin.owner-role")
            .stringType()
            .defaultValue("")
            .withDescription("Role a caller needs for the index admin API (/v1/admin/index/...), e.g. index-owner; "
                    + "empty (the default) turns the API off. The role is not scoped to a tenant: grant it only to "
                    + "the index's owners.");

    public static final ConfigOption<String> AUTH_TENANT_CLAIM = ConfigOptions.key("serving.auth.tenant-claim")
            .stringType()
            .defaultValue("tenant")
            .withDescription("Claim holding the caller's tenant.");

    public static final ConfigOption<Integer> DEFAULT_K = ConfigOptions.key("serving.limits.default-k")
            .intType().defaultValue(5).withDescription("k when a request names none.");

    public static final ConfigOption<Integer> MAX_K = ConfigOptions.key("serving.limits.max-k")
            .intType().defaultValue(100).withDescription("Largest k a request may ask for.");

    public static final ConfigOption<Integer> MAX_QUERY_CHARS = ConfigOptions.key("serving.limits.max-query-chars")
            .intType().defaultValue(2000).withDescription("Longest query accepted, in characters.");

    public static final ConfigOption<Integer> MAX_BODY_BYTES = ConfigOptions.key("serving.limits.max-body-bytes")
            .intType().defaultValue(64 * 1024).withDescription("Largest request body accepted.");

    public static final ConfigOption<Duration> EMBED_TIMEOUT = ConfigOptions.key("serving.embed-timeout")
            .durationType().defaultValue(Duration.ofSeconds(1))
            .withDescription("Time budget of the query embedding; past it the answer is keyword-only (degraded).");

    public static final ConfigOption<Duration> FRESHNESS_BOUND = ConfigOptions.key("serving.freshness-bound")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("A served commit older than this is reported as stale_index; 0 turns it off.");

    public static final ConfigOption<Integer> FUSION_RANK_CONSTANT = ConfigOptions.key("serving.fusion.rank-constant")
            .intType().defaultValue(60).withDescription("RRF k.");

    public static final ConfigOption<Double> FUSION_KEYWORD_WEIGHT = ConfigOptions.key("serving.fusion.keyword-weight")
            .doubleType().defaultValue(1.0).withDescription("Weight of the BM25 list in RRF.");

    public static final ConfigOption<Double> FUSION_VECTOR_WEIGHT = ConfigOptions.key("serving.fusion.vector-weight")
            .doubleType().defaultValue(1.0).withDescription("Weight of the kNN list in RRF.");

    public static final ConfigOption<String> FUSION_METHOD = ConfigOptions.key("serving.fusion.method")
            .stringType().defaultValue("rrf")
            .withDescription("rrf (reciprocal rank fusion) or convex (weighted sum of min-max normalised scores).");

    public static final ConfigOption<Integer> FUSION_CANDIDATES = ConfigOptions.key("serving.fusion.candidates")
            .intType().defaultValue(20).withDescription("Hits each retriever contributes before fusion.");

    public static final ConfigOption<Boolean> FUSION_PER_DOCUMENT = ConfigOptions.key("serving.fusion.per-document")
            .booleanType().defaultValue(false)
            .withDescription("Fuse documents, not chunks: each list counts a document once, at its best chunk, so a "
                    + "document whose best BM25 and kNN chunks differ gets both; one hit (its better-ranked chunk) per "
                    + "document.");

    public static final ConfigOption<Double> RATE_LIMIT = ConfigOptions.key("serving.rate-limit.requests-per-second")
            .doubleType().defaultValue(50.0).withDescription("Sustained requests/s per principal; 0 turns it off.");

    public static final ConfigOption<Integer> RATE_LIMIT_BURST = ConfigOptions.key("serving.rate-limit.burst")
            .intType().defaultValue(100).withDescription("Requests a principal may make at once.");

    public static final ConfigOption<Integer> EMBEDDING_CACHE = ConfigOptions.key("serving.cache.query-embeddings")
            .intType().defaultValue(10_000).withDescription("Query embeddings kept (LRU); 0 turns it off.");

    public static final ConfigOption<Integer> RESULT_CACHE = ConfigOptions.key("serving.cache.results")
            .intType().defaultValue(10_000)
            .withDescription("Results kept, keyed by query, the caller's effective filter and the commit; 0 turns it off.");

    public static final ConfigOption<Double> KNN_RESCORE_OVERSAMPLE = ConfigOptions.key("serving.knn.rescore-oversample")
            .doubleType().defaultValue(VectorSearchOptions.DEFAULT_RESCORE_OVERSAMPLE)
            .withDescription("On int8 segments, kNN takes at least k times this many candidates from the quantized graph "
                    + "and re-ranks them with the float vectors; 1 turns rescoring off. Float segments are never rescored.");

    public static final ConfigOption<Integer> KNN_EXACT_MAX_CANDIDATES = ConfigOptions.key("serving.knn.exact-max-candidates")
            .intType().defaultValue(VectorSearchOptions.DEFAULT_EXACT_MAX_CANDIDATES)
            .withDescription("When the caller's filter admits at most this many chunks, kNN scores each of them exactly "
                    + "instead of walking the graph (faster for selective filters, and exact); 0 turns it off.");

    public static final ConfigOption<Integer> KNN_SEARCH_THREADS = ConfigOptions.key("serving.knn.search-threads")
            .intType().defaultValue(2)
            .withDescription("Threads shared by all requests that search an index's segments in parallel and run BM25 "
                    + "beside kNN; 0 searches on the request's own thread.");

    /** Every key of this class, for the configuration loader. */
    static final List<ConfigOption<?>> ALL = List.of(HOST, PORT, DEV_IDENTITY, REFRESH_INTERVAL, AUTH_JWKS_URL,
            AUTH_PUBLIC_KEYS, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_ALGORITHMS, AUTH_CLOCK_SKEW, AUTH_TYP, AUTH_GROUPS_CLAIM,
            AUTH_TENANT_CLAIM, AUTH_ROLES_CLAIM, ADMIN_OWNER_ROLE, DEFAULT_K, MAX_K, MAX_QUERY_CHARS, MAX_BODY_BYTES,
            EMBED_TIMEOUT, FRESHNESS_BOUND,
            FUSION_METHOD, FUSION_RANK_CONSTANT, FUSION_KEYWORD_WEIGHT, FUSION_VECTOR_WEIGHT, FUSION_CANDIDATES, FUSION_PER_DOCUMENT,
            RATE_LIMIT,
            RATE_LIMIT_BURST, EMBEDDING_CACHE, RESULT_CACHE, KNN_RESCORE_OVERSAMPLE, KNN_EXACT_MAX_CANDIDATES,
            KNN_SEARCH_THREADS);

    /** Where the local profile keeps its token-signing key. */
    public static Path localKeyDir(Path workDir) {
        return workDir.resolve("keys");
    }

    /**
     * The service configuration. Tokens are verified against {@code serving.auth.jwks-url} or
     * {@code serving.auth.public-keys}; when neither is set, against the local profile's own key in
     * {@code workDir}, generated on first use.
     *
     * @throws IllegalArgumentException naming a bad key or value
     */
    public static ServingConfig servingConfig(Configuration config, Path home, Path workDir) throws IOException {
        boolean dev = config.get(DEV_IDENTITY);
        JwtSettings jwt = dev ? null : jwtSettings(config, home, workDir);
        return ServingConfig.builder()
                .host(config.get(HOST))
                .port(config.get(PORT))
                .refreshInterval(config.get(REFRESH_INTERVAL))
                .devIdentity(dev)
                .jwt(jwt)
                .ownerRole(config.get(ADMIN_OWNER_ROLE))
                .promotionGate(IndexOptions.gate(config))
                .defaultK(config.get(DEFAULT_K))
                .maxK(config.get(MAX_K))
                .maxQueryChars(config.get(MAX_QUERY_CHARS))
                .maxBodyBytes(config.get(MAX_BODY_BYTES))
                .embedTimeout(config.get(EMBED_TIMEOUT))
                .freshnessBound(config.get(FRESHNESS_BOUND))
                .fusion(fusion(config))
                .rateLimit(config.get(RATE_LIMIT), config.get(RATE_LIMIT_BURST))
                .embeddingCacheSize(config.get(EMBEDDING_CACHE))
                .resultCacheSize(config.get(RESULT_CACHE))
                .build();
    }

    /** How hybrid search fuses its two lists ({@code serving.fusion.*}). */
    public static Fusion fusion(Configuration config) {
        return new Fusion(Fusion.Method.of(config.get(FUSION_METHOD)), config.get(FUSION_RANK_CONSTANT),
                config.get(FUSION_KEYWORD_WEIGHT),
                config.get(FUSION_VECTOR_WEIGHT), config.get(FUSION_CANDIDATES), config.get(FUSION_PER_DOCUMENT));
    }

    /**
     * How the service runs kNN ({@code serving.knn.*}), searching segments on {@code executor} (null: on the request's
     * thread; see {@link #KNN_SEARCH_THREADS}).
     *
     * @throws IllegalArgumentException naming a bad key and value
     */
    public static VectorSearchOptions vectorSearch(Configuration config, Executor executor) {
        int threads = config.get(KNN_SEARCH_THREADS);
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException(KNN_SEARCH_THREADS.key() + " must be in [0, 256]; got " + threads);
        }
        VectorSearchOptions options = VectorSearchOptions.DEFAULT.withExecutor(executor);
        try {
            options = options.withRescore(config.get(KNN_RESCORE_OVERSAMPLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KNN_RESCORE_OVERSAMPLE.key() + ": " + e.getMessage(), e);
        }
        try {
            return options.withExactMaxCandidates(config.get(KNN_EXACT_MAX_CANDIDATES));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KNN_EXACT_MAX_CANDIDATES.key() + ": " + e.getMessage(), e);
        }
    }

    private static JwtSettings jwtSettings(Configuration config, Path home, Path workDir) throws IOException {
        String url = config.get(AUTH_JWKS_URL);
        String file = config.get(AUTH_PUBLIC_KEYS);
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String a : config.get(AUTH_ALGORITHMS)) {
            algorithms.add(JwtSettings.algorithm(a));
        }
        URI jwksUrl = null;
        if (url != null && !url.isBlank()) {
            try {
                jwksUrl = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("serving.auth.jwks-url is not a URL: '" + url + "'", e);
            }
            if (file != null && !file.isBlank()) {
                throw new IllegalArgumentException("set only one of serving.auth.jwks-url and serving.auth.public-keys");
            }
        }
        var keys = jwksUrl != null ? null
                : file != null && !file.isBlank() ? PublicKeys.read(home.resolve(file))
                : LocalSigningKey.loadOrCreate(localKeyDir(workDir)).publicKeys();
        return new JwtSettings(config.get(AUTH_ISSUER), config.get(AUTH_AUDIENCE), algorithms, jwksUrl, keys,
                config.get(AUTH_CLOCK_SKEW), config.get(AUTH_TYP), config.get(AUTH_GROUPS_CLAIM),
                config.get(AUTH_TENANT_CLAIM), config.get(AUTH_ROLES_CLAIM));
    }
}
