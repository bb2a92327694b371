package io.freshet.index.lifecycle;

import io.freshet.index.schema.CommitData;
import io.freshet.index.write.SourcePositions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Reads one index generation: a directory holding {@code generation.json} and, per shard, a Lucene index
 * ({@code shard-N}) with its publication marker ({@code shard-N.published.json}).
 *
 * <p>Every Lucene commit of a shard carries its run and checkpoint ({@link CommitData}); shards commit only
 * when they changed, so the state of shard N at point P is its newest commit at or before P. The generation's
 * head is the smallest point every shard has published, so a reader of the head sees every shard at the same
 * checkpoint.
 */
public final class Generation {

    private final Path dir;
    private final GenerationInfo info;

    Generation(Path dir, GenerationInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /** Opens the generation in {@code dir}. */
    public static Generation open(Path dir) throws IOException {
        GenerationInfo info = JsonFiles.read(dir.resolve(IndexRoot.GENERATION_FILE), GenerationInfo.class)
                .orElseThrow(() -> new IOException("not an index generation (no " + IndexRoot.GENERATION_FILE + "): " + dir));
        return new Generation(dir, info);
    }

    public GenerationInfo info() {
        return info;
    }

    public String id() {
        return info.id();
    }

    public Path dir() {
        return dir;
    }

    /** Lucene directory of shard {@code shard}. */
    public Path shardDir(int shard) {
        return dir.resolve("shard-" + shard);
    }

    Path markerFile(int shard) {
        return dir.resolve("shard-" + shard + ".published.json");
    }

    /** The newest checkpoint published for {@code shard}, if any. */
    public Optional<PublishedMarker> published(int shard) throws IOException {
        return JsonFiles.read(markerFile(shard), PublishedMarker.class);
    }

    /** Records that {@code shard} has published {@code marker} (atomic replace). */
    public void publish(int shard, PublishedMarker marker) throws IOException {
        JsonFiles.write(markerFile(shard), marker);
    }

    /** A shard's commit with its lineage. */
    public record ShardCommit(IndexCommit commit, CommitData data) {
        public PointId point() {
            return new PointId(Math.max(0, data.runSeq()), Math.max(0, data.checkpointId()));
        }
    }

    /** The commits of {@code shard} (oldest first) read from {@code directory}. */
    public static List<ShardCommit> commits(Directory directory) throws IOException {
        List<ShardCommit> out = new ArrayList<>();
        try {
            for (IndexCommit c : DirectoryReader.listCommits(directory)) {
                out.add(new ShardCommit(c, CommitData.fromUserData(c.getUserData())));
            }
        } catch (IndexNotFoundException e) {
            return List.of();
        }
        return out;
    }

    /** The newest point every shard has published; empty until each shard published once. */
    public Optional<PointId> head() throws IOException {
        PointId head = null;
        for (int s = 0; s < info.shards(); s++) {
            Optional<PublishedMarker> m = published(s);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            if (head == null || m.get().point().compareTo(head) < 0) {
                head = m.get().point();
            }
        }
        return Optional.ofNullable(head);
    }

    /**
     * The commit holding shard {@code shard}'s state at {@code point} in {@code directory} (the shard's Lucene
     * directory); an error when the shard no longer holds one.
     */
    public ShardCommit commitAt(Directory directory, int shard, PointId point) throws IOException {
        ShardCommit c = resolve(commits(directory), point);
        if (c == null) {
            throw new IOException("shard " + shard + " of " + id() + " holds no commit at or before " + point);
        }
        return c;
    }

    /** The newest commit at or before {@code point} among {@code commits}, or null. */
    public static ShardCommit resolve(List<ShardCommit> commits, PointId point) {
        ShardCommit best = null;
        for (ShardCommit c : commits) {
            if (c.point().compareTo(point) <= 0 && (best == null || c.commit().getGeneration() > best.commit().getGeneration())) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The commit points owners can serve or roll back to, oldest first: every point some shard committed,
     * up to the head, at which every shard still holds its commit.
     */
    public List<CommitPoint> points() throws IOException {
        Optional<PointId> head = head();
        if (head.isEmpty()) {
            return List.of();
        }
        List<List<ShardCommit>> shards = shardCommits();
        TreeSet<PointId> ids = new TreeSet<>();
        for (List<ShardCommit> commits : shards) {
            for (ShardCommit c : commits) {
                if (c.point().compareTo(head.get()) <= 0) {
                    ids.add(c.point());
                }
            }
        }
        ids.add(head.get());
        List<CommitPoint> out = new ArrayList<>();
        for (PointId id : ids) {
            CommitPoint p = point(id, shards);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The point {@code id}, or empty when it is past the head or some shard no longer holds its state there.
     * Any point up to the head resolves, also one at which no shard committed (a checkpoint without changes,
     * which may have been served as the head): it holds the same state as the newest commits before it.
     */
    public Optional<CommitPoint> point(PointId id) throws IOException {
        Optional<PointId> head = head();
        if (head.isEmpty() || id.compareTo(head.get()) > 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(point(id, shardCommits()));
    }

    private List<List<ShardCommit>> shardCommits() throws IOException {
        List<List<ShardCommit>> shards = new ArrayList<>();
        for (int s = 0; s < info.shards(); s++) {
            try (Directory d = FSDirectory.open(shardDir(s))) {
                shards.add(commits(d));
            }
        }
        return shards;
    }

    private CommitPoint point(PointId id, List<List<ShardCommit>> shards) {
        List<Long> gens = new ArrayList<>();
        long docs = 0;
        long chunks = 0;
        long watermark = 0;
        long committedAt = 0;
        Map<String, String> positions = new HashMap<>();
        CommitData any = null;
        for (List<ShardCommit> commits : shards) {
            ShardCommit c = resolve(commits, id);
            if (c == null) {
                return null; // this shard no longer holds its state at that point
            }
            gens.add(c.commit().getGeneration());
            docs += c.data().documents();
            chunks += c.data().chunks();
            watermark = Math.max(watermark, c.data().watermarkMillis());
            committedAt = Math.max(committedAt, c.data().committedAtMillis());
            mergePositions(positions, c.data().positions());
            any = c.data();
        }
        return new CommitPoint(info.id(), id, gens, docs, chunks, watermark, positions, committedAt, any.model(),
                any.modelVersion(), any.chunker(), any.chunkerHash());
    }

    /**
     * Merges shard positions: every shard holds all changes of a partition up to the checkpoint's source
     * position, so the newest offset any shard saw is a safe place to resume from for all of them. Kafka
     * offsets compare as numbers, Debezium offsets by {@link SourcePositions#debeziumOrder}.
     */
    static void mergePositions(Map<String, String> into, Map<String, String> shard) {
        for (Map.Entry<String, String> e : shard.entrySet()) {
            boolean debezium = e.getKey().equals(SourcePositions.DEBEZIUM);
            OptionalLong mine = debezium ? SourcePositions.debeziumOrder(shard) : SourcePositions.kafkaOffset(shard, e.getKey());
            OptionalLong theirs = debezium ? SourcePositions.debeziumOrder(into) : SourcePositions.kafkaOffset(into, e.getKey());
            if (mine.isPresent() && theirs.isPresent()) {
                if (mine.getAsLong() > theirs.getAsLong()) {
                    into.put(e.getKey(), e.getValue());
                }
            } else {
                into.putIfAbsent(e.getKey(), e.getValue());
            }
        }
    }
}
