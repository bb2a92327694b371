package io.freshet.core;

import java.util.List;
import java.util.Objects;

/**
 * What the index must do for one document: replace all its chunks, or remove them.
 *
 * <p>An upsert carries the whole new set of chunks, so applying it is idempotent and an update never
 * leaves chunks of an older version behind.
 *
 * @param documentId the document
 * @param document the document's current row; {@code null} for a delete
 * @param chunks the document's chunks with embeddings; empty for a delete
 * @param source where the change came from
 * @param position the source position of the change
 * @param sourceTimeMillis when the source committed the change
 * @param embeddingModel id of the model that made the vectors; empty for a delete
 */
public record IndexAction(
        String documentId,
        SourceDocument document,
        List<EmbeddedChunk> chunks,
        String source,
        String position,
        long sourceTimeMillis,
        String embeddingModel) {

    public IndexAction {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        embeddingModel = embeddingModel == null ? "" : embeddingModel;
        if (document == null && !chunks.isEmpty()) {
            throw new IllegalArgumentException("a delete of " + documentId + " must not carry chunks");
        }
    }

    /** Builds the action that removes every chunk of a document. */
    public static IndexAction delete(String documentId, String source, String position, long sourceTimeMillis) {
        return new IndexAction(documentId, null, List.of(), source, position, sourceTimeMillis, "");
    }

    /** True when this action removes the document. */
    public boolean isDelete() {
        return document == null;
    }
}
