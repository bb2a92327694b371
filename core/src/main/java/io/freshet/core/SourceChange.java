package io.freshet.core;

import java.util.Objects;

/**
 * A change to one document, interpreted from a {@link RawChange}.
 *
 * @param op what happened
 * @param documentId the document's id (also set for deletes)
 * @param document the row after the change; {@code null} exactly when {@code op} is not an upsert
 * @param source where the change came from, e.g. {@code postgres:public.documents}
 * @param position the source position (LSN, Kafka offset), for lineage
 * @param sourceTimeMillis when the source committed the change, epoch milliseconds (the freshness clock)
 * @param snapshotStartMillis the start of the snapshot that read this row (0 for a streamed change); for
 *     {@link ChangeOp#SNAPSHOT_COMPLETED}, the snapshot that completed
 */
public record SourceChange(
        ChangeOp op,
        String documentId,
        SourceDocument document,
        String source,
        String position,
        long sourceTimeMillis,
        long snapshotStartMillis) {

    /**
     * Key of the snapshot-completed marker in a stream keyed by document id; copies of the marker sent to every
     * parallel subtask carry keys that start with it. No row's id does (PostgreSQL text holds no NUL).
     */
    public static final String SNAPSHOT_MARKER_KEY = "\u0000snapshot-completed";

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
        if (op == ChangeOp.SNAPSHOT_COMPLETED && (snapshotStartMillis <= 0 || !documentId.startsWith(SNAPSHOT_MARKER_KEY))) {
            throw new IllegalArgumentException("a snapshot-completed marker needs the snapshot's start and the marker key");
        }
        if (document != null && !document.id().equals(documentId)) {
            throw new IllegalArgumentException(
                    "documentId " + documentId + " differs from the document's id " + document.id());
        }
    }

    /** A streamed change (not read by a snapshot). */
    public SourceChange(ChangeOp op, String documentId, SourceDocument document, String source, String position,
            long sourceTimeMillis) {
        this(op, documentId, document, source, position, sourceTimeMillis, 0L);
    }

    /** This snapshot-completed marker under another marker key ({@code key} starts with {@link #SNAPSHOT_MARKER_KEY}). */
    public SourceChange markerCopy(String key) {
        if (op != ChangeOp.SNAPSHOT_COMPLETED) {
            throw new IllegalStateException("only a snapshot-completed marker is copied; " + documentId + " is " + op);
        }
        return new SourceChange(op, key, null, source, position, sourceTimeMillis, snapshotStartMillis);
    }

    /** The marker that the snapshot started at {@code snapshotStartMillis} completed. */
    public static SourceChange snapshotCompleted(String source, String position, long snapshotStartMillis) {
        return new SourceChange(ChangeOp.SNAPSHOT_COMPLETED, SNAPSHOT_MARKER_KEY, null, source, position,
                snapshotStartMillis, snapshotStartMillis);
    }
}
