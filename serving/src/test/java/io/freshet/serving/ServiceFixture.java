package io.freshet.serving;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceDocument;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.write.ChunkIndexWriter;
import io.freshet.serving.identity.LocalSigningKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running retrieval service over a small real index (real all-MiniLM-L6-v2 embeddings) and the local
 * signing key, for tests.
 */
final class ServiceFixture implements AutoCloseable {

    /** The real model, loaded once per test JVM. */
    static final Embedder MODEL = OnnxEmbedder.onCallerThread(EmbeddingModelId.of("all-minilm-l6-v2"));

    final Path dir;
    final LocalSigningKey key;
    final ChunkIndexWriter writer;
    final ChunkSearcher searcher;
    final RetrievalService service;
    final HttpClient http = HttpClient.newHttpClient();
    final URI base;

    ServiceFixture(Path dir, Embedder queryEmbedder, UnaryOperator<ServingConfig.Builder> customize) throws IOException {
        this(dir, new ChunkIndexWriter(dir.resolve("index"), MODEL.modelId(), "test-chunker"),
                new ChunkSearcher(dir.resolve("index")), queryEmbedder, customize);
    }

    /** A service over {@code searcher}, written by someone else (no {@link #index} or {@link #commit()}). */
    ServiceFixture(Path dir, ChunkSearcher searcher, UnaryOperator<ServingConfig.Builder> customize) throws IOException {
        this(dir, null, searcher, MODEL, customize);
    }

    private ServiceFixture(Path dir, ChunkIndexWriter writer, ChunkSearcher searcher, Embedder queryEmbedder,
            UnaryOperator<ServingConfig.Builder> customize) throws IOException {
        this.dir = dir;
        this.key = LocalSigningKey.loadOrCreate(dir.resolve("keys"));
        this.writer = writer;
        this.searcher = searcher;
        ServingConfig config = customize.apply(ServingConfig.builder().port(0)
                .refreshInterval(Duration.ofMillis(50))
                .jwt(key.settings(Duration.ofSeconds(5)))).build();
        this.service = new RetrievalService(config, searcher, queryEmbedder);
        this.base = URI.create("http://127.0.0.1:" + service.start());
    }

    /** Indexes one single-chunk document (embedded with the real model) and commits. */
    void index(String id, String title, String body, List<String> acl, String tenant, long updatedAt,
            Map<String, String> metadata) throws IOException {
        SourceDocument doc = new SourceDocument(id, title, body, acl, tenant, updatedAt, metadata);
        float[] v = MODEL.embed(List.of(title + "\n" + body)).get(0);
        writer.apply(new IndexAction(id, doc, List.of(new EmbeddedChunk(new Chunk(0, body, 0, body.length()), v)),
                "public.documents", "0/" + Long.toHexString(updatedAt), updatedAt, MODEL.modelId()));
    }

    /** Commits and waits until the service serves the commit. */
    void commit() throws IOException {
        writer.commit();
        searcher.refresh();
    }

    String token(String user, String tenant, String... groups) {
        return key.mint(user, List.of(groups), tenant, Duration.ofMinutes(5));
    }

    HttpResponse<String> retrieve(String token, String body) throws IOException, InterruptedException {
        return post("/v1/retrieve", token == null ? Map.of() : Map.of("Authorization", "Bearer " + token), body);
    }

    HttpResponse<String> post(String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Map.of());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sample world most tests use: acme HR and engineering documents, and one of globex. */
    void indexSampleWorld() throws IOException {
        index("hr-1", "Parental leave policy", "Employees get sixteen weeks of paid parental leave after a birth "
                + "or adoption.", List.of("group:hr", "user:bob"), "acme", 1_700_000_000_000L, Map.of("department", "hr"));
        index("eng-1", "Deploying the billing service", "Run the deploy pipeline, then watch the error budget "
                + "dashboard for fifteen minutes.", List.of("group:eng"), "acme", 1_710_000_000_000L,
                Map.of("department", "engineering"));
        index("eng-2", "On-call handbook", "The on-call engineer acknowledges pages within five minutes and "
                + "escalates after thirty.", List.of("group:eng"), "acme", 1_720_000_000_000L,
                Map.of("department", "engineering"));
        index("gx-1", "Globex parental leave", "Globex staff get twelve weeks of parental leave.",
                List.of("group:hr", "group:eng"), "globex", 1_700_000_000_000L, Map.of("department", "hr"));
        commit();
    }

    @Override
    public void close() throws IOException {
        List<Exception> errors = new ArrayList<>();
        for (AutoCloseable c : Arrays.asList(service, searcher, writer)) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            throw new IOException("close failed", errors.get(0));
        }
    }
}
