package io.freshet.index.search;

import java.util.List;
import java.util.Map;

/**
 * One retrieved chunk.
 *
 * @param documentId source document id
 * @param chunkId chunk id ({@code <doc id>#<ordinal>})
 * @param title document title
 * @param text chunk text
 * @param score the final score: the fused RRF score in hybrid mode, else the single retriever's score
 * @param keyword BM25 score and rank of this chunk, or null when BM25 did not return it; with per-document
 *     fusion, the score of the document's best chunk in the BM25 list and the document's rank there
 * @param vector similarity and rank of this chunk in the kNN list, or null when kNN did not return it; with
 *     per-document fusion, as for {@code keyword}
 * @param startOffset start of the chunk in the source body
 * @param endOffset end of the chunk in the source body
 * @param source source table or topic
 * @param position source position of the change that wrote this version
 * @param updatedAtMillis the document's update time, epoch ms (its version)
 * @param contentHash hash of the document version indexed
 * @param acl the ACL entries the chunk carries
 * @param metadata the document's metadata columns
 * @param lineage how the chunk was made
 * @param duplicates ids of the other documents served as this hit: its linked copies, or its canonical and
 *     the canonical's other copies ({@code dedup.exact: link}, {@code dedup.near: skip}), as far as the caller
 *     may see them; empty for a document without copies
 */
public record ChunkHit(
        String documentId,
        String chunkId,
        String title,
        String text,
        double score,
        RetrieverScore keyword,
        RetrieverScore vector,
        int startOffset,
        int endOffset,
        String source,
        String position,
        long updatedAtMillis,
        String contentHash,
        List<String> acl,
        Map<String, String> metadata,
        Lineage lineage,
        List<String> duplicates) {

    public ChunkHit {
        duplicates = List.copyOf(duplicates);
    }

    /** This hit, serving also the documents {@code ids}. */
    public ChunkHit withDuplicates(List<String> ids) {
        return new ChunkHit(documentId, chunkId, title, text, score, keyword, vector, startOffset, endOffset, source,
                position, updatedAtMillis, contentHash, acl, metadata, lineage, ids);
    }

    /**
     * How the chunk was made, beside its source and position and document version (the hit's other fields).
     *
     * @param model embedding model id
     * @param modelVersion version of the model's weights (empty when unknown)
     * @param chunker the chunker and its configuration (empty when unknown)
     * @param chunkerHash hash of {@code chunker}
     * @param redacted the personal data types redacted from the document (empty when none)
     * @param ingestedAtMillis when the index writer indexed the chunk, epoch ms (0 when unknown)
     */
    public record Lineage(String model, String modelVersion, String chunker, String chunkerHash, List<String> redacted,
            long ingestedAtMillis) {
        public Lineage {
            redacted = List.copyOf(redacted);
        }
    }

    /** A hit's score and 1-based rank in one retriever's list. */
    public record RetrieverScore(float score, int rank) {}
}
