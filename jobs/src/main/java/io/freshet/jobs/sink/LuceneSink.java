package io.freshet.jobs.sink;

import io.freshet.core.IndexAction;
import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.PublishedMarker;
import io.freshet.index.lifecycle.RetentionPolicy;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.write.ChunkIndexWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link IndexAction}s into the live generation of an index root ({@link IndexRoot}), one shard per
 * subtask (documents arrive keyed by id, so each document lives in exactly one shard), with a two-phase
 * commit per Flink checkpoint:
 *
 * <ol>
 *   <li><b>prepare</b>: at the checkpoint, the writer makes its shard's changes durable as a Lucene commit
 *       whose user data carries the run, the checkpoint id and the lineage ({@code CommitData}). Readers do
 *       not serve it yet.</li>
 *   <li><b>commit</b>: once the checkpoint completed, the {@link LuceneCommitter} publishes it (the shard's
 *       {@link PublishedMarker}); the service serves the newest point every shard has published. A
 *       re-delivered committable (at or below the published checkpoint of its run) changes nothing.</li>
 * </ol>
 *
 * <p>A writer restored from checkpoint C reopens its shard at the commit it prepared for C and drops the
 * commits it prepared after (their checkpoints never completed). A writer started without state opens a new
 * run at the shard's published commit. Commits are kept by a {@link RetentionPolicy} so owners can roll back.
 */
public final class LuceneSink implements Sink<IndexAction>, SupportsCommitter<ShardCommittable>,
        SupportsWriterState<IndexAction, LuceneWriterState>,
        SupportsPreCommitTopology<ShardCommittable, ShardCommittable> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LuceneSink.class);
    /**
     * How soon recorded permissions are committed to the ACL store, without waiting for the checkpoint: a
     * revocation is then enforced within this (plus the service's refresh), while its content waits.
     */
    static final long ACL_COMMIT_DELAY_MILLIS = 100;

    /**
     * What the sink records and keeps.
     *
     * @param model embedding model id recorded in each commit
     * @param modelVersion embedding model version recorded in each commit
     * @param chunker chunker configuration recorded in each commit
     * @param format how vectors are stored
     * @param keepLast commits kept per shard at least
     * @param keepFor commits younger than this are kept
     */
    public record Settings(String model, String modelVersion, String chunker, VectorFormat format, int keepLast,
            Duration keepFor) implements Serializable {
        public Settings {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(chunker, "chunker");
            modelVersion = Objects.requireNonNullElse(modelVersion, "");
            format = Objects.requireNonNullElse(format, VectorFormat.HNSW);
            keepFor = Objects.requireNonNullElse(keepFor, Duration.ofHours(1));
            if (keepLast < 1) {
                throw new IllegalArgumentException("index.retention.keep-last must be >= 1; got " + keepLast);
            }
        }
    }

    private final String root;
    private final Settings settings;

    /** @param root the index root */
    public LuceneSink(Path root, Settings settings) {
        this.root = root.toAbsolutePath().normalize().toString();
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A sink with default retention (20 commits, one hour) and no recorded model version. */
    public LuceneSink(Path root, String model, String chunker) {
        this(root, new Settings(model, "", chunker, VectorFormat.HNSW, 20, Duration.ofHours(1)));
    }

    @Override
    public ShardWriter createWriter(WriterInitContext context) throws IOException {
        return new ShardWriter(context, Optional.empty());
    }

    @Override
    public StatefulSinkWriter<IndexAction, LuceneWriterState> restoreWriter(WriterInitContext context,
            Collection<LuceneWriterState> states) throws IOException {
        return new ShardWriter(context, states.stream().findFirst());
    }

    @Override
    public SimpleVersionedSerializer<LuceneWriterState> getWriterStateSerializer() {
        return new LuceneWriterState.Serializer();
    }

    @Override
    public Committer<ShardCommittable> createCommitter(CommitterInitContext context) {
        return new LuceneCommitter(context.metricGroup().counter("indexCommitsPublished"),
                context.metricGroup().counter("indexCommitsRedelivered"));
    }

    @Override
    public SimpleVersionedSerializer<ShardCommittable> getCommittableSerializer() {
        return new ShardCommittable.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<ShardCommittable> getWriteResultSerializer() {
        return new ShardCommittable.Serializer();
    }

    /** Attaches each committable's checkpoint id, which the writer does not know when it prepares. */
    @Override
    public DataStream<CommittableMessage<ShardCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<ShardCommittable>> committables) {
        return committables.map(LuceneSink::withCheckpointId)
                .returns(CommittableMessageTypeInfo.of(ShardCommittable.Serializer::new))
                .name("lucene-attach-checkpoint")
                .uid("lucene-attach-checkpoint");
    }

    private static CommittableMessage<ShardCommittable> withCheckpointId(CommittableMessage<ShardCommittable> m) {
        if (m instanceof CommittableWithLineage<ShardCommittable> c) {
            return c.map(k -> k.at(c.getCheckpointIdOrEOI()));
        }
        return m;
    }

    /** One shard's writer. */
    final class ShardWriter implements StatefulSinkWriter<IndexAction, LuceneWriterState>,
            CommittingSinkWriter<IndexAction, ShardCommittable> {

        private final ChunkIndexWriter index;
        private final AclStore.Writer acl;
        private final Generation generation;
        private final int shard;
        private final String runId;
        private final int runSeq;
        private final Counter commits;
        private final org.apache.flink.api.common.operators.ProcessingTimeService timers;
        private boolean aclCommitScheduled;
        private final SnapshotReconciles reconciles = new SnapshotReconciles();

        ShardWriter(WriterInitContext context, Optional<LuceneWriterState> restored) throws IOException {
            IndexRoot indexRoot = new IndexRoot(Path.of(root));
            this.shard = context.getTaskInfo().getIndexOfThisSubtask();
            int shards = context.getTaskInfo().getNumberOfParallelSubtasks();
            this.generation = indexRoot.generationForIngest(shards, settings.model(), settings.chunker());
            this.runId = restored.map(LuceneWriterState::runId).orElse(context.getJobInfo().getJobId().toString());
            this.runSeq = indexRoot.runSeq(generation, runId);
            Optional<PublishedMarker> marker = generation.published(shard);
            OptionalLong restoredCheckpoint = restored.isPresent() ? context.getRestoredCheckpointId() : OptionalLong.empty();
            if (restoredCheckpoint.isPresent() && marker.isPresent() && marker.get().runId().equals(runId)
                    && marker.get().checkpoint() > restoredCheckpoint.getAsLong()) {
                throw new IllegalStateException("restoring checkpoint " + restoredCheckpoint.getAsLong() + " into "
                        + generation.id() + " would discard its published point " + marker.get().point()
                        + "; restore the newest checkpoint, or roll back with `freshet index rollback`");
            }
            long start = startCommit(generation.shardDir(shard), runId, restoredCheckpoint, marker);
            this.index = new ChunkIndexWriter(generation.shardDir(shard), new ChunkIndexWriter.Options(
                    settings.model(), settings.modelVersion(), settings.chunker(), settings.format(),
                    new RetentionPolicy(indexRoot, generation, shard, settings.keepLast(), settings.keepFor(), start),
                    start < 0 ? null : commits -> commits.stream().filter(c -> c.getGeneration() == start).findFirst()
                            .orElseThrow()));
            this.acl = new AclStore.Writer(AclStore.shardDir(indexRoot, shard));
            this.commits = context.metricGroup().counter("indexCommits");
            this.timers = context.getProcessingTimeService();
            if (restoredCheckpoint.isEmpty()) {
                index.commit(0, runId, runSeq); // opens the run: point <run>.0
            }
            LOG.info("Lucene sink shard {}/{} writes {} as run {} ({}), from {}", shard, shards, generation.id(), runSeq,
                    runId, restoredCheckpoint.isPresent() ? "checkpoint " + restoredCheckpoint.getAsLong() : "its published point");
        }

        @Override
        public void write(IndexAction action, Context context) throws IOException {
            if (action.reconcile()) {
                reconcile(action);
            } else if (!action.permissionsOnly()) { // permissions ahead of content leave the chunks as they are
                index.apply(action);
            }
            acl.apply(action);
            scheduleAclCommit();
        }

        /**
         * Applies a snapshot's reconcile marker for the documents it speaks for, at the first of its copies
         * ({@link SnapshotReconciles}). What the snapshot showed gone stays gone for the ACL store too.
         */
        private void reconcile(IndexAction marker) throws IOException {
            if (!reconciles.first(marker)) {
                return;
            }
            for (String id : index.reconcile(marker.snapshotStartMillis(), SnapshotReconciles.owned(marker.scope()))) {
                acl.deleted(id, marker.snapshotStartMillis());
            }
        }

        /**
         * Commits the ACL store soon, ahead of the checkpoint: services admit a document only where both its
         * indexed and its current permissions do, so permissions recorded early narrow access at once and widen it
         * only with the content's commit.
         */
        private void scheduleAclCommit() {
            if (aclCommitScheduled || !acl.hasUrgent()) { // new documents' entries wait for the checkpoint
                return;
            }
            aclCommitScheduled = true;
            timers.registerTimer(timers.getCurrentProcessingTime() + ACL_COMMIT_DELAY_MILLIS, time -> {
                aclCommitScheduled = false;
                if (acl.hasPending()) {
                    acl.commit();
                }
            });
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput) { // no checkpoint follows the end of a bounded input
                acl.commit();
                index.commit(CommittableMessage.EOI, runId, runSeq);
            }
        }

        @Override
        public Collection<ShardCommittable> prepareCommit() {
            return List.of(new ShardCommittable(root, generation.id(), shard, runId, runSeq, -1));
        }

        @Override
        public List<LuceneWriterState> snapshotState(long checkpointId) throws IOException {
            if (index.pending() > 0) {
                acl.commit(); // current permissions are never behind the content that carries them
                index.commit(checkpointId, runId, runSeq); // phase one: durable, not yet served
                commits.inc();
                CrashPoints.maybeHalt(CrashPoints.AFTER_PREPARE);
            }
            return List.of(new LuceneWriterState(runId));
        }

        @Override
        public void close() throws IOException {
            try {
                index.close();
            } finally {
                acl.close();
            }
        }
    }

    /**
     * The Lucene generation of the commit a writer continues from: restored from checkpoint C, the newest commit
     * of its run at or before C (else the published one); started fresh, the shard's published commit; the
     * newest when none matches; -1 for an empty shard.
     */
    private static long startCommit(Path shardDir, String runId, OptionalLong restoredCheckpoint,
            Optional<PublishedMarker> marker) throws IOException {
        List<Generation.ShardCommit> commits;
        try (Directory d = FSDirectory.open(shardDir)) {
            commits = Generation.commits(d);
        }
        if (commits.isEmpty()) {
            return -1;
        }
        long published = marker.map(PublishedMarker::luceneGeneration).orElse(-1L);
        long pick = -1;
        if (restoredCheckpoint.isPresent()) {
            for (Generation.ShardCommit c : commits) {
                if (c.data().runId().equals(runId) && c.data().checkpointId() <= restoredCheckpoint.getAsLong()) {
                    pick = c.commit().getGeneration();
                }
            }
        }
        if (pick < 0 && commits.stream().anyMatch(c -> c.commit().getGeneration() == published)) {
            pick = published;
        }
        return pick >= 0 ? pick : commits.getLast().commit().getGeneration();
    }
}
