package io.freshet.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.core.Embedder;
import io.freshet.core.Principal;
import io.freshet.index.schema.CommitData;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.search.SearchFilters;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.SearchResult;
import io.freshet.serving.api.ApiException;
import io.freshet.serving.api.RetrieveRequest;
import io.freshet.serving.api.RetrieveResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retrieval, independent of the transport (HTTP or MCP): validates the request, embeds the query under
 * its time budget (or degrades to keyword-only), answers from the result cache when the same caller filter
 * asked the same question of the same commit, searches inside the caller's permissions, and reports what it
 * served, how long each stage took and whether it degraded.
 *
 * <p>Thread-safe.
 */
public final class Retrieval implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retrieval.class);

    /** Degraded reason: the query could not be embedded in time; the answer is keyword-only. */
    public static final String EMBEDDING_UNAVAILABLE = "embedding_unavailable";
    /** Degraded reason: the served commit is older than the freshness bound. */
    public static final String STALE_INDEX = "stale_index";

    /**
     * Result cache key: everything that decides an answer. The caller enters only through its effective
     * filter (tenant and ACL entries), so callers with the same rights share entries and a change of rights
     * or a new commit never reuses one.
     */
    record ResultKey(String tenant, List<String> aclEntries, String query, RetrievalMode mode, int k,
            SearchFilters filters, long commitGeneration) {
        ResultKey at(long generation) {
            return new ResultKey(tenant, aclEntries, query, mode, k, filters, generation);
        }
    }

    private final ServingConfig config;
    private final ChunkSearcher searcher;
    private final QueryEmbeddings embeddings;
    private final Cache<ResultKey, SearchResult> results;
    private final RateLimiter rateLimiter;
    private final ServiceMetrics metrics;

    Retrieval(ServingConfig config, ChunkSearcher searcher, Embedder embedder, String modelId, ServiceMetrics metrics) {
        this.config = config;
        this.searcher = searcher;
        this.metrics = metrics;
        this.embeddings = new QueryEmbeddings(embedder, modelId, config.embedTimeout(), config.embeddingCacheSize());
        this.results = Caffeine.newBuilder().maximumSize(config.resultCacheSize()).recordStats().build();
        this.rateLimiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
        metrics.monitor(embeddings.cache(), "query_embeddings");
        metrics.monitor(results, "results");
    }

    /**
     * A retrieval core outside any HTTP service, with its own metrics, for tools that must answer exactly as
     * the service does ({@code freshet eval}).
     */
    public static Retrieval standalone(ServingConfig config, ChunkSearcher searcher, Embedder embedder) {
        return new Retrieval(config, searcher, embedder, embedder.modelId(), new ServiceMetrics());
    }

    /** Answers {@code request} for {@code principal}; refusals are {@link ApiException}s with stable codes. */
    public RetrieveResponse retrieve(Principal principal, RetrieveRequest request, String requestId) throws IOException {
        long t0 = System.nanoTime();
        try {
            rateLimiter.acquire(principal);
        } catch (ApiException e) {
            metrics.rateLimited();
            throw e;
        }
        Validated v = validate(request);
        if (!searcher.hasCommit()) {
            throw new ApiException(503, "not_ready", "no index commit loaded yet");
        }
        List<String> degraded = new ArrayList<>(2);
        RetrievalMode mode = v.mode;
        ResultKey key = new ResultKey(principal.tenant(), principal.aclEntries(), v.query, mode, v.k, v.filters,
                searcher.servedGeneration());
        SearchResult result = config.resultCacheSize() > 0 ? results.getIfPresent(key) : null;
        boolean cached = result != null;
        long embedNanos = 0;
        if (!cached) {
            float[] vector = null;
            if (mode != RetrievalMode.KEYWORD) {
                long e0 = System.nanoTime();
                Optional<float[]> embedded = embeddings.embed(v.query);
                embedNanos = System.nanoTime() - e0;
                metrics.stage("embed", embedNanos);
                if (embedded.isPresent()) {
                    vector = embedded.get();
                } else {
                    mode = RetrievalMode.KEYWORD;
                    degraded.add(EMBEDDING_UNAVAILABLE);
                }
            }
            result = searcher.search(new SearchRequest(principal, v.query, vector, v.k, mode, v.filters, config.fusion()));
            if (result.keywordNanos() > 0) {
                metrics.stage("keyword", result.keywordNanos());
            }
            if (result.vectorNanos() > 0) {
                metrics.stage("vector", result.vectorNanos());
            }
            metrics.stage("fuse", result.fuseNanos());
            if (degraded.isEmpty() && config.resultCacheSize() > 0) {
                results.put(key.at(result.commitGeneration()), result); // the commit it really came from
            }
        }
        CommitData commit = result.commit();
        long lagMs = commit.committedAtMillis() > 0 ? Math.max(0, System.currentTimeMillis() - commit.committedAtMillis()) : 0;
        if (!config.freshnessBound().isZero() && lagMs > config.freshnessBound().toMillis()) {
            degraded.add(STALE_INDEX);
        }
        degraded.forEach(metrics::degraded);
        long total = System.nanoTime() - t0;
        metrics.stage("total", total);
        List<RetrieveResponse.Hit> hits = result.hits().stream().map(Retrieval::toHit).toList();
        LOG.info("request={} subject={} tenant={} mode={} k={} hits={} commit={} cached={} degraded={} ms={}", requestId,
                principal.subject(), principal.tenant(), mode.apiName(), v.k, hits.size(), result.commitGeneration(),
                cached, degraded, ms(total));
        RetrieveResponse.Timings timings = cached
                ? new RetrieveResponse.Timings(0, 0, 0, 0, ms(total))
                : new RetrieveResponse.Timings(ms(embedNanos), ms(result.keywordNanos()), ms(result.vectorNanos()),
                        ms(result.fuseNanos()), ms(total));
        return new RetrieveResponse(requestId, mode.apiName(), hits, served(result, lagMs), timings, degraded, cached);
    }

    private record Validated(String query, int k, RetrievalMode mode, SearchFilters filters) {}

    private Validated validate(RetrieveRequest request) {
        if (request.query() == null || request.query().isBlank()) {
            throw ApiException.badRequest("invalid_query", "query must be a non-empty string");
        }
        if (request.query().length() > config.maxQueryChars()) {
            throw ApiException.badRequest("query_too_long", "query must be at most " + config.maxQueryChars()
                    + " characters; got " + request.query().length());
        }
        int k = request.k() == null ? config.defaultK() : request.k();
        if (k < 1 || k > config.maxK()) {
            throw ApiException.badRequest("invalid_k", "k must be in [1, " + config.maxK() + "]; got " + k);
        }
        RetrievalMode mode;
        try {
            mode = request.mode() == null ? RetrievalMode.HYBRID : RetrievalMode.parse(request.mode());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_mode", e.getMessage());
        }
        return new Validated(QueryEmbeddings.normalize(request.query()), k, mode, filters(request.filters()));
    }

    private static SearchFilters filters(RetrieveRequest.Filters f) {
        if (f == null) {
            return SearchFilters.NONE;
        }
        Set<String> sources = new HashSet<>();
        if (f.sources() != null) {
            for (String s : f.sources()) {
                if (s == null || s.isBlank()) {
                    throw ApiException.badRequest("invalid_filter", "filters.sources must not contain blank values");
                }
                sources.add(s);
            }
        }
        Map<String, Set<String>> attributes = new TreeMap<>();
        if (f.attributes() != null) {
            f.attributes().forEach((name, values) -> {
                if (values == null || values.isEmpty() || values.stream().anyMatch(x -> x == null)) {
                    throw ApiException.badRequest("invalid_filter", "filters.attributes." + name
                            + " must be a non-empty list of strings");
                }
                attributes.put(name, new HashSet<>(values));
            });
        }
        try {
            return new SearchFilters(sources, attributes, instant("updated_after", f.updatedAfter()),
                    instant("updated_before", f.updatedBefore()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_filter", e.getMessage());
        }
    }

    private static Long instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_filter", "filters." + name + " must be an ISO-8601 instant such as "
                    + "2026-01-31T00:00:00Z; got '" + value + "'");
        }
    }

    private static RetrieveResponse.Hit toHit(ChunkHit h) {
        Map<String, RetrieveResponse.RetrieverScore> retrievers = new LinkedHashMap<>();
        if (h.keyword() != null) {
            retrievers.put("keyword", new RetrieveResponse.RetrieverScore(h.keyword().score(), h.keyword().rank()));
        }
        if (h.vector() != null) {
            retrievers.put("vector", new RetrieveResponse.RetrieverScore(h.vector().score(), h.vector().rank()));
        }
        return new RetrieveResponse.Hit(h.chunkId(), h.documentId(),
                new RetrieveResponse.DocumentVersion(Instant.ofEpochMilli(h.updatedAtMillis()).toString(), h.contentHash()),
                h.title(), h.text(), h.score(), retrievers,
                new RetrieveResponse.Citation(h.source(), h.position(), h.startOffset(), h.endOffset()), h.metadata(),
                new RetrieveResponse.Lineage(h.lineage().model(), h.lineage().modelVersion(), h.lineage().chunker(),
                        h.lineage().chunkerHash(), h.lineage().redacted(), h.lineage().ingestedAtMillis() == 0 ? null
                                : Instant.ofEpochMilli(h.lineage().ingestedAtMillis()).toString()),
                h.duplicates());
    }

    private static RetrieveResponse.Served served(SearchResult r, long lagMs) {
        CommitData c = r.commit();
        return new RetrieveResponse.Served(r.commitGeneration(), r.commitPoint().isEmpty() ? null : r.commitPoint(),
                c.committedAtMillis() > 0 ? Instant.ofEpochMilli(c.committedAtMillis()).toString() : null,
                c.watermarkMillis() > 0 ? Instant.ofEpochMilli(c.watermarkMillis()).toString() : null,
                lagMs, c.position(), c.model(), c.chunker());
    }

    static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    @Override
    public void close() {
        embeddings.close();
    }
}
