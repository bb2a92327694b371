package io.freshet.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Embedder;
import io.freshet.core.Principal;
import io.freshet.index.schema.CommitData;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.SearchResult;
import io.freshet.serving.api.ApiException;
import io.freshet.serving.api.ErrorBody;
import io.freshet.serving.api.RetrieveRequest;
import io.freshet.serving.api.RetrieveResponse;
import io.freshet.serving.identity.DevHeaderIdentity;
import io.freshet.serving.identity.IdentityResolver;
import io.freshet.serving.identity.NoIdentity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP retrieval service.
 *
 * <ul>
 *   <li>{@code POST /v1/retrieve} {@code {"query": ..., "k": ...}}: the top-k chunks the caller may see,
 *       found by vector search with the caller's permissions as the kNN pre-filter;
 *   <li>{@code GET /healthz}: the process is up;
 *   <li>{@code GET /readyz}: 200 once an index commit is loaded, 503 before.
 * </ul>
 *
 * Every error is a JSON {@link ErrorBody} with a stable code. New index commits are picked up every
 * {@link ServingConfig#refreshInterval()} without a restart.
 */
public final class RetrievalService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrievalService.class);

    /** k when the request names none. */
    public static final int DEFAULT_K = 5;
    /** Largest k a request may ask for. */
    public static final int MAX_K = 100;
    /** Longest query accepted, in characters. */
    public static final int MAX_QUERY_CHARS = 2_000;
    /** Largest request body accepted, in bytes. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** Header carrying the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ServingConfig config;
    private final ChunkSearcher searcher;
    private final Embedder embedder;
    private final IdentityResolver identity;
    private final ScheduledExecutorService refresher;
    private Javalin app;

    public RetrievalService(ServingConfig config, ChunkSearcher searcher, Embedder embedder) {
        this.config = Objects.requireNonNull(config, "config");
        this.searcher = Objects.requireNonNull(searcher, "searcher");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.identity = config.devIdentity() ? new DevHeaderIdentity() : new NoIdentity();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "index-refresher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening; returns the bound port. */
    public synchronized int start() {
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, config.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = MAX_BODY_BYTES;
            c.http.defaultContentType = "application/json";
            c.routes.before(ctx -> {
                String id = UUID.randomUUID().toString();
                ctx.attribute("request-id", id);
                ctx.header(REQUEST_ID_HEADER, id);
            });
            c.routes.post("/v1/retrieve", this::retrieve);
            c.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            c.routes.get("/readyz", this::ready);
            c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Request {} failed", requestId(ctx), e);
                error(ctx, 500, "internal", "internal error; see the service log for request " + requestId(ctx));
            });
            c.routes.error(404, ctx -> {
                if (!ctx.res().isCommitted() && ctx.result() == null) {
                    error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
                }
            });
            c.routes.error(413, ctx -> error(ctx, 413, "body_too_large",
                    "request body exceeds " + MAX_BODY_BYTES + " bytes"));
        }).start(config.host(), config.port());
        LOG.info("Retrieval service listening on http://{}:{}{}", config.host(), app.port(),
                config.devIdentity() ? " (dev identity headers trusted: loopback only)" : "");
        return app.port();
    }

    /** The bound port; valid after {@link #start()}. */
    public int port() {
        return app.port();
    }

    private void refreshQuietly() {
        try {
            if (searcher.refresh()) {
                LOG.debug("Now serving index commit {}", searcher.servedCommit());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Index refresh failed; still serving the previous commit", e);
        }
    }

    private void ready(Context ctx) {
        if (searcher.hasCommit()) {
            ctx.json(Map.of("status", "ready"));
        } else {
            error(ctx, 503, "not_ready", "no index commit loaded yet");
        }
    }

    private void retrieve(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        Principal principal = identity.resolve(ctx);
        RetrieveRequest request = parse(ctx);
        int k = request.k() == null ? DEFAULT_K : request.k();
        if (request.query() == null || request.query().isBlank()) {
            throw new ApiException(400, "invalid_query", "query must be a non-empty string");
        }
        if (request.query().length() > MAX_QUERY_CHARS) {
            throw new ApiException(400, "query_too_long", "query must be at most " + MAX_QUERY_CHARS
                    + " characters; got " + request.query().length());
        }
        if (k < 1 || k > MAX_K) {
            throw new ApiException(400, "invalid_k", "k must be in [1, " + MAX_K + "]; got " + k);
        }
        if (!searcher.hasCommit()) {
            throw new ApiException(503, "not_ready", "no index commit loaded yet");
        }
        long t1 = System.nanoTime();
        float[] vector = embedder.embed(List.of(request.query())).get(0);
        long t2 = System.nanoTime();
        SearchResult result = searcher.searchVector(principal, vector, k);
        long t3 = System.nanoTime();
        List<RetrieveResponse.Hit> hits = result.hits().stream().map(RetrievalService::toHit).toList();
        String id = requestId(ctx);
        LOG.info("request={} subject={} tenant={} k={} hits={} commit={}", id, principal.subject(), principal.tenant(),
                k, hits.size(), result.commitGeneration());
        ctx.json(new RetrieveResponse(id, hits, served(result), new RetrieveResponse.Timings(
                ms(t2 - t1), ms(t3 - t2), ms(System.nanoTime() - t0))));
    }

    private RetrieveRequest parse(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new ApiException(400, "invalid_json", "request body must be a JSON object with a 'query'");
        }
        try {
            RetrieveRequest r = json.readValue(body, RetrieveRequest.class);
            if (r == null) {
                throw new ApiException(400, "invalid_json", "request body must be a JSON object with a 'query'");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", "request body is not valid JSON for this API: "
                    + e.getOriginalMessage());
        }
    }

    private static RetrieveResponse.Hit toHit(ChunkHit h) {
        return new RetrieveResponse.Hit(h.documentId(), h.chunkId(), h.title(), h.text(), h.score(),
                new RetrieveResponse.Citation(h.source(), h.startOffset(), h.endOffset()));
    }

    private static RetrieveResponse.Served served(SearchResult r) {
        CommitData c = r.commit();
        return new RetrieveResponse.Served(r.commitGeneration(),
                c.watermarkMillis() > 0 ? Instant.ofEpochMilli(c.watermarkMillis()).toString() : null,
                c.position(), c.model());
    }

    private void error(Context ctx, int status, String code, String message) {
        ctx.status(HttpStatus.forStatus(status));
        ctx.json(ErrorBody.of(code, message, requestId(ctx)));
    }

    private static String requestId(Context ctx) {
        Object id = ctx.attribute("request-id");
        return id == null ? "" : id.toString();
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        if (app != null) {
            app.stop();
            app = null;
        }
    }
}
