package io.freshet.app.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What {@code freshet eval --json} writes. Tools read {@code modes.<mode>.ndcg@10} and its siblings; the
 * other sections say what was measured and how.
 *
 * @param dataset the dataset's directory name
 * @param split the qrels split
 * @param config the pipeline and retrieval configuration evaluated
 * @param ingest how the scratch index was built
 * @param queries queries evaluated (those with at least one relevant document the principal may see)
 * @param acl the permission check, when ACLs were assigned
 * @param modes metrics per retrieval mode, in the order run
 */
@JsonPropertyOrder({"dataset", "split", "config", "ingest", "queries", "acl", "modes"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(String dataset, String split, Config config, Ingest ingest, int queries, Acl acl,
        Map<String, ModeMetrics> modes) {

    /**
     * @param model embedding model id
     * @param longInput what happened to inputs longer than the model's trained length
     * @param chunker chunker configuration, as recorded in index lineage
     * @param vectorFormat vector index format
     * @param fusion hybrid fusion
     * @param docScore how chunk scores become a document score
     * @param depth chunks retrieved per query before they become documents
     * @param keywordScoring how BM25 scores a chunk's text and title (absent in reports made before it was recorded,
     *     which summed separate text and half-weighted title scores)
     */
    @JsonPropertyOrder({"model", "long_input", "chunker", "vector_format", "fusion", "doc_score", "depth", "keyword_scoring"})
    public record Config(String model, @JsonProperty("long_input") String longInput, String chunker,
            @JsonProperty("vector_format") String vectorFormat, Fusion fusion,
            @JsonProperty("doc_score") String docScore, int depth,
            @JsonProperty("keyword_scoring") String keywordScoring) {}

    /** Weighted reciprocal rank fusion settings. */
    @JsonPropertyOrder({"method", "rank_constant", "keyword_weight", "vector_weight", "candidates", "per_document"})
    public record Fusion(String method, @JsonProperty("rank_constant") int rankConstant,
            @JsonProperty("keyword_weight") double keywordWeight, @JsonProperty("vector_weight") double vectorWeight,
            int candidates, @JsonProperty("per_document") boolean perDocument) {}

    /**
     * @param documents documents ingested
     * @param chunks chunks indexed
     * @param seconds wall time of chunking, embedding and indexing
     * @param documentsPerSecond ingest rate
     * @param reused whether an existing scratch index built from the same corpus and configuration was used
     */
    @JsonPropertyOrder({"documents", "chunks", "seconds", "documents_per_second", "reused"})
    public record Ingest(int documents, long chunks, double seconds,
            @JsonProperty("documents_per_second") double documentsPerSecond, boolean reused) {}

    /**
     * @param assignment where the ACLs came from
     * @param principal who the queries ran as ({@code user:<name>} and its groups)
     * @param visibleDocuments corpus documents the principal may see, by the brute-force check
     * @param returnedOutsideAcl documents returned to the principal that it may not see; must be 0
     */
    @JsonPropertyOrder({"assignment", "principal", "visible_documents", "returned_outside_acl"})
    public record Acl(String assignment, List<String> principal,
            @JsonProperty("visible_documents") int visibleDocuments,
            @JsonProperty("returned_outside_acl") long returnedOutsideAcl) {}

    /**
     * Means over queries, and latency percentiles of the retrieval core per query (query embedding
     * included, nothing cached).
     */
    @JsonPropertyOrder({"ndcg@10", "recall@10", "recall@100", "mrr@10", "p50_ms", "p95_ms", "p99_ms", "degraded"})
    public record ModeMetrics(@JsonProperty("ndcg@10") double ndcg10, @JsonProperty("recall@10") double recall10,
            @JsonProperty("recall@100") double recall100, @JsonProperty("mrr@10") double mrr10,
            @JsonProperty("p50_ms") double p50Ms, @JsonProperty("p95_ms") double p95Ms,
            @JsonProperty("p99_ms") double p99Ms, int degraded) {}
}
