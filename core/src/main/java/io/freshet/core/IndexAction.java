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
 * @param snapshotStartMillis for an upsert read by a snapshot, that snapshot's start (0 when streamed); for a
 *     {@link #reconcile reconcile} action, the snapshot that completed
 * @param reconcile true for the action after a snapshot completed: remove every document that the snapshot
 *     did not write and that no change since its start wrote
 * @param permissionsOnly true for the document's new permissions sent ahead of its new content, which is
 *     still being embedded ({@link #permissions}): the index keeps its chunks, the current permissions change
 * @param progress how far the source is reflected once this action is applied, for the commit's resume
 *     positions and freshness watermark; {@code null} for this action's own position and time (every earlier
 *     change is applied), {@link Progress#HELD} when it overtook earlier changes still being embedded
 * @param scope for a reconcile action, the documents it may remove: those of the parallel step that emitted it,
 *     which emits it behind every one of its documents' earlier actions; {@code null} for every document
 */
public record IndexAction(
        String documentId,
        SourceDocument document,
        List<EmbeddedChunk> chunks,
        String source,
        String position,
        long sourceTimeMillis,
        String embeddingModel,
        long snapshotStartMillis,
        boolean reconcile,
        boolean permissionsOnly,
        Progress progress,
        ReconcileScope scope) {

    /**
     * The documents a reconcile action speaks for: those whose id a keyed step of {@code subtasks} parallel
     * subtasks over {@code keyGroups} key groups assigns to {@code subtask} (Flink's key-group assignment).
     *
     * @param subtask the emitting subtask's index
     * @param subtasks the step's parallelism
     * @param keyGroups the step's maximum parallelism
     */
    public record ReconcileScope(int subtask, int subtasks, int keyGroups) implements java.io.Serializable {
        public ReconcileScope {
            if (subtasks < 1 || subtask < 0 || subtask >= subtasks || keyGroups < subtasks) {
                throw new IllegalArgumentException("a reconcile scope needs 0 <= subtask < subtasks <= key groups; got "
                        + subtask + ", " + subtasks + ", " + keyGroups);
            }
        }
    }

    /**
     * Source positions (one per source partition) up to which every change is reflected in the index, with the
     * newest of their source times.
     *
     * @param positions the positions; empty for {@link #HELD}
     * @param sourceTimeMillis the newest source time among them
     */
    public record Progress(List<String> positions, long sourceTimeMillis) implements java.io.Serializable {
        /** The action overtook earlier changes: applying it moves no resume position. */
        public static final Progress HELD = new Progress(List.of(), 0L);

        public Progress {
            positions = List.copyOf(positions);
        }

        /** True for {@link #HELD}. */
        public boolean held() {
            return positions.isEmpty();
        }
    }

    public IndexAction {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        embeddingModel = embeddingModel == null ? "" : embeddingModel;
        if (document == null && !chunks.isEmpty()) {
            throw new IllegalArgumentException("a delete of " + documentId + " must not carry chunks");
        }
        if (reconcile && (document != null || snapshotStartMillis <= 0)) {
            throw new IllegalArgumentException("a reconcile action carries only the snapshot's start");
        }
        if (permissionsOnly && (document == null || !chunks.isEmpty() || reconcile)) {
            throw new IllegalArgumentException("a permissions action of " + documentId + " carries the document, no chunks");
        }
        if (scope != null && !reconcile) {
            throw new IllegalArgumentException("only a reconcile action has a scope; " + documentId + " is not one");
        }
    }

    /** An action with every field but the reconcile scope. */
    public IndexAction(String documentId, SourceDocument document, List<EmbeddedChunk> chunks, String source,
            String position, long sourceTimeMillis, String embeddingModel, long snapshotStartMillis, boolean reconcile,
            boolean permissionsOnly, Progress progress) {
        this(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel, snapshotStartMillis,
                reconcile, permissionsOnly, progress, null);
    }

    /** An upsert or delete, or a reconcile. */
    public IndexAction(String documentId, SourceDocument document, List<EmbeddedChunk> chunks, String source,
            String position, long sourceTimeMillis, String embeddingModel, long snapshotStartMillis, boolean reconcile) {
        this(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel, snapshotStartMillis,
                reconcile, false, null);
    }

    /** How far the source is reflected once this action is applied (see {@link #progress}), never null. */
    public Progress effectiveProgress() {
        return progress != null ? progress : new Progress(List.of(position), sourceTimeMillis);
    }

    /** This action with {@code progress} (see the record's {@code progress}). */
    public IndexAction withProgress(Progress progress) {
        return new IndexAction(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel,
                snapshotStartMillis, reconcile, permissionsOnly, progress, scope);
    }

    /** This reconcile action, speaking only for the documents of {@code scope}. */
    public IndexAction withScope(ReconcileScope scope) {
        return new IndexAction(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel,
                snapshotStartMillis, reconcile, permissionsOnly, progress, scope);
    }

    /** An upsert or delete. */
    public IndexAction(String documentId, SourceDocument document, List<EmbeddedChunk> chunks, String source,
            String position, long sourceTimeMillis, String embeddingModel, long snapshotStartMillis) {
        this(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel, snapshotStartMillis, false);
    }

    /** A streamed upsert or delete. */
    public IndexAction(String documentId, SourceDocument document, List<EmbeddedChunk> chunks, String source,
            String position, long sourceTimeMillis, String embeddingModel) {
        this(documentId, document, chunks, source, position, sourceTimeMillis, embeddingModel, 0L, false);
    }

    /** Removes what the snapshot that started at {@code snapshotStartMillis} showed to be gone. */
    public static IndexAction reconcile(String source, String position, long snapshotStartMillis) {
        return new IndexAction(SourceChange.SNAPSHOT_MARKER_KEY, null, List.of(), source, position, snapshotStartMillis,
                "", snapshotStartMillis, true);
    }

    /**
     * The permissions {@code change} gives its document, ahead of its content: a revocation is then enforced
     * while the new content waits for its embedding, and the content that follows carries them again.
     */
    public static IndexAction permissions(SourceChange change) {
        return new IndexAction(change.documentId(), change.document(), List.of(), change.source(), change.position(),
                change.sourceTimeMillis(), "", change.snapshotStartMillis(), false, true, Progress.HELD);
    }

    /** Builds the action that removes every chunk of a document. */
    public static IndexAction delete(String documentId, String source, String position, long sourceTimeMillis) {
        return new IndexAction(documentId, null, List.of(), source, position, sourceTimeMillis, "", 0L, false);
    }

    /** True when this action removes the document. */
    public boolean isDelete() {
        return document == null && !reconcile;
    }
}
