package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The work of the {@code chunk-embed} step, free of Flink: a delete stays a delete; an upsert is chunked and
 * every chunk embedded, so the action carries the document's complete new chunk set. Batch users such as
 * {@code freshet eval} hand it many changes at once so the embedder sees larger batches; the streaming job
 * embeds incrementally instead ({@link ChunkEmbedOperator}).
 */
public final class ChangeEmbedder {

    private final Chunker chunker;
    private final Embedder embedder;

    public ChangeEmbedder(Chunker chunker, Embedder embedder) {
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** The index action for one change. */
    public IndexAction apply(SourceChange change) {
        return applyAll(List.of(change)).get(0);
    }

    /** The index actions for {@code changes}, in order; the chunks of all upserts are embedded together. */
    public List<IndexAction> applyAll(List<SourceChange> changes) {
        List<List<Chunk>> chunksPerChange = new ArrayList<>(changes.size());
        List<String> inputs = new ArrayList<>();
        for (SourceChange change : changes) {
            // A blank body yields no chunks: the upsert then removes any chunks an older version had.
            List<Chunk> chunks = change.op().isUpsert() ? chunker.split(change.document().body()) : List.of();
            chunksPerChange.add(chunks);
            for (Chunk c : chunks) {
                inputs.add(embeddingInput(change.document().title(), c));
            }
        }
        List<float[]> vectors = embedder.embed(inputs);
        List<IndexAction> actions = new ArrayList<>(changes.size());
        int next = 0;
        for (int i = 0; i < changes.size(); i++) {
            SourceChange change = changes.get(i);
            if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
                actions.add(IndexAction.reconcile(change.source(), change.position(), change.snapshotStartMillis()));
            } else if (!change.op().isUpsert()) {
                actions.add(IndexAction.delete(change.documentId(), change.source(), change.position(),
                        change.sourceTimeMillis()));
            } else {
                List<Chunk> chunks = chunksPerChange.get(i);
                List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
                for (Chunk chunk : chunks) {
                    embedded.add(new EmbeddedChunk(chunk, vectors.get(next++)));
                }
                actions.add(new IndexAction(change.documentId(), change.document(), embedded, change.source(),
                        change.position(), change.sourceTimeMillis(), embedder.modelId(), change.snapshotStartMillis()));
            }
        }
        return actions;
    }

    /**
     * The title (and a markdown chunk's heading path) give every chunk its document's context; offsets still
     * point into the body alone.
     */
    public static String embeddingInput(String title, Chunk chunk) {
        String context = chunk.section().isEmpty() ? title : title.isBlank() ? chunk.section() : title + " > " + chunk.section();
        return context.isBlank() ? chunk.text() : context + "\n" + chunk.text();
    }
}
