package io.freshet.serving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Body of a successful retrieval.
 *
 * @param requestId id of this request (also in the {@code X-Request-Id} header and the log)
 * @param mode the mode that answered (keyword when a vector or hybrid request degraded)
 * @param hits the chunks, best first
 * @param served what was searched
 * @param timingsMs time spent per stage, milliseconds
 * @param degraded why the answer is less than asked for ({@code embedding_unavailable}, {@code stale_index});
 *     empty when all is well
 * @param cached true when the answer came from the result cache
 */
public record RetrieveResponse(
        @JsonProperty("request_id") String requestId,
        String mode,
        List<Hit> hits,
        Served served,
        @JsonProperty("timings_ms") Timings timingsMs,
        List<String> degraded,
        boolean cached) {

    /**
     * One retrieved chunk.
     *
     * @param chunkId chunk id
     * @param documentId source document id
     * @param documentVersion the document version indexed
     * @param title document title
     * @param text chunk text
     * @param score the fused score in hybrid mode, else the retriever's own score
     * @param retrievers each retriever's score and rank for this chunk (absent when it did not return it)
     * @param citation where the text comes from
     * @param metadata the document's metadata columns
     * @param lineage how the chunk was made
     * @param duplicates ids of the other documents this hit serves, as far as the caller may see them: copies
     *     linked by {@code dedup.exact: link} or {@code dedup.near: skip} (absent when none)
     */
    public record Hit(
            @JsonProperty("chunk_id") String chunkId,
            @JsonProperty("document_id") String documentId,
            @JsonProperty("document_version") DocumentVersion documentVersion,
            String title,
            String text,
            double score,
            Map<String, RetrieverScore> retrievers,
            Citation citation,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
            Lineage lineage,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> duplicates) {}

    /**
     * How a chunk was made (its source, position and document version are in the citation and version).
     *
     * @param model embedding model id
     * @param modelVersion version of the model's weights
     * @param chunker the chunker and its configuration
     * @param chunkerHash hash of the chunker configuration
     * @param redacted personal data types redacted from the document
     * @param ingestedAt when the chunk was indexed (ISO-8601), absent when unknown
     */
    public record Lineage(
            String model,
            @JsonProperty("model_version") String modelVersion,
            String chunker,
            @JsonProperty("chunker_hash") String chunkerHash,
            List<String> redacted,
            @JsonProperty("ingested_at") @JsonInclude(JsonInclude.Include.NON_NULL) String ingestedAt) {}

    /** A document version: its update time and the hash of its content. */
    public record DocumentVersion(@JsonProperty("updated_at") String updatedAt, @JsonProperty("content_hash") String contentHash) {}

    /** A retriever's score and 1-based rank. */
    public record RetrieverScore(float score, int rank) {}

    /**
     * Where a chunk's text comes from.
     *
     * @param source source table or topic
     * @param position source position (LSN or Kafka offset) of the change that wrote this version
     * @param start start offset of the chunk in the source body (characters)
     * @param end end offset (exclusive)
     */
    public record Citation(String source, String position, int start, int end) {}

    /**
     * The index commit that answered.
     *
     * @param commitGeneration the served view: a number that changes whenever the service switches commits
     * @param commitPoint the commit point served, {@code <generation>@<run>.<checkpoint>} (null for a plain index)
     * @param committedAt when that commit was made (ISO-8601)
     * @param freshnessWatermark source commit time (ISO-8601) of the newest change reflected, or null
     * @param lagMs how long ago the served commit was made
     * @param sourcePosition source position of the newest change reflected
     * @param embeddingModel model of the vectors
     * @param chunker chunker configuration
     */
    public record Served(
            @JsonProperty("commit_generation") long commitGeneration,
            @JsonProperty("commit_point") String commitPoint,
            @JsonProperty("committed_at") String committedAt,
            @JsonProperty("freshness_watermark") String freshnessWatermark,
            @JsonProperty("lag_ms") long lagMs,
            @JsonProperty("source_position") String sourcePosition,
            @JsonProperty("embedding_model") String embeddingModel,
            String chunker) {}

    /** Per-stage timings in milliseconds; a stage that did not run reports 0. */
    public record Timings(double embed, double keyword, double vector, double fuse, double total) {}
}
