package io.freshet.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.SearchResult;
import io.freshet.index.write.ChunkIndexWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkIndexTest {

    @TempDir
    Path dir;

    private static final Principal ALICE = new Principal("alice", Set.of("eng"), "acme");
    private static final Principal BOB = new Principal("bob", Set.of("hr"), "acme");
    private static final Principal GINA = new Principal("gina", Set.of("eng"), "globex");

    @Test
    void upsertReplacesDeleteRemovesAndPermissionsFilterInsideTheSearch() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "test-model", "test-chunker");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            assertThat(searcher.hasCommit()).isFalse();
            writer.apply(upsert("d1", "acme", List.of("group:eng"), 3, 100));
            writer.apply(upsert("d2", "acme", List.of("group:hr"), 2, 200));
            writer.apply(upsert("d3", "globex", List.of("group:eng"), 1, 300));
            writer.commit();
            assertThat(searcher.refresh()).isTrue();

            // k larger than what alice may see: only d1's 3 chunks, never d2 (other group) or d3 (other tenant)
            SearchResult r = searcher.search(SearchRequest.vector(ALICE, unit(0), 10));
            assertThat(r.hits()).extracting(ChunkHit::documentId).containsOnly("d1").hasSize(3);
            assertThat(r.commit().watermarkMillis()).isEqualTo(300);
            assertThat(r.commit().model()).isEqualTo("test-model");
            // the pre-filter fills k with permitted chunks even when nearer forbidden ones exist
            assertThat(searcher.search(SearchRequest.vector(BOB, unit(0), 2)).hits()).extracting(ChunkHit::documentId)
                    .containsExactly("d2", "d2");
            assertThat(searcher.search(SearchRequest.vector(GINA, unit(0), 10)).hits()).extracting(ChunkHit::documentId)
                    .containsOnly("d3");

            // update: d1 shrinks to 1 chunk and moves to group hr
            writer.apply(upsert("d1", "acme", List.of("group:hr"), 1, 400));
            writer.apply(IndexAction.delete("d2", "t", "p", 500));
            writer.commit();
            assertThat(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)).hits()).as("before refresh").hasSize(3);
            searcher.refresh();
            assertThat(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)).hits()).isEmpty();
            assertThat(searcher.search(SearchRequest.vector(BOB, unit(0), 10)).hits()).extracting(ChunkHit::chunkId)
                    .containsExactly("d1#0");
            assertThat(searcher.servedCommit().watermarkMillis()).isEqualTo(500);
        }
    }

    @Test
    void userEntryGrantsAccess() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(upsert("secret", "acme", List.of("user:bob"), 1, 1));
            writer.commit();
            searcher.refresh();
            assertThat(searcher.search(SearchRequest.vector(BOB, unit(1), 5)).hits()).hasSize(1);
            assertThat(searcher.search(SearchRequest.vector(new Principal("mallory", Set.of("bob"), "acme"), unit(1), 5)).hits())
                    .as("a group named like a user grants nothing").isEmpty();
        }
    }

    @Test
    void reopeningTheWriterKeepsTheWatermark() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c")) {
            writer.apply(upsert("d", "acme", List.of("group:eng"), 1, 42));
            writer.commit();
        }
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.commit();
            assertThat(searcher.servedCommit().watermarkMillis()).isEqualTo(42);
        }
    }

    @Test
    void aWriterClosedOnAnInterruptedThreadDiscardsWhatItDidNotCommitWithoutThrowing() throws Exception {
        ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
        writer.apply(upsert("committed", "acme", List.of("group:eng"), 1, 1));
        writer.commit();
        writer.apply(upsert("not-committed", "acme", List.of("group:eng"), 1, 2));
        CancelledThread.close(writer);

        try (ChunkIndexWriter reopened = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            reopened.commit();
            assertThat(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)).hits())
                    .extracting(ChunkHit::documentId).containsExactly("committed");
        }
    }

    @Test
    void aCompletedSnapshotRemovesWhatItShowedToBeGone() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(upsert("kept-by-snapshot", "acme", List.of("group:eng"), 2, 100));
            writer.apply(upsert("deleted-while-down", "acme", List.of("group:eng"), 1, 150));
            long snapshotStart = 1_000;
            writer.apply(snapshotUpsert("kept-by-snapshot", snapshotStart + 5, snapshotStart));
            writer.apply(upsert("streamed-after-start", "acme", List.of("group:eng"), 1, snapshotStart + 50));
            writer.apply(IndexAction.reconcile("src", "pos", snapshotStart));
            writer.commit();
            searcher.refresh();
            assertThat(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)).hits()).extracting(ChunkHit::documentId)
                    .containsOnly("kept-by-snapshot", "streamed-after-start");
        }
    }

    @Test
    void aScopedReconcileRemovesOnlyTheDocumentsItSpeaksFor() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(upsert("gone-a", "acme", List.of("group:eng"), 2, 100));
            writer.apply(upsert("gone-b", "acme", List.of("group:eng"), 1, 110));
            long snapshotStart = 1_000;
            writer.apply(snapshotUpsert("read", snapshotStart + 5, snapshotStart));
            assertThat(writer.reconcile(snapshotStart, id -> id.endsWith("-a"))).containsExactly("gone-a");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.apply(IndexAction.reconcile("src", "pos",
                    snapshotStart).withScope(new IndexAction.ReconcileScope(0, 2, 128))))
                    .hasMessageContaining("reconcile(snapshotStart, owned)");
            writer.commit();
            searcher.refresh();
            assertThat(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)).hits()).extracting(ChunkHit::documentId)
                    .containsOnly("gone-b", "read");
            assertThat(writer.reconcile(snapshotStart, id -> true)).containsExactly("gone-b");
        }
    }

    private static IndexAction snapshotUpsert(String id, long time, long snapshotStart) {
        IndexAction a = upsert(id, "acme", List.of("group:eng"), 1, time);
        return new IndexAction(a.documentId(), a.document(), a.chunks(), a.source(), a.position(), a.sourceTimeMillis(),
                a.embeddingModel(), snapshotStart);
    }

    private static IndexAction upsert(String id, String tenant, List<String> acl, int chunks, long time) {
        SourceDocument doc = new SourceDocument(id, "Title " + id, "body", acl, tenant, time);
        List<EmbeddedChunk> embedded = new java.util.ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            embedded.add(new EmbeddedChunk(new Chunk(i, "x", 0, 1), unit(i % 4)));
        }
        return new IndexAction(id, doc, embedded, "test", "pos-" + time, time, "test-model");
    }

    private static float[] unit(int axis) {
        float[] v = new float[8];
        v[axis] = 1f;
        return v;
    }
}
