package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Turns a document change into an index action: a delete stays a delete; an upsert is chunked and every
 * chunk embedded, so the action carries the document's complete new chunk set.
 */
public final class ChunkEmbedFunction extends RichMapFunction<SourceChange, IndexAction> {

    private static final long serialVersionUID = 1L;

    /** Builds the chunker and embedder on the task manager (they are not serializable). */
    public interface Components extends Serializable {
        /** The chunker to use. */
        Chunker chunker();

        /** The embedder to use; called once per subtask. */
        Embedder embedder();
    }

    private final Components components;
    private transient Chunker chunker;
    private transient Embedder embedder;
    private transient Counter chunksEmbedded;
    private transient Counter documentsChunked;

    public ChunkEmbedFunction(Components components) {
        this.components = Objects.requireNonNull(components, "components");
    }

    @Override
    public void open(OpenContext openContext) {
        chunker = components.chunker();
        embedder = components.embedder();
        chunksEmbedded = getRuntimeContext().getMetricGroup().counter("chunksEmbedded");
        documentsChunked = getRuntimeContext().getMetricGroup().counter("documentsChunked");
    }

    @Override
    public IndexAction map(SourceChange change) {
        if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
            return IndexAction.reconcile(change.source(), change.position(), change.snapshotStartMillis());
        }
        if (!change.op().isUpsert()) {
            return IndexAction.delete(change.documentId(), change.source(), change.position(), change.sourceTimeMillis());
        }
        // A blank body yields no chunks: the upsert then removes any chunks an older version had.
        List<Chunk> chunks = chunker.split(change.document().body());
        String title = change.document().title();
        List<float[]> vectors = embedder.embed(chunks.stream().map(c -> embeddingInput(title, c)).toList());
        List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            embedded.add(new EmbeddedChunk(chunks.get(i), vectors.get(i)));
        }
        chunksEmbedded.inc(chunks.size());
        documentsChunked.inc();
        return new IndexAction(change.documentId(), change.document(), embedded, change.source(), change.position(),
                change.sourceTimeMillis(), embedder.modelId(), change.snapshotStartMillis());
    }

    /** The title gives every chunk its document's context; offsets still point into the body alone. */
    static String embeddingInput(String title, Chunk chunk) {
        return title.isBlank() ? chunk.text() : title + "\n" + chunk.text();
    }
}
