package io.freshet.core;

import java.util.Objects;

/**
 * A change to one document, interpreted from a {@link RawChange}.
 *
 * @param op what happened
 * @param documentId the document's id (also set for deletes)
 * @param document the row after the change; {@code null} exactly when {@code op} is {@link ChangeOp#DELETE}
 * @param source where the change came from, e.g. {@code postgres:public.documents}
 * @param position the source position (LSN, Kafka offset), for lineage
 * @param sourceTimeMillis when the source committed the change, epoch milliseconds (the freshness clock)
 */
public record SourceChange(
        ChangeOp op,
        String documentId,
        SourceDocument document,
        String source,
        String position,
        long sourceTimeMillis) {

    public SourceChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        if (documentId == null || documentId.isBlank()) {
            throw new IllegalArgumentException("documentId must not be blank");
        }
        if (op.isUpsert() != (document != null)) {
            throw new IllegalArgumentException(
                    op + " of " + documentId + (document == null ? " needs" : " must not carry") + " a document");
        }
        if (document != null && !document.id().equals(documentId)) {
            throw new IllegalArgumentException(
                    "documentId " + documentId + " differs from the document's id " + document.id());
        }
    }
}
