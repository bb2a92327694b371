package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunker;
import io.freshet.core.DeadLetter;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import io.freshet.index.write.SourcePositions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chunk-embed} step, keyed by document id. Each change is classified against the document's
 * {@link DocumentState} ({@link IncrementalEmbedder}); only content changes with new chunk inputs wait for an
 * embedding, which runs asynchronously in micro-batches across documents ({@link EmbeddingBatcher}: by size and
 * by time, with timeouts and retries with backoff). Everything else, permission changes and deletes above all,
 * is emitted at once, so it never waits behind a backlog of content queued for the embedder.
 *
 * <p>Per document, order holds: a content change waiting for its embedding is kept in keyed state ({@code
 * pending}, checkpointed, and submitted again after a restore). While it waits:
 * <ul>
 *   <li>a change of the same content replaces it (the embedding in flight serves it) and a change of its
 *       permissions is sent ahead at once ({@link IndexAction#permissions}), so a revocation is enforced now;
 *   <li>a change of other content replaces it and needs its own embedding: the older one's result is dropped
 *       when it arrives, so an older version (or older permissions) never overwrites a newer one;
 *   <li>a delete drops it.
 * </ul>
 * At most {@code maxInFlight} embeddings run or wait; beyond that a change that needs one is held back
 * (backpressure), while changes that need none still pass. A streamed document whose embedding fails for good
 * goes to {@link #DEAD_LETTERS} with the reason, and its indexed version stays as it was; a snapshot read that
 * fails for good fails the task instead (the snapshot's reconcile would otherwise remove the row's document),
 * so the restart tries it again.
 *
 * <p>Actions overtake content that waits, so an action carries {@link IndexAction.Progress}: resume positions
 * and freshness move only when no earlier change waits any more, and a replay from a commit's positions never
 * skips a change that was still being embedded. A snapshot's marker reaches every subtask ({@link MarkerRouting},
 * one copy per key group: the first is acted on) and waits until none of the subtask's documents waits, so it
 * never removes a document whose snapshot read is still being embedded; the reconcile action it emits speaks only
 * for this subtask's documents ({@link IndexAction.ReconcileScope}), whose earlier actions are all ahead of it.
 */
public final class ChunkEmbedOperator extends AbstractStreamOperator<IndexAction>
        implements OneInputStreamOperator<SourceChange, IndexAction> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkEmbedOperator.class);

    /** Documents whose embedding failed for good. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("embedding-dead-letters",
            TypeInformation.of(DeadLetter.class));

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

    /**
     * How the operator embeds.
     *
     * @param batching micro-batches, timeouts and retries
     * @param maxInFlight documents waiting for their embedding before the operator stops taking input
     */
    public record Settings(EmbeddingBatcher.Settings batching, int maxInFlight) implements Serializable {
        public Settings {
            Objects.requireNonNull(batching, "batching");
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("embedding.max-in-flight must be >= 1; got " + maxInFlight);
            }
        }
    }

    private static final String PENDING = "pending";

    private final transient MailboxExecutor mailbox;
    private final Components components;
    private final Settings settings;
    private transient IncrementalEmbedder incremental;
    private transient EmbeddingBatcher batcher;
    private transient ValueState<byte[]> documents;
    private transient ValueState<SourceChange> pending;
    private transient ValueState<Long> pendingSeq;
    private transient long nextSeq;
    /** Embedder calls not yet completed, including superseded ones. */
    private transient int inFlight;
    /** Documents whose content change waits for its embedding. */
    private transient int pendingCount;
    /** The newest position taken in from each source partition since the start, and the newest source time. */
    private transient Map<String, String> arrived;
    private transient long arrivedTime;
    private transient Map<IncrementalEmbedder.Kind, Counter> changes;
    private transient Counter chunksEmbedded;
    private transient Counter chunksReused;
    private transient Counter permissionsAhead;
    private transient Counter superseded;
    private transient Counter failed;
    /** The documents this subtask's reconcile actions speak for. */
    private transient IndexAction.ReconcileScope scope;
    /** The start of the snapshot whose marker this subtask acted on last. */
    private transient long lastMarker;

    ChunkEmbedOperator(StreamOperatorParameters<IndexAction> parameters, Components components, Settings settings) {
        super(parameters);
        this.mailbox = parameters.getMailboxExecutor();
        this.components = components;
        this.settings = settings;
    }

    @Override
    public void open() throws Exception {
        super.open();
        arrived = new java.util.LinkedHashMap<>();
        var task = getRuntimeContext().getTaskInfo();
        scope = new IndexAction.ReconcileScope(task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks(),
                task.getMaxNumberOfParallelSubtasks());
        Embedder embedder = components.embedder();
        incremental = new IncrementalEmbedder(components.chunker(), embedder, components.modelVersion());
        documents = getPartitionedState(
                new ValueStateDescriptor<>("document", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        pending = getPartitionedState(new ValueStateDescriptor<>(PENDING, TypeInformation.of(SourceChange.class)));
        pendingSeq = getPartitionedState(new ValueStateDescriptor<>("pending-seq", Types.LONG));
        MetricGroup metrics = getMetricGroup();
        changes = new EnumMap<>(IncrementalEmbedder.Kind.class);
        changes.put(IncrementalEmbedder.Kind.NO_OP, metrics.counter("changesNoOp"));
        changes.put(IncrementalEmbedder.Kind.ACL_ONLY, metrics.counter("changesAclOnly"));
        changes.put(IncrementalEmbedder.Kind.CONTENT, metrics.counter("changesContent"));
        changes.put(IncrementalEmbedder.Kind.DELETE, metrics.counter("changesDelete"));
        changes.put(IncrementalEmbedder.Kind.RECONCILE, metrics.counter("snapshotsReconciled"));
        chunksEmbedded = metrics.counter("chunksEmbedded");
        chunksReused = metrics.counter("chunksReused");
        permissionsAhead = metrics.counter("permissionsAhead");
        superseded = metrics.counter("embeddingsSuperseded");
        failed = metrics.counter("embeddingsFailed");
        metrics.gauge("embeddingBacklog", (Gauge<Integer>) () -> inFlight);
        batcher = new EmbeddingBatcher(embedder, settings.batching(),
                "embed-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        metrics.gauge("embeddingRetries", (Gauge<Long>) batcher::retries);
        metrics.gauge("embeddingTimeouts", (Gauge<Long>) batcher::timeouts);
        metrics.gauge("embeddingCacheHits", (Gauge<Long>) batcher::cacheHits);
        metrics.gauge("embedderInputs", (Gauge<Long>) batcher::embedded);
        resubmitRestored();
    }

    /**
     * Submits again every change that was waiting for its embedding when the restored checkpoint was taken, and
     * sends its permissions ahead again: the ACL store may have recorded them as landed with content that the
     * restore took back out of the index.
     */
    private void resubmitRestored() throws Exception {
        List<Object> keys = new ArrayList<>();
        try (var stream = getKeyedStateBackend().getKeys(PENDING, VoidNamespace.INSTANCE)) {
            stream.forEach(keys::add);
        }
        pendingCount = keys.size();
        for (Object key : keys) {
            setCurrentKey(key);
            SourceChange change = pending.value();
            if (change != null) {
                pending.clear(); // taken up again as if it had just arrived
                pendingSeq.clear();
                pendingCount--;
                planAndSubmit(change, indexed(), false);
                if (pending.value() != null) {
                    sendAhead(change);
                }
            }
        }
        if (!keys.isEmpty()) {
            LOG.info("chunk-embed submitted {} restored documents for embedding again", keys.size());
        }
    }

    @Override
    public void processElement(StreamRecord<SourceChange> element) throws Exception {
        SourceChange change = element.getValue();
        if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
            if (change.snapshotStartMillis() == lastMarker) {
                return; // another copy of the marker (one per key group this subtask owns): acted on at the first
            }
            lastMarker = change.snapshotStartMillis();
            while (pendingCount > 0) { // the snapshot's reads must all be indexed before it removes what it did not see
                mailbox.yield();
            }
            setCurrentKey(change.documentId());
            emit(incremental.classify(change, null).outcome());
            return;
        }
        if (inFlight >= settings.maxInFlight() && mayNeedEmbedding(change)) {
            while (inFlight >= settings.maxInFlight()) {
                mailbox.yield(); // completions run here, each under its own key
            }
            setCurrentKey(change.documentId());
        }
        arrived.put(SourcePositions.partitionKey(change.position()), change.position());
        arrivedTime = Math.max(arrivedTime, change.sourceTimeMillis());
        if (!change.op().isUpsert()) {
            if (pending.value() != null) {
                dropPending();
                superseded.inc();
            }
            documents.clear();
            emit(incremental.classify(change, null).outcome());
            return;
        }
        SourceChange waiting = pending.value();
        if (waiting != null && sameContent(waiting, change)) {
            pending.update(change); // the embedding in flight serves this change too
            aheadIfPermissionsChanged(waiting, change);
            changes.get(sameAcl(waiting, change) ? IncrementalEmbedder.Kind.NO_OP : IncrementalEmbedder.Kind.ACL_ONLY).inc();
            return;
        }
        if (waiting != null) {
            superseded.inc();
        }
        DocumentState indexed = indexed(); // read once: it holds every chunk's vector
        planAndSubmit(change, indexed, true);
        if (pending.value() != null) { // waits for its embedding: its permissions go ahead of it
            if (waiting != null) {
                aheadIfPermissionsChanged(waiting, change);
            } else if (indexed != null && !Arrays.equals(indexed.aclKey(), DocumentState.aclKey(change.document()))) {
                sendAhead(change);
            }
        }
    }

    /**
     * False for a change that certainly needs no embedding (a delete, or content already indexed or in flight),
     * which is therefore never held back when too many documents wait.
     */
    private boolean mayNeedEmbedding(SourceChange change) throws Exception {
        if (!change.op().isUpsert()) {
            return false;
        }
        setCurrentKey(change.documentId());
        SourceChange waiting = pending.value();
        if (waiting != null) {
            return !sameContent(waiting, change);
        }
        return !incremental.sameContent(indexed(), change.document());
    }

    private static boolean sameContent(SourceChange a, SourceChange b) {
        return Arrays.equals(DocumentState.contentKey(a.document()), DocumentState.contentKey(b.document()));
    }

    /** Classifies {@code change} against {@code previous}: done at once, or submitted for embedding and kept pending. */
    private void planAndSubmit(SourceChange change, DocumentState previous, boolean count) throws Exception {
        if (!change.op().isUpsert() || incremental.sameContent(previous, change.document())) {
            IncrementalEmbedder.Classified c = incremental.classify(change, previous); // no chunking, no embedding
            if (count) {
                changes.get(c.outcome().kind()).inc();
            }
            dropPending();
            emit(c.outcome());
            return;
        }
        if (count) {
            changes.get(IncrementalEmbedder.Kind.CONTENT).inc();
        }
        // Chunking (with the model's tokenizer) and planning run on the batcher's thread too, so the task thread
        // takes a burst of content changes in quickly and a permission change behind it waits for none of them.
        AtomicReference<IncrementalEmbedder.Classified> planned = new AtomicReference<>();
        long seq = ++nextSeq;
        if (pending.value() == null) {
            pendingCount++;
        }
        pending.update(change);
        pendingSeq.update(seq);
        inFlight++;
        String id = change.documentId();
        batcher.submit(() -> {
            IncrementalEmbedder.Classified c = incremental.classify(change, previous);
            planned.set(c);
            return c.plan() == null ? List.of() : c.plan().inputs();
        }, (vectors, failure) -> {
            try {
                mailbox.execute(() -> complete(id, seq, planned.get(), vectors, failure), "embedded %s", id);
            } catch (RejectedExecutionException e) {
                LOG.debug("chunk-embed is closing; the embedding of {} is redone after the restore", id);
            }
        });
    }

    /** Runs in the task thread when an embedding finished (or failed for good). */
    private void complete(String id, long seq, IncrementalEmbedder.Classified planned, List<float[]> vectors,
            Throwable failure) throws Exception {
        inFlight--;
        setCurrentKey(id);
        Long current = pendingSeq.value();
        if (current == null || current != seq) {
            return; // superseded by a newer change or a delete
        }
        SourceChange change = pending.value();
        if (failure != null && change.snapshotStartMillis() > 0) {
            // A snapshot read left out would be removed by the snapshot's reconcile though the row exists: fail,
            // and the restart embeds it again from the checkpoint.
            throw new IllegalStateException("embedding failed for document " + id + " read by a snapshot at "
                    + change.position() + "; the job restarts to try again", failure);
        }
        dropPending();
        if (failure != null) {
            failed.inc();
            String reason = "embedding failed for document " + id + (planned == null || planned.plan() == null ? ""
                    : " (" + planned.plan().toEmbed().size() + " chunk inputs)") + ": " + failure.getMessage();
            LOG.warn("chunk-embed dead-letters {} at {}: {}", id, change.position(), reason);
            output.collect(DEAD_LETTERS, new StreamRecord<>(new DeadLetter(reason, change.source(), change.position(),
                    System.currentTimeMillis(), null)));
            return;
        }
        emit(planned.outcome() != null ? planned.outcome() : incremental.complete(planned.plan(), change, vectors));
    }

    private void emit(IncrementalEmbedder.Outcome outcome) throws Exception {
        if (outcome.state() == null) {
            documents.clear();
        } else {
            documents.update(outcome.state().toBytes());
        }
        chunksEmbedded.inc(outcome.embedded());
        chunksReused.inc(outcome.reused());
        if (outcome.action() != null) {
            // Resume positions and freshness move only while no change waits for its embedding: then every change
            // taken in so far is applied, up to the newest position taken in from each source partition. An action
            // that overtook waiting content moves nothing.
            IndexAction.Progress progress = pendingCount == 0
                    ? new IndexAction.Progress(List.copyOf(arrived.values()), arrivedTime) : IndexAction.Progress.HELD;
            output.collect(new StreamRecord<>(outcome.action().reconcile() ? outcome.action().withScope(scope)
                    : outcome.action().withProgress(progress)));
        }
    }

    private void aheadIfPermissionsChanged(SourceChange before, SourceChange now) {
        if (!sameAcl(before, now)) {
            sendAhead(now);
        }
    }

    private void sendAhead(SourceChange change) {
        permissionsAhead.inc();
        output.collect(new StreamRecord<>(IndexAction.permissions(change)));
    }

    private static boolean sameAcl(SourceChange a, SourceChange b) {
        return Arrays.equals(DocumentState.aclKey(a.document()), DocumentState.aclKey(b.document()));
    }

    private DocumentState indexed() throws Exception {
        byte[] bytes = documents.value();
        return bytes == null ? null : DocumentState.fromBytes(bytes);
    }

    private void dropPending() throws Exception {
        if (pending.value() != null) {
            pendingCount--;
        }
        pending.clear();
        pendingSeq.clear();
    }

    @Override
    public void finish() throws Exception {
        while (inFlight > 0) { // end of a bounded input: every document is indexed before the sink's last commit
            mailbox.yield();
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (batcher != null) {
                batcher.close();
            }
        } finally {
            super.close();
        }
    }

    /** Creates the operator with the task's mailbox. */
    public static final class Factory extends AbstractStreamOperatorFactory<IndexAction>
            implements OneInputStreamOperatorFactory<SourceChange, IndexAction> {

        private static final long serialVersionUID = 1L;
        private final Components components;
        private final Settings settings;

        public Factory(Components components, Settings settings) {
            this.components = Objects.requireNonNull(components, "components");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<IndexAction>> T createStreamOperator(StreamOperatorParameters<IndexAction> parameters) {
            return (T) new ChunkEmbedOperator(parameters, components, settings);
        }

        @Override
        public Class<? extends StreamOperator<?>> getStreamOperatorClass(ClassLoader classLoader) {
            return ChunkEmbedOperator.class;
        }
    }
}
