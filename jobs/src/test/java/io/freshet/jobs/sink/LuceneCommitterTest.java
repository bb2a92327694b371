package io.freshet.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceDocument;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.PublishedMarker;
import io.freshet.index.write.ChunkIndexWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneCommitterTest {

    @TempDir
    Path dir;

    @Test
    void eachCommittableRedeliveredThreeTimesLeavesTheIndexIdentical() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        Generation g = root.generationForIngest(1, "m", "c");
        int run = root.runSeq(g, "run-1");
        try (ChunkIndexWriter w = new ChunkIndexWriter(g.shardDir(0), "m", "c")) {
            w.commit(0, "run-1", run);
            for (long checkpoint = 1; checkpoint <= 3; checkpoint++) {
                w.apply(upsert("d" + checkpoint));
                w.commit(checkpoint, "run-1", run);
                ShardCommittable c = new ShardCommittable(dir.toString(), g.id(), 0, "run-1", run, checkpoint);
                assertThat(LuceneCommitter.commit(c)).as("first delivery of %s", checkpoint).isTrue();
                PublishedMarker published = g.published(0).orElseThrow();
                Map<String, Long> files = files(g.dir());
                for (int redelivery = 0; redelivery < 3; redelivery++) {
                    assertThat(LuceneCommitter.commit(c)).as("re-delivery %s of %s", redelivery, checkpoint).isFalse();
                    // an older committable of the same run, re-delivered after a restore, changes nothing either
                    assertThat(LuceneCommitter.commit(c.at(checkpoint - 1))).isFalse();
                    assertThat(g.published(0)).contains(published);
                    assertThat(files(g.dir())).isEqualTo(files);
                }
                assertThat(g.head().orElseThrow().checkpoint()).isEqualTo(checkpoint);
            }
            // a checkpoint in which the shard did not change publishes its last commit again
            assertThat(LuceneCommitter.commit(new ShardCommittable(dir.toString(), g.id(), 0, "run-1", run, 4))).isTrue();
            assertThat(g.published(0).orElseThrow().luceneGeneration())
                    .isEqualTo(g.points().getLast().shardCommits().getFirst());
        }
    }

    @Test
    void serializersRoundTrip() throws Exception {
        ShardCommittable c = new ShardCommittable("/r", "g0001", 2, "run", 3, 44);
        var s = new ShardCommittable.Serializer();
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
        var w = new LuceneWriterState.Serializer();
        assertThat(w.deserialize(w.getVersion(), w.serialize(new LuceneWriterState("run")))).isEqualTo(new LuceneWriterState("run"));
    }

    private static Map<String, Long> files(Path dir) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p));
            }
        }
        return out;
    }

    private static IndexAction upsert(String id) {
        SourceDocument doc = new SourceDocument(id, "t", "body", List.of("group:eng"), "acme", 1);
        return new IndexAction(id, doc, List.of(new EmbeddedChunk(new Chunk(0, "body", 0, 4), new float[] {1, 0})),
                "test", "{\"topic\":\"t\",\"partition\":0,\"offset\":7}", 1, "m");
    }
}
