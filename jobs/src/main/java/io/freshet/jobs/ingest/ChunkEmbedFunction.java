package io.freshet.jobs.ingest;

import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * The {@code chunk-embed} step: turns a document change into an index action with a {@link ChangeEmbedder}
 * built on the task manager, and counts the work.
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
    private transient ChangeEmbedder changeEmbedder;
    private transient Counter chunksEmbedded;
    private transient Counter documentsChunked;

    public ChunkEmbedFunction(Components components) {
        this.components = Objects.requireNonNull(components, "components");
    }

    @Override
    public void open(OpenContext openContext) {
        changeEmbedder = new ChangeEmbedder(components.chunker(), components.embedder());
        chunksEmbedded = getRuntimeContext().getMetricGroup().counter("chunksEmbedded");
        documentsChunked = getRuntimeContext().getMetricGroup().counter("documentsChunked");
    }

    @Override
    public IndexAction map(SourceChange change) {
        IndexAction action = changeEmbedder.apply(change);
        if (action.document() != null) {
            chunksEmbedded.inc(action.chunks().size());
            documentsChunked.inc();
        }
        return action;
    }
}
