package io.freshet.jobs.ingest;

import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code chunk-embed} step, keyed by document id: classifies each change against the document's
 * {@link DocumentState} (kept in keyed state, so it is checkpointed and restored with the index) and embeds
 * only what changed ({@link IncrementalEmbedder}). The state holds every chunk's vector (about 1.5 KB per chunk
 * at 384 dimensions); the heap state backend snapshots it whole at each checkpoint. Counts every class ({@code changesNoOp},
 * {@code changesAclOnly}, {@code changesContent}, {@code changesDelete}) and the chunks embedded and reused.
 */
public final class ChunkEmbedFunction extends KeyedProcessFunction<String, SourceChange, IndexAction> {

    private static final long serialVersionUID = 1L;

    /** Builds the chunker and embedder on the task manager (they are not serializable). */
    public interface Components extends Serializable {
        /** The chunker to use. */
        Chunker chunker();

        /** The embedder to use; called once per subtask. */
        Embedder embedder();

        /**
         * The version of the embedder's weights, kept with stored vectors so that new weights under the same
         * model id never reuse old vectors; empty when unknown.
         */
        default String modelVersion() {
            return "";
        }
    }

    private final Components components;
    private transient IncrementalEmbedder incremental;
    private transient ValueState<byte[]> documents;
    private transient Map<IncrementalEmbedder.Kind, Counter> changes;
    private transient Counter chunksEmbedded;
    private transient Counter chunksReused;

    public ChunkEmbedFunction(Components components) {
        this.components = Objects.requireNonNull(components, "components");
    }

    @Override
    public void open(OpenContext openContext) {
        incremental = new IncrementalEmbedder(components.chunker(), components.embedder(), components.modelVersion());
        documents = getRuntimeContext().getState(
                new ValueStateDescriptor<>("document", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        changes = new EnumMap<>(IncrementalEmbedder.Kind.class);
        changes.put(IncrementalEmbedder.Kind.NO_OP, metrics.counter("changesNoOp"));
        changes.put(IncrementalEmbedder.Kind.ACL_ONLY, metrics.counter("changesAclOnly"));
        changes.put(IncrementalEmbedder.Kind.CONTENT, metrics.counter("changesContent"));
        changes.put(IncrementalEmbedder.Kind.DELETE, metrics.counter("changesDelete"));
        changes.put(IncrementalEmbedder.Kind.RECONCILE, metrics.counter("snapshotsReconciled"));
        chunksEmbedded = metrics.counter("chunksEmbedded");
        chunksReused = metrics.counter("chunksReused");
    }

    @Override
    public void processElement(SourceChange change, Context ctx, Collector<IndexAction> out) throws Exception {
        byte[] bytes = change.op().isUpsert() ? documents.value() : null; // a delete or marker needs no vectors
        DocumentState previous = bytes == null ? null : DocumentState.fromBytes(bytes);
        IncrementalEmbedder.Outcome outcome = incremental.apply(change, previous);
        if (outcome.state() == null) {
            documents.clear();
        } else if (outcome.state() != previous) {
            documents.update(outcome.state().toBytes());
        }
        changes.get(outcome.kind()).inc();
        chunksEmbedded.inc(outcome.embedded());
        chunksReused.inc(outcome.reused());
        if (outcome.action() != null) {
            out.collect(outcome.action());
        }
    }
}
