package io.freshet.index.lifecycle;

import io.freshet.index.schema.CommitData;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Lucene commits of one shard survive, so owners can roll back to earlier points: the newest
 * {@code keepLast} commits, every commit younger than {@code keepFor} (and the newest older one, which the
 * younger points build on), the published commit and any newer (not yet published) ones, and the commit the
 * manifest pins. Keeping each shard's last K commits keeps every point among the generation's last K: a
 * shard whose commit for a point is older than its last K has K newer commits, each a newer point.
 *
 * <p>Opened to continue from an earlier commit ({@code abandonAfter}), it deletes the commits after it: they
 * were prepared for checkpoints that never completed.
 */
public final class RetentionPolicy extends IndexDeletionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPolicy.class);

    private final IndexRoot root;
    private final Generation generation;
    private final int shard;
    private final int keepLast;
    private final Duration keepFor;
    private final long abandonAfter;

    /**
     * @param abandonAfter Lucene generation of the commit the writer continues from; newer commits are deleted
     *     when the writer opens. -1 to keep them.
     */
    public RetentionPolicy(IndexRoot root, Generation generation, int shard, int keepLast, Duration keepFor,
            long abandonAfter) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("index.retention.keep-last must be >= 1; got " + keepLast);
        }
        this.root = root;
        this.generation = generation;
        this.shard = shard;
        this.keepLast = keepLast;
        this.keepFor = keepFor;
        this.abandonAfter = abandonAfter;
    }

    @Override
    public void onInit(List<? extends IndexCommit> commits) throws IOException {
        apply(commits, true);
    }

    @Override
    public void onCommit(List<? extends IndexCommit> commits) throws IOException {
        apply(commits, false);
    }

    private void apply(List<? extends IndexCommit> commits, boolean init) throws IOException {
        if (commits.isEmpty()) {
            return;
        }
        long published;
        PointId pinned = null;
        try {
            published = generation.published(shard).map(PublishedMarker::luceneGeneration).orElse(-1L);
            Optional<Manifest> manifest = root.manifest();
            if (manifest.isPresent() && manifest.get().live().equals(generation.id())) {
                pinned = manifest.get().pinnedPoint();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the publication state of {} shard {}; keeping every commit this time",
                    generation.id(), shard, e);
            return;
        }
        List<Generation.ShardCommit> all = new ArrayList<>();
        for (IndexCommit c : commits) {
            all.add(new Generation.ShardCommit(c, CommitData.fromUserData(c.getUserData())));
        }
        Set<Long> keep = new HashSet<>();
        long cutoff = System.currentTimeMillis() - keepFor.toMillis();
        Generation.ShardCommit newestBeforeCutoff = null;
        for (int i = 0; i < all.size(); i++) {
            Generation.ShardCommit c = all.get(i);
            long gen = c.commit().getGeneration();
            if (init && abandonAfter >= 0 && gen > abandonAfter) {
                continue; // prepared for a checkpoint that never completed
            }
            if (i >= all.size() - keepLast || gen >= published || c.data().committedAtMillis() >= cutoff) {
                keep.add(gen);
            } else {
                newestBeforeCutoff = c;
            }
        }
        if (newestBeforeCutoff != null) {
            keep.add(newestBeforeCutoff.commit().getGeneration());
        }
        if (pinned != null) {
            Generation.ShardCommit p = Generation.resolve(all, pinned);
            if (p != null) {
                keep.add(p.commit().getGeneration());
            }
        }
        if (!init || abandonAfter < 0) {
            keep.add(commits.getLast().getGeneration()); // the writer's current commit
        } else {
            keep.add(abandonAfter);
        }
        for (IndexCommit c : commits) {
            if (!keep.contains(c.getGeneration())) {
                c.delete();
            }
        }
    }
}
