package io.freshet.index.search;

import java.util.List;

/**
 * One retrieved chunk.
 *
 * @param documentId source document id
 * @param chunkId chunk id ({@code <doc id>#<ordinal>})
 * @param title document title
 * @param text chunk text
 * @param score similarity score (higher is better)
 * @param startOffset start of the chunk in the source body
 * @param endOffset end of the chunk in the source body
 * @param source source table or topic
 * @param acl the ACL entries the chunk carries
 */
public record ChunkHit(
        String documentId,
        String chunkId,
        String title,
        String text,
        float score,
        int startOffset,
        int endOffset,
        String source,
        List<String> acl) {}
