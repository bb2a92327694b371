package io.freshet.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Embedder;
import io.freshet.core.Principal;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.serving.api.ApiException;
import io.freshet.serving.api.ErrorBody;
import io.freshet.serving.api.JsonBody;
import io.freshet.serving.api.RetrieveRequest;
import io.freshet.serving.api.RetrieveResponse;
import io.freshet.serving.identity.DevHeaderIdentity;
import io.freshet.serving.identity.IdentityResolver;
import io.freshet.serving.identity.JwtIdentity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP retrieval service.
 *
 * <ul>
 *   <li>{@code POST /v1/retrieve}: the top-k chunks the caller may see (see {@link Retrieval});
 *   <li>{@code POST /mcp}: the same retrieval as an MCP {@code retrieve} tool (streamable HTTP);
 *   <li>{@code GET /openapi.json}: the OpenAPI 3.1 description of this API;
 *   <li>{@code GET /metrics}: Prometheus metrics;
 *   <li>{@code GET /healthz}: the process is up; {@code GET /readyz}: 200 once an index commit is loaded;
 *   <li>{@code /v1/admin/index/...}: owner-only index operations (see {@link IndexAdmin}).
 * </ul>
 *
 * Callers are identified by a bearer JWT ({@link JwtIdentity}), or, for local development on loopback
 * only, by dev headers. Every error is a JSON {@link ErrorBody} with a stable code. New index commits are
 * picked up every {@link ServingConfig#refreshInterval()} without a restart.
 */
public final class RetrievalService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrievalService.class);

    static final String RETRIEVE = "/v1/retrieve";
    static final String HEALTH = "/healthz";
    static final String READY = "/readyz";
    static final String METRICS = "/metrics";
    static final String OPENAPI = "/openapi.json";
    private static final Set<String> ROUTES = Stream.concat(Stream.of(RETRIEVE, HEALTH, READY, METRICS, OPENAPI,
            McpEndpoint.PATH), IndexAdmin.ROUTES.stream()).collect(Collectors.toUnmodifiableSet());

    /** Request attribute set when an {@link ApiException} answered, so status error pages leave its body alone. */
    private static final String API_ERROR = "api-error";

    /** Header carrying the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** Largest request header block accepted; room for a maximal bearer token, which is then refused with 401. */
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ServingConfig config;
    private final ChunkSearcher searcher;
    private final IdentityResolver identity;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Retrieval retrieval;
    private final ScheduledExecutorService refresher;
    private final String openApi;
    private McpEndpoint mcp;
    private Javalin app;

    public RetrievalService(ServingConfig config, ChunkSearcher searcher, Embedder embedder) {
        this.config = Objects.requireNonNull(config, "config");
        this.searcher = Objects.requireNonNull(searcher, "searcher");
        this.identity = config.devIdentity() ? new DevHeaderIdentity() : new JwtIdentity(config.jwt());
        this.retrieval = new Retrieval(config, searcher, embedder, embedder.modelId(), metrics);
        this.openApi = resource("openapi.json");
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "index-refresher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening; returns the bound port. */
    public synchronized int start() {
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, config.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
        mcp = new McpEndpoint(retrieval, identity, json);
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.defaultContentType = "application/json";
            c.jetty.modifyHttpConfiguration(h -> h.setRequestHeaderSize(MAX_HEADER_BYTES));
            mcp.register(c);
            new IndexAdmin(searcher, identity, config.ownerRole(), config.promotionGate(), json).register(c);
            c.routes.before(ctx -> {
                ctx.attribute("start-nanos", System.nanoTime());
                String id = UUID.randomUUID().toString();
                ctx.attribute("request-id", id);
                ctx.header(REQUEST_ID_HEADER, id);
            });
            c.routes.after(ctx -> metrics.response(routeOf(ctx), ctx.statusCode()));
            c.routes.post(RETRIEVE, this::retrieve);
            c.routes.get(HEALTH, ctx -> ctx.json(Map.of("status", "ok")));
            c.routes.get(READY, this::ready);
            c.routes.get(METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            c.routes.get(OPENAPI, ctx -> ctx.contentType("application/json").result(openApi));
            c.routes.exception(ApiException.class, (e, ctx) -> {
                ctx.attribute(API_ERROR, e.code());
                e.headers().forEach(ctx::header);
                error(ctx, e.status(), e.code(), e.getMessage());
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Request {} failed", requestId(ctx), e);
                error(ctx, 500, "internal", "internal error; see the service log for request " + requestId(ctx));
            });
            c.routes.error(404, ctx -> {
                if (ctx.attribute(API_ERROR) == null) { // an ApiException's own 404 keeps its code
                    error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
                }
            });
            c.routes.error(405, ctx -> error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
            c.routes.error(413, ctx -> error(ctx, 413, "body_too_large",
                    "request body exceeds " + config.maxBodyBytes() + " bytes"));
        }).start(config.host(), config.port());
        LOG.info("Retrieval service listening on http://{}:{} ({})", config.host(), app.port(),
                config.devIdentity() ? "dev identity headers trusted: loopback only" : identity);
        return app.port();
    }

    /** The bound port; valid after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** The Prometheus registry (for embedding this service in a larger process). */
    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    private void refreshQuietly() {
        try {
            if (searcher.refresh()) {
                LOG.debug("Now serving index commit {}", searcher.servedGeneration());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Index refresh failed; still serving the previous commit", e);
        }
    }

    private void ready(Context ctx) {
        if (searcher.hasCommit()) {
            ctx.json(Map.of("status", "ready", "commit_generation", searcher.servedGeneration()));
        } else {
            error(ctx, 503, "not_ready", "no index commit loaded yet");
        }
    }

    private void retrieve(Context ctx) throws IOException {
        Principal principal = identity.resolve(ctx::header);
        RetrieveRequest request = parse(ctx);
        RetrieveResponse response = retrieval.retrieve(principal, request, requestId(ctx));
        byte[] body = json.writeValueAsBytes(response);
        Long start = ctx.attribute("start-nanos");
        if (start != null) {
            ctx.header("Server-Timing", serverTiming(response.timingsMs(), System.nanoTime() - start));
        }
        ctx.contentType("application/json").result(body);
    }

    /**
     * The W3C {@code Server-Timing} value: the retrieval stages (as in the body's {@code timings_ms}) and {@code app},
     * the whole server-side cost (identity, parsing, retrieval and serialization), so a client or a browser's
     * developer tools can read them without parsing the body.
     */
    static String serverTiming(RetrieveResponse.Timings t, long appNanos) {
        return "embed;dur=" + t.embed() + ", keyword;dur=" + t.keyword() + ", vector;dur=" + t.vector()
                + ", fuse;dur=" + t.fuse() + ", retrieval;dur=" + t.total() + ", app;dur=" + Retrieval.ms(appNanos);
    }

    private RetrieveRequest parse(Context ctx) {
        return JsonBody.read(json, ctx.body(), RetrieveRequest.class, "a JSON object with a 'query'");
    }

    private void error(Context ctx, int status, String code, String message) {
        ctx.status(HttpStatus.forStatus(status));
        ctx.json(ErrorBody.of(code, message, requestId(ctx)));
    }

    private static String routeOf(Context ctx) {
        return ROUTES.contains(ctx.path()) ? ctx.path() : "other";
    }

    private static String requestId(Context ctx) {
        Object id = ctx.attribute("request-id");
        return id == null ? "" : id.toString();
    }

    private static String resource(String name) {
        try (InputStream in = RetrievalService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        if (mcp != null) {
            mcp.close();
            mcp = null;
        }
        if (app != null) {
            app.stop();
            app = null;
        }
        retrieval.close();
        metrics.close();
    }
}
