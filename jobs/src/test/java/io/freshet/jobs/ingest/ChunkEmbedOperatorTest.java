package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.DeadLetter;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.core.chunk.RecursiveChunker;
import io.freshet.core.chunk.WhitespaceTokenCounter;
import io.freshet.embedding.EmbeddingModelId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChunkEmbedOperatorTest {

    private static final ChunkEmbedOperator.Settings FAST_RETRIES = new ChunkEmbedOperator.Settings(
            new EmbeddingBatcher.Settings(32, Duration.ofMillis(5), Duration.ofSeconds(10), 2, Duration.ofMillis(1)), 100);

    /** A counting embedder that can be held (to keep embeddings in flight) and that fails on inputs with POISON. */
    static final class GatedEmbedder implements Embedder {
        final IncrementalEmbedderTest.CountingEmbedder counting = new IncrementalEmbedderTest.CountingEmbedder();
        final Semaphore gate = new Semaphore(0);
        final AtomicBoolean held = new AtomicBoolean();

        @Override
        public List<float[]> embed(List<String> texts) {
            if (held.get()) {
                gate.acquireUninterruptibly();
                gate.release();
            }
            if (texts.stream().anyMatch(t -> t.contains("POISON"))) {
                throw new IllegalArgumentException("the model rejects this input");
            }
            return counting.embed(texts);
        }

        @Override
        public int dimension() {
            return counting.dimension();
        }

        @Override
        public String modelId() {
            return counting.modelId();
        }
    }

    /** The default chunker with {@link #EMBEDDER}; static because the harness serializes the components. */
    record TestComponents() implements ChunkEmbedOperator.Components {
        @Override
        public Chunker chunker() {
            return new RecursiveChunker(200, 32, new WhitespaceTokenCounter());
        }

        @Override
        public Embedder embedder() {
            return EMBEDDER;
        }
    }

    static GatedEmbedder EMBEDDER = new GatedEmbedder();

    @BeforeEach
    void freshEmbedder() {
        EMBEDDER = new GatedEmbedder();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> harness(
            ChunkEmbedOperator.Components components) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new ChunkEmbedOperator.Factory(components, FAST_RETRIES),
                SourceChange::documentId, Types.STRING);
    }

    /** Runs the harness's mails (finished embeddings) until {@code n} records were emitted. */
    private static List<IndexAction> awaitOutput(KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> h,
            int n) throws Exception {
        return awaitOutput(h, n, Duration.ofSeconds(20));
    }

    private static List<IndexAction> awaitOutput(KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> h,
            int n, Duration timeout) throws Exception {
        TaskMailbox mailbox = h.getTaskMailbox();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (h.extractOutputValues().size() + deadLetters(h).size() < n && System.nanoTime() < deadline) {
            Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
            } else {
                Thread.sleep(2);
            }
        }
        return h.extractOutputValues();
    }

    private static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> h) {
        var out = h.getSideOutput(ChunkEmbedOperator.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private static SourceChange change(String id, String body, List<String> acl, String position, long time) {
        return new SourceChange(ChangeOp.UPDATE, id, new SourceDocument(id, "Runbook", body, acl, "acme", time), "src",
                position, time);
    }

    @Test
    void upsertCarriesEveryChunkWithItsVectorAndDeleteStaysADelete() throws Exception {
        String body = ("Replication lag alerts fire at thirty seconds. ".repeat(30) + "\n\n"
                + "Promote the standby with pg_promote. ".repeat(30)).trim();
        SourceDocument doc = new SourceDocument("d1", "Runbook", body, List.of("group:eng"), "acme", 1L);
        try (var harness = harness(new DefaultComponents(EmbeddingModelId.ALL_MINILM_L6_V2, 64, 8))) {
            harness.open();
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.CREATE, "d1", doc, "src", "p1", 10L)));
            awaitOutput(harness, 1);
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "d1", null, "src", "p2", 11L)));
            List<IndexAction> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            IndexAction upsert = out.get(0);
            assertThat(upsert.chunks()).hasSizeGreaterThan(3);
            assertThat(upsert.embeddingModel()).isEqualTo("all-minilm-l6-v2");
            for (EmbeddedChunk c : upsert.chunks()) {
                Chunk chunk = c.chunk();
                assertThat(body.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
                assertThat(c.vector()).hasSize(384);
            }
            assertThat(upsert.chunks().get(upsert.chunks().size() - 1).chunk().endOffset()).isEqualTo(body.length());
            assertThat(out.get(1).isDelete()).isTrue();
            assertThat(out.get(1).position()).isEqualTo("p2");
        }
    }

    @Test
    void blankBodyYieldsAnUpsertWithoutChunks() throws Exception {
        try (var harness = harness(new TestComponents())) {
            harness.open();
            harness.processElement(new StreamRecord<>(change("d2", "  ", List.of("group:eng"), "p", 1L)));
            IndexAction a = awaitOutput(harness, 1).get(0);
            assertThat(a.isDelete()).isFalse();
            assertThat(a.chunks()).isEmpty();
        }
    }

    @Test
    void aRevocationIsSentAheadOfItsDocumentsContentAndTheContentCarriesIt() throws Exception {
        try (var h = harness(new TestComponents())) {
            h.open();
            h.processElement(new StreamRecord<>(change("d", "Version one.", List.of("group:eng", "group:ops"), "p1", 1L)));
            awaitOutput(h, 1);
            EMBEDDER.held.set(true);
            h.processElement(new StreamRecord<>(change("d", "Version two.", List.of("group:eng", "group:ops"), "p2", 2L)));
            h.processElement(new StreamRecord<>(change("d", "Version two.", List.of("group:ops"), "p3", 3L)));
            h.processElement(new StreamRecord<>(change("other", "Unrelated.", List.of("group:eng"), "p4", 4L)));
            List<IndexAction> now = h.extractOutputValues();
            assertThat(now).as("the revocation at once, while both embeddings wait").hasSize(2);
            assertThat(now.get(1).permissionsOnly()).isTrue();
            assertThat(now.get(1).document().acl()).containsExactly("group:ops");
            assertThat(now.get(1).chunks()).isEmpty();

            EMBEDDER.gate.release();
            List<IndexAction> out = awaitOutput(h, 4);
            IndexAction content = out.stream().filter(a -> a.documentId().equals("d") && !a.chunks().isEmpty())
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(content.document().body()).isEqualTo("Version two.");
            assertThat(content.document().acl()).as("the content never brings the older permissions back")
                    .containsExactly("group:ops");
            assertThat(content.position()).isEqualTo("p3");
            assertThat(out).hasSize(4);
        }
    }

    @Test
    void aNewerChangeOrADeleteWinsOverAnEmbeddingInFlight() throws Exception {
        try (var h = harness(new TestComponents())) {
            h.open();
            EMBEDDER.held.set(true);
            h.processElement(new StreamRecord<>(change("a", "First text.", List.of("group:eng"), "p1", 1L)));
            h.processElement(new StreamRecord<>(change("a", "Second text.", List.of("group:eng"), "p2", 2L)));
            h.processElement(new StreamRecord<>(change("b", "Soon gone.", List.of("group:eng"), "p3", 3L)));
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "b", null, "src", "p4", 4L)));
            assertThat(h.extractOutputValues()).hasSize(1).allMatch(IndexAction::isDelete);
            EMBEDDER.gate.release();
            // the superseded embeddings finish too, and must emit nothing
            List<IndexAction> out = awaitOutput(h, 3, Duration.ofSeconds(2));
            assertThat(out).hasSize(2);
            assertThat(out.get(1).documentId()).isEqualTo("a");
            assertThat(out.get(1).document().body()).isEqualTo("Second text.");
        }
    }

    @Test
    void aDocumentTheEmbedderRejectsIsDeadLetteredAndOthersInItsBatchAreIndexed() throws Exception {
        try (var h = harness(new TestComponents())) {
            h.open();
            EMBEDDER.held.set(true); // so that all three land in one batch
            h.processElement(new StreamRecord<>(change("ok1", "Fine text.", List.of("group:eng"), "p1", 1L)));
            h.processElement(new StreamRecord<>(change("bad", "A POISON text.", List.of("group:eng"), "p2", 2L)));
            h.processElement(new StreamRecord<>(change("ok2", "Also fine.", List.of("group:eng"), "p3", 3L)));
            EMBEDDER.gate.release();
            List<IndexAction> out = awaitOutput(h, 3);
            assertThat(out).extracting(IndexAction::documentId).containsExactlyInAnyOrder("ok1", "ok2");
            List<DeadLetter> dead = deadLetters(h);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).position()).isEqualTo("p2");
            assertThat(dead.get(0).reason()).contains("bad").contains("gave up after 2 attempts")
                    .contains("the model rejects this input");
        }
    }

    @Test
    void embeddingsInFlightAtACheckpointAreRedoneAfterTheRestoreAndAnAclOnlyChangeEmbedsNothing() throws Exception {
        OperatorSubtaskState snapshot;
        IndexAction first;
        try (var h = harness(new TestComponents())) {
            h.open();
            h.processElement(new StreamRecord<>(change("d3", "Restart the ingest job after a failover.",
                    List.of("group:eng"), "p1", 10L)));
            first = awaitOutput(h, 1).get(0);
            EMBEDDER.held.set(true);
            h.processElement(new StreamRecord<>(change("d4", "Waiting for its embedding.", List.of("group:eng"), "p2", 11L)));
            snapshot = h.snapshot(1, 1);
            EMBEDDER.gate.release(); // the harness finishes the operator on close, which waits for it
        }
        EMBEDDER = new GatedEmbedder();
        try (var restored = harness(new TestComponents())) {
            restored.initializeState(snapshot);
            restored.open();
            List<IndexAction> redone = awaitOutput(restored, 2);
            assertThat(redone.get(0).permissionsOnly()).as("its permissions go ahead again").isTrue();
            assertThat(redone.get(1).documentId()).isEqualTo("d4");
            assertThat(redone.get(1).chunks()).isNotEmpty();
            int embedded = EMBEDDER.counting.texts.get();
            SourceChange revoked = change("d3", "Restart the ingest job after a failover.", List.of("group:sre"), "p3", 12L);
            restored.processElement(new StreamRecord<>(revoked));
            restored.processElement(new StreamRecord<>(change("d3", revoked.document().body(), List.of("group:sre"), "p4", 13L)));
            List<IndexAction> out = restored.extractOutputValues().subList(2, restored.extractOutputValues().size());
            assertThat(out).as("the ACL change, then the repeated change re-indexed as it is").hasSize(2);
            assertThat(out.get(0).document().acl()).containsExactly("group:sre");
            assertThat(out.get(0).chunks().get(0).vector()).isEqualTo(first.chunks().get(0).vector());
            assertThat(out.get(1).position()).isEqualTo("p4");
            assertThat(EMBEDDER.counting.texts.get()).as("nothing embedded for them").isEqualTo(embedded);
        }
    }

    @Test
    void resumePositionsNeverPassAChangeStillBeingEmbedded() throws Exception {
        try (var h = harness(new TestComponents())) {
            h.open();
            h.processElement(new StreamRecord<>(change("b", "Indexed text.", List.of("group:eng"), "p1", 1L)));
            IndexAction.Progress first = awaitOutput(h, 1).get(0).effectiveProgress();
            assertThat(first.positions()).containsExactly("p1");
            EMBEDDER.held.set(true);
            h.processElement(new StreamRecord<>(change("a", "Waits for the embedder.", List.of("group:eng"), "p2", 2L)));
            h.processElement(new StreamRecord<>(change("b", "Indexed text.", List.of("group:ops"), "p3", 3L)));
            IndexAction overtaking = h.extractOutputValues().get(1);
            assertThat(overtaking.position()).isEqualTo("p3");
            assertThat(overtaking.effectiveProgress().held()).as("p2 still waits").isTrue();
            EMBEDDER.gate.release();
            IndexAction landed = awaitOutput(h, 3).get(2);
            assertThat(landed.position()).isEqualTo("p2");
            assertThat(landed.effectiveProgress()).as("nothing waits now: everything up to p3 is in")
                    .isEqualTo(new IndexAction.Progress(List.of("p3"), 3L));
        }
    }

    @Test
    void aSnapshotMarkerActsAtItsFirstCopyAfterTheSubtasksReadsAndSpeaksForItsDocumentsOnly() throws Exception {
        int keyGroups = 128;
        List<String> mine = java.util.Arrays.stream(MarkerRouting.markerKeys(keyGroups))
                .filter(k -> KeyGroupRangeAssignment.assignKeyToParallelOperator(k, keyGroups, 2) == 1).toList();
        String doc = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "doc-" + i)
                .filter(k -> KeyGroupRangeAssignment.assignKeyToParallelOperator(k, keyGroups, 2) == 1).findFirst()
                .orElseThrow();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new ChunkEmbedOperator.Factory(new TestComponents(),
                FAST_RETRIES), SourceChange::documentId, Types.STRING, keyGroups, 2, 1)) {
            h.open();
            SourceChange read = new SourceChange(ChangeOp.SNAPSHOT, doc, new SourceDocument(doc, "T",
                    "Read by the snapshot.", List.of("group:eng"), "acme", 5L), "src", "snap", 5L, 1_000L);
            h.processElement(new StreamRecord<>(read));
            SourceChange marker = SourceChange.snapshotCompleted("src", "end", 1_000L);
            h.processElement(new StreamRecord<>(marker.markerCopy(mine.get(0)))); // waits for the read's embedding
            h.processElement(new StreamRecord<>(marker.markerCopy(mine.get(1))));
            List<IndexAction> out = h.extractOutputValues();
            assertThat(out).extracting(IndexAction::documentId).first().isEqualTo(doc);
            assertThat(out).as("one reconcile for the two copies").hasSize(2);
            assertThat(out.get(1).reconcile()).isTrue();
            assertThat(out.get(1).snapshotStartMillis()).isEqualTo(1_000L);
            assertThat(out.get(1).scope()).as("it speaks for subtask 1's documents only")
                    .isEqualTo(new IndexAction.ReconcileScope(1, 2, keyGroups));
        }
    }

    @Test
    void aSnapshotReadTheEmbedderRejectsFailsTheTaskInsteadOfBeingReconciledAway() throws Exception {
        try (var h = harness(new TestComponents())) {
            h.open();
            SourceChange read = new SourceChange(ChangeOp.SNAPSHOT, "s1", new SourceDocument("s1", "T", "A POISON row.",
                    List.of("group:eng"), "acme", 1L), "src", "snap", 1L, 1_000L);
            h.processElement(new StreamRecord<>(read));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> awaitOutput(h, 1))
                    .hasMessageContaining("s1").hasMessageContaining("snapshot");
        }
    }
}
