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
 * @param keyword BM25 score and rank of this chunk, or null when BM25 did not return it
 * @param vector similarity and rank of this chunk in the kNN list, or null when kNN did not return it
 * @param startOffset start of the chunk in the source body
 * @param endOffset end of the chunk in the source body
 * @param source source table or topic
 * @param position source position of the change that wrote this version
 * @param updatedAtMillis the document's update time, epoch ms (its version)
 * @param contentHash hash of the document version indexed
 * @param acl the ACL entries the chunk carries
 * @param metadata the document's metadata columns
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
        Map<String, String> metadata) {

    /** A hit's score and 1-based rank in one retriever's list. */
    public record RetrieverScore(float score, int rank) {}
}
