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

    /**
     * The embedding a content change still needs: its chunks, each chunk's input hash, the vectors already known
     * (from the document's state) and the inputs to embed, distinct, in order.
     */
    public record Plan(SourceChange change, List<Chunk> chunks, long[] hashes,
            Map<Long, float[]> known, Map<Long, String> toEmbed) {

        /** The texts to embed, in the order {@link #complete} expects their vectors. */
        public List<String> inputs() {
            return List.copyOf(toEmbed.values());
        }
    }

    /** A change classified: either done ({@code outcome}) or waiting for the embedding of {@code plan}. */
    public record Classified(Outcome outcome, Plan plan) {}

    /** Classifies {@code change} against {@code previous} (null when the document has no state) and does the work. */
    public Outcome apply(SourceChange change, DocumentState previous) {
        Classified c = classify(change, previous);
        return c.outcome() != null ? c.outcome() : complete(c.plan(), change, embedder.embed(c.plan().inputs()));
    }

    /**
     * Classifies {@code change} against {@code previous}. Everything but a content change with new chunk inputs
     * is done at once; such a change comes back as the {@link Plan} of what to embed.
     */
    public Classified classify(SourceChange change, DocumentState previous) {
        if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
            return new Classified(new Outcome(Kind.RECONCILE,
                    IndexAction.reconcile(change.source(), change.position(), change.snapshotStartMillis()), previous, 0, 0), null);
        }
        if (!change.op().isUpsert()) {
            return new Classified(new Outcome(Kind.DELETE, IndexAction.delete(change.documentId(), change.source(),
                    change.position(), change.sourceTimeMillis()), null, 0, 0), null);
        }
        SourceDocument doc = change.document();
        byte[] contentKey = DocumentState.contentKey(doc);
        byte[] aclKey = DocumentState.aclKey(doc);
        if (sameContent(previous, doc)) {
            IndexAction action = action(change, previous.embeddedChunks(doc.body()));
            if (Arrays.equals(previous.aclKey(), aclKey)) {
                return new Classified(new Outcome(Kind.NO_OP, action, previous, 0, previous.chunks().size()), null);
            }
            return new Classified(new Outcome(Kind.ACL_ONLY, action, previous.withAclKey(aclKey), 0,
                    previous.chunks().size()), null);
        }
        List<Chunk> chunks = chunker.split(doc.body());
        Map<Long, float[]> known = previous != null && previous.model().equals(model) ? previous.vectorsByInput()
                : new HashMap<>();
        Map<Long, String> toEmbed = new LinkedHashMap<>();
        long[] hashes = new long[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            String input = ChangeEmbedder.embeddingInput(doc.title(), chunks.get(i));
            hashes[i] = DocumentState.inputHash(input);
            if (!known.containsKey(hashes[i])) {
                toEmbed.putIfAbsent(hashes[i], input);
            }
        }
        Plan plan = new Plan(change, chunks, hashes, known, toEmbed);
        return toEmbed.isEmpty() ? new Classified(complete(plan, change, List.of()), null) : new Classified(null, plan);
    }

    /** True when {@code doc}'s content (title, body, metadata) is what {@code state} indexed with this model. */
    public boolean sameContent(DocumentState state, SourceDocument doc) {
        return state != null && state.model().equals(model) && Arrays.equals(state.contentKey(), DocumentState.contentKey(doc));
    }

    /**
     * Finishes {@code plan} with the {@code vectors} of its {@link Plan#inputs}, as {@code change}: the change the
     * plan was made for, or a later one of the same content (with, say, other permissions).
     */
    public Outcome complete(Plan plan, SourceChange change, List<float[]> vectors) {
        if (vectors.size() != plan.toEmbed().size()) {
            throw new IllegalArgumentException("expected " + plan.toEmbed().size() + " vectors, got " + vectors.size());
        }
        if (!Arrays.equals(DocumentState.contentKey(change.document()), DocumentState.contentKey(plan.change().document()))) {
            throw new IllegalArgumentException("change " + change.position() + " of " + change.documentId()
                    + " has other content than the plan's " + plan.change().position());
        }
        Map<Long, float[]> known = new HashMap<>(plan.known());
        int n = 0;
        for (Long h : plan.toEmbed().keySet()) {
            known.put(h, vectors.get(n++));
        }
        List<Chunk> chunks = plan.chunks();
        List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        List<DocumentState.StoredChunk> stored = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            float[] v = known.get(plan.hashes()[i]);
            embedded.add(new EmbeddedChunk(c, v));
            stored.add(new DocumentState.StoredChunk(c.startOffset(), c.endOffset(), c.section(), plan.hashes()[i], v));
        }
        SourceDocument doc = change.document();
        DocumentState state = new DocumentState(model, DocumentState.contentKey(doc), DocumentState.aclKey(doc), stored);
        return new Outcome(Kind.CONTENT, action(change, embedded), state, plan.toEmbed().size(),
                chunks.size() - plan.toEmbed().size());
    }

    private IndexAction action(SourceChange change, List<EmbeddedChunk> chunks) {
        return new IndexAction(change.documentId(), change.document(), chunks, change.source(), change.position(),
                change.sourceTimeMillis(), embedder.modelId(), change.snapshotStartMillis());
    }
}
