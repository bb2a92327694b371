package io.freshet.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A LangChain4j {@link ContentRetriever} backed by a Freshet retrieval service: each query becomes one
 * {@code POST /v1/retrieve} with the assistant's user's bearer token, so answers stay inside that user's
 * permissions.
 *
 * <pre>{@code
 * ContentRetriever retriever = FreshetContentRetriever.builder()
 *         .baseUrl("http://127.0.0.1:8765")
 *         .token(() -> currentUserToken())
 *         .maxResults(5)
 *         .build();
 * }</pre>
 *
 * Each {@link Content} carries the chunk text; its segment metadata holds {@code document_id},
 * {@code chunk_id}, {@code title}, {@code source}, {@code source_position}, {@code start}, {@code end},
 * {@code updated_at}, {@code content_hash}, the chunk's lineage ({@code model}, {@code model_version},
 * {@code chunker}, {@code ingested_at}), {@code commit_generation}, {@code freshness_watermark} and
 * {@code degraded} (comma separated, empty when all was well), {@code duplicates} (the ids of the other documents this
 * hit serves, linked copies or their canonical, comma separated, empty when none), and the document's own metadata columns under {@code meta.<name>};
 * {@link ContentMetadata#SCORE} holds the service's score. A refused request throws
 * {@link FreshetRetrievalException} with the service's error code.
 */
public final class FreshetContentRetriever implements ContentRetriever {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Supplier<String> token;
    private final int maxResults;
    private final String mode;
    private final Map<String, Object> filters;
    private final Duration timeout;
    private final HttpClient http;

    private FreshetContentRetriever(Builder b) {
        this.endpoint = URI.create(b.baseUrl.replaceAll("/+$", "") + "/v1/retrieve");
        this.token = b.token;
        this.maxResults = b.maxResults;
        this.mode = b.mode;
        this.filters = b.filters == null ? Map.of() : Map.copyOf(b.filters);
        this.timeout = b.timeout;
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        JsonNode response = retrieveJson(query.text());
        List<Content> out = new ArrayList<>();
        JsonNode served = response.path("served");
        List<String> degraded = new ArrayList<>();
        response.path("degraded").forEach(d -> degraded.add(d.asText()));
        for (JsonNode hit : response.path("hits")) {
            Metadata m = new Metadata()
                    .put("document_id", hit.path("document_id").asText())
                    .put("chunk_id", hit.path("chunk_id").asText())
                    .put("title", hit.path("title").asText())
                    .put("source", hit.path("citation").path("source").asText())
                    .put("source_position", hit.path("citation").path("position").asText())
                    .put("start", hit.path("citation").path("start").asInt())
                    .put("end", hit.path("citation").path("end").asInt())
                    .put("updated_at", hit.path("document_version").path("updated_at").asText())
                    .put("commit_generation", served.path("commit_generation").asLong())
                    .put("freshness_watermark", served.path("freshness_watermark").asText(""))
                    .put("degraded", String.join(",", degraded))
                    .put("content_hash", hit.path("document_version").path("content_hash").asText(""))
                    .put("model", hit.path("lineage").path("model").asText(""))
                    .put("model_version", hit.path("lineage").path("model_version").asText(""))
                    .put("chunker", hit.path("lineage").path("chunker").asText(""))
                    .put("ingested_at", hit.path("lineage").path("ingested_at").asText(""));
            List<String> duplicates = new ArrayList<>();
            hit.path("duplicates").forEach(d -> duplicates.add(d.asText()));
            m.put("duplicates", String.join(",", duplicates));
            hit.path("metadata").fields().forEachRemaining(e -> m.put("meta." + e.getKey(), e.getValue().asText()));
            out.add(Content.from(TextSegment.from(hit.path("text").asText(), m),
                    Map.of(ContentMetadata.SCORE, hit.path("score").asDouble())));
        }
        return out;
    }

    /** The service's whole JSON answer for {@code query} (hits, served commit, timings, degraded). */
    public JsonNode retrieveJson(String query) {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        body.put("k", maxResults);
        if (mode != null) {
            body.put("mode", mode);
        }
        if (!filters.isEmpty()) {
            body.set("filters", JSON.valueToTree(filters));
        }
        String bearer = token.get();
        if (bearer == null || bearer.isBlank()) {
            throw new FreshetRetrievalException(0, "missing_token", "the token supplier returned no token");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FreshetRetrievalException(0, "unreachable", "cannot reach " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FreshetRetrievalException(0, "interrupted", "interrupted while calling " + endpoint, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new FreshetRetrievalException(response.statusCode(), "invalid_response",
                    "the service at " + endpoint + " answered " + response.statusCode() + " with a body that is not JSON", e);
        }
        if (response.statusCode() != 200) {
            throw new FreshetRetrievalException(response.statusCode(), json.path("error").path("code").asText("http_" + response.statusCode()),
                    json.path("error").path("message").asText(response.body()));
        }
        return json;
    }

    /** Builds a {@link FreshetContentRetriever}. */
    public static final class Builder {
        private String baseUrl = "http://127.0.0.1:8765";
        private Supplier<String> token;
        private int maxResults = 5;
        private String mode;
        private Map<String, Object> filters;
        private Duration timeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {}

        /** The service's base URL (default {@code http://127.0.0.1:8765}). */
        public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
        /** A fixed bearer token. */
        public Builder token(String v) { Objects.requireNonNull(v, "token"); token = () -> v; return this; }
        /** The bearer token of the user the assistant acts for, asked for at every query. */
        public Builder token(Supplier<String> v) { token = Objects.requireNonNull(v, "token"); return this; }
        /** How many chunks per query (default 5). */
        public Builder maxResults(int v) { maxResults = v; return this; }
        /** {@code hybrid} (the service's default), {@code vector} or {@code keyword}. */
        public Builder mode(String v) { mode = v; return this; }
        /** Metadata filters as in the API ({@code sources}, {@code attributes}, {@code updated_after}, ...). */
        public Builder filters(Map<String, Object> v) { filters = v; return this; }
        /** Request timeout (default 10 s). */
        public Builder timeout(Duration v) { timeout = Objects.requireNonNull(v, "timeout"); return this; }
        /** A shared HTTP client. */
        public Builder httpClient(HttpClient v) { httpClient = v; return this; }

        public FreshetContentRetriever build() {
            if (token == null) {
                throw new IllegalArgumentException("a token (or token supplier) is required: the service answers only "
                        + "authenticated callers");
            }
            if (maxResults < 1) {
                throw new IllegalArgumentException("maxResults must be >= 1; got " + maxResults);
            }
            if (mode != null && !List.of("hybrid", "vector", "keyword").contains(mode)) {
                throw new IllegalArgumentException("mode must be hybrid, vector or keyword; got '" + mode + "'");
            }
            URI.create(baseUrl); // fails naming a malformed URL
            return new FreshetContentRetriever(this);
        }
    }
}
