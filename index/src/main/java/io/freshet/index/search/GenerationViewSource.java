package io.freshet.index.search;

import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.PointId;
import io.freshet.index.schema.CommitData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Serves what an index root's manifest says: the pinned point of the live generation, or else its head (the
 * newest point every shard has published). All shards are opened at that point and searched as one
 * {@link MultiReader}, so BM25 statistics and kNN span every shard and a query fans out to all of them.
 */
final class GenerationViewSource implements ViewSource {

    private final IndexRoot root;
    private final Map<Path, Directory> directories = new HashMap<>();

    GenerationViewSource(IndexRoot root) {
        this.root = root;
    }

    @Override
    public Optional<IndexRoot> indexRoot() {
        return Optional.of(root);
    }

    @Override
    public ServedView next(ServedView current, long version) throws IOException {
        Optional<IndexRoot.Served> served = root.served();
        if (served.isEmpty()) {
            return null; // nothing published yet: keep what is served
        }
        Generation g = served.get().generation();
        PointId target = served.get().point();
        String point = served.get().toString();
        if (current != null && current.point().equals(point)) {
            return null;
        }
        int shards = g.info().shards();
        List<DirectoryReader> readers = new ArrayList<>(shards);
        try {
            CommitData lineage = null;
            long oldest = Long.MAX_VALUE;
            for (int s = 0; s < shards; s++) {
                Directory d = directory(g.shardDir(s));
                Generation.ShardCommit c = g.commitAt(d, s, target);
                DirectoryReader previous = current != null && current.shards().size() == shards
                        && current.shards().get(s).directory() == d ? current.shards().get(s) : null;
                DirectoryReader r = previous == null ? null : DirectoryReader.openIfChanged(previous, c.commit());
                if (r == null && previous != null && previous.getIndexCommit().getGeneration() == c.commit().getGeneration()) {
                    previous.incRef();
                    r = previous;
                } else if (r == null) {
                    r = DirectoryReader.open(c.commit());
                }
                readers.add(r);
                lineage = lineage == null ? c.data() : merge(lineage, c.data());
                oldest = Math.min(oldest, c.data().committedAtMillis());
            }
            IndexReader reader = shards == 1 ? readers.getFirst()
                    : new MultiReader(readers.toArray(new IndexReader[0]), false);
            return new ServedView(reader, List.copyOf(readers), version, point, lineage, oldest);
        } catch (IOException | RuntimeException e) {
            for (DirectoryReader r : readers) {
                r.decRef();
            }
            throw e;
        }
    }

    /**
     * Permissions changed since a little before the view's oldest shard commit (the margin covers clocks of
     * writers on other machines), reloaded whenever the ACL store commits.
     */
    @Override
    public AclStore.Overlay overlay(ServedView view, AclStore.Overlay current) throws IOException {
        long since = view.oldestCommitMillis() - CLOCK_MARGIN_MILLIS;
        long version = AclStore.Overlay.currentVersion(root);
        if (current != null && current.version() == version && current.sinceMillis() == since) {
            return current;
        }
        return AclStore.Overlay.load(root, since);
    }

    /** Allowed clock difference between the writers of content and of the ACL store. */
    static final long CLOCK_MARGIN_MILLIS = 60_000;

    /** Lineage over shards: newest watermark and commit time, summed counts. */
    private static CommitData merge(CommitData a, CommitData b) {
        CommitData newer = b.watermarkMillis() > a.watermarkMillis() ? b : a;
        return new CommitData(newer.position(), Math.max(a.watermarkMillis(), b.watermarkMillis()), a.model(),
                a.chunker(), Math.max(a.committedAtMillis(), b.committedAtMillis()), a.analysis(), a.checkpointId(),
                a.runId(), a.runSeq(), a.positions(), a.documents() + b.documents(), a.chunks() + b.chunks(),
                a.modelVersion(), a.chunkerHash());
    }

    private Directory directory(Path p) throws IOException {
        Directory d = directories.get(p);
        if (d == null) {
            d = FSDirectory.open(p);
            directories.put(p, d);
        }
        return d;
    }

    @Override
    public void close() throws IOException {
        for (Directory d : directories.values()) {
            d.close();
        }
        directories.clear();
    }
}
