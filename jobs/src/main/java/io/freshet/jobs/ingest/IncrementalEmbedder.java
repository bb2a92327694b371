package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The streaming {@code chunk-embed} step's work, free of Flink: classifies each change of a document against
 * what was indexed for it ({@link DocumentState}) and pays only for what changed.
 *
 * <ul>
 *   <li>{@link Kind#NO_OP}: content and permissions unchanged (for example only {@code updated_at} touched).
 *       Nothing is chunked or embedded; the stored chunks and vectors are re-indexed, so the document's version,
 *       update time, source position and the commit's freshness all follow the source, a snapshot's read marks
 *       the document seen, and an index that lost the document (for example to a reconcile the state did not
 *       see) gets it back.
 *   <li>{@link Kind#ACL_ONLY}: the stored chunks and vectors are re-indexed with the new permissions; nothing is
 *       chunked or embedded.
 *   <li>{@link Kind#CONTENT}: the body is chunked (chunk boundaries follow paragraphs, so a local edit leaves the
 *       other chunks' text as it was) and only chunks whose embedding input (title and text) is new are
 *       embedded; the others keep their vectors.
 *   <li>{@link Kind#DELETE}: the document and its state go.
 * </ul>
 */
public final class IncrementalEmbedder {

    /** What a change was. */
    public enum Kind {
        NO_OP, ACL_ONLY, CONTENT, DELETE, RECONCILE
    }

    /**
     * What to do about one change.
     *
     * @param kind its class
     * @param action what to index; null when nothing is
     * @param state the document's state after it; null when it has none
     * @param embedded chunks embedded
     * @param reused chunks indexed with a vector they already had
     */
    public record Outcome(Kind kind, IndexAction action, DocumentState state, int embedded, int reused) {}

    private final Chunker chunker;
    private final Embedder embedder;
    private final String model;

    /**
     * @param modelVersion the version of the embedder's weights; stored vectors of another model id or version
     *     are never reused
     */
    public IncrementalEmbedder(Chunker chunker, Embedder embedder, String modelVersion) {
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.model = modelVersion == null || modelVersion.isEmpty() ? embedder.modelId()
                : embedder.modelId() + "@" + modelVersion;
    }

    /** Classifies {@code change} against {@code previous} (null when the document has no state) and does the work. */
    public Outcome apply(SourceChange change, DocumentState previous) {
        if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
            return new Outcome(Kind.RECONCILE,
                    IndexAction.reconcile(change.source(), change.position(), change.snapshotStartMillis()), previous, 0, 0);
        }
        if (!change.op().isUpsert()) {
            return new Outcome(Kind.DELETE, IndexAction.delete(change.documentId(), change.source(), change.position(),
                    change.sourceTimeMillis()), null, 0, 0);
        }
        SourceDocument doc = change.document();
        byte[] contentKey = DocumentState.contentKey(doc);
        byte[] aclKey = DocumentState.aclKey(doc);
        boolean sameModel = previous != null && previous.model().equals(model);
        if (sameModel && Arrays.equals(previous.contentKey(), contentKey)) {
            IndexAction action = action(change, previous.embeddedChunks(doc.body()));
            if (Arrays.equals(previous.aclKey(), aclKey)) {
                return new Outcome(Kind.NO_OP, action, previous, 0, previous.chunks().size());
            }
            return new Outcome(Kind.ACL_ONLY, action, previous.withAclKey(aclKey), 0, previous.chunks().size());
        }
        List<Chunk> chunks = chunker.split(doc.body());
        Map<Long, float[]> known = sameModel ? previous.vectorsByInput() : new HashMap<>();
        Map<Long, String> toEmbed = new LinkedHashMap<>();
        long[] hashes = new long[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            String input = ChangeEmbedder.embeddingInput(doc.title(), chunks.get(i));
            hashes[i] = DocumentState.inputHash(input);
            if (!known.containsKey(hashes[i])) {
                toEmbed.putIfAbsent(hashes[i], input);
            }
        }
        if (!toEmbed.isEmpty()) {
            List<float[]> vectors = embedder.embed(new ArrayList<>(toEmbed.values()));
            int i = 0;
            for (Long h : toEmbed.keySet()) {
                known.put(h, vectors.get(i++));
            }
        }
        List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        List<DocumentState.StoredChunk> stored = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            float[] v = known.get(hashes[i]);
            embedded.add(new EmbeddedChunk(c, v));
            stored.add(new DocumentState.StoredChunk(c.startOffset(), c.endOffset(), hashes[i], v));
        }
        DocumentState state = new DocumentState(model, contentKey, aclKey, stored);
        return new Outcome(Kind.CONTENT, action(change, embedded), state, toEmbed.size(), chunks.size() - toEmbed.size());
    }

    private IndexAction action(SourceChange change, List<EmbeddedChunk> chunks) {
        return new IndexAction(change.documentId(), change.document(), chunks, change.source(), change.position(),
                change.sourceTimeMillis(), embedder.modelId(), change.snapshotStartMillis());
    }
}
