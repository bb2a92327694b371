package io.freshet.jobs.sink;

import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.PublishedMarker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes prepared shard commits once their checkpoint completed: it finds the shard's Lucene commit for
 * the checkpoint (the newest of the run at or before it; a shard that did not change keeps its last commit)
 * and records it in the shard's {@link PublishedMarker}. A committable at or below the marker's checkpoint
 * of the same run was published before (a re-delivery after a restore) and is acknowledged without effect.
 */
final class LuceneCommitter implements Committer<ShardCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneCommitter.class);

    private final Counter published;
    private final Counter redelivered;

    LuceneCommitter(Counter published, Counter redelivered) {
        this.published = published;
        this.redelivered = redelivered;
    }

    @Override
    public void commit(Collection<CommitRequest<ShardCommittable>> requests) throws IOException {
        for (CommitRequest<ShardCommittable> request : requests) {
            ShardCommittable c = request.getCommittable();
            if (commit(c)) {
                published.inc();
            } else {
                redelivered.inc();
                request.signalAlreadyCommitted();
            }
        }
    }

    /** Publishes {@code c}; false when it was published before. */
    static boolean commit(ShardCommittable c) throws IOException {
        Generation g = Generation.open(Path.of(c.root()).resolve("generations").resolve(c.generation()));
        Optional<PublishedMarker> marker = g.published(c.shard());
        if (marker.isPresent() && marker.get().runId().equals(c.runId()) && marker.get().checkpoint() >= c.checkpointId()) {
            LOG.debug("{} shard {} checkpoint {} was published before", c.generation(), c.shard(), c.checkpointId());
            return false;
        }
        long luceneGeneration = -1;
        try (Directory d = FSDirectory.open(g.shardDir(c.shard()))) {
            for (Generation.ShardCommit sc : Generation.commits(d)) {
                if (sc.data().runId().equals(c.runId()) && sc.data().checkpointId() <= c.checkpointId()) {
                    luceneGeneration = Math.max(luceneGeneration, sc.commit().getGeneration());
                }
            }
        }
        if (luceneGeneration < 0) {
            throw new IOException("shard " + c.shard() + " of " + c.generation() + " holds no commit of run " + c.runId()
                    + " at or before checkpoint " + c.checkpointId() + "; the prepared commit is missing");
        }
        if (marker.isEmpty() || marker.get().luceneGeneration() != luceneGeneration) {
            CrashPoints.maybeHalt(CrashPoints.DURING_COMMIT); // only where a new commit is being published
        }
        g.publish(c.shard(), new PublishedMarker(c.runId(), c.runSeq(), c.checkpointId(), luceneGeneration,
                System.currentTimeMillis()));
        return true;
    }

    @Override
    public void close() {}
}
