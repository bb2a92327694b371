package io.freshet.serving.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of a successful retrieval.
 *
 * @param requestId id of this request (also in the {@code X-Request-Id} header and the log)
 * @param hits the chunks, best first
 * @param served what was searched
 * @param timingsMs time spent per stage, milliseconds
 */
public record RetrieveResponse(
        @JsonProperty("request_id") String requestId,
        List<Hit> hits,
        Served served,
        @JsonProperty("timings_ms") Timings timingsMs) {

    /** One retrieved chunk. */
    public record Hit(
            @JsonProperty("document_id") String documentId,
            @JsonProperty("chunk_id") String chunkId,
            String title,
            String text,
            float score,
            Citation citation) {}

    /** Where the chunk's text comes from: the source and character offsets into the source body. */
    public record Citation(String source, int start, int end) {}

    /**
     * The index commit that answered.
     *
     * @param commitGeneration Lucene commit generation
     * @param freshnessWatermark source commit time (ISO-8601) of the newest change reflected, or null
     * @param sourcePosition source position of that change
     * @param embeddingModel model of the vectors
     */
    public record Served(
            @JsonProperty("commit_generation") long commitGeneration,
            @JsonProperty("freshness_watermark") String freshnessWatermark,
            @JsonProperty("source_position") String sourcePosition,
            @JsonProperty("embedding_model") String embeddingModel) {}

    /** Per-stage timings in milliseconds. */
    public record Timings(double embed, double search, double total) {}
}
