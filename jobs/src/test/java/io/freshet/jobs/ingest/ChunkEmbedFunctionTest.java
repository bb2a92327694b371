package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.ChangeOp;
import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.embedding.EmbeddingModelId;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ChunkEmbedFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ChunkEmbedFunction(
                new DefaultComponents(EmbeddingModelId.ALL_MINILM_L6_V2, 64, 8))), SourceChange::documentId, Types.STRING);
    }

    /** The default chunker with a counting embedder; the count is static because the harness may copy the function. */
    record CountingComponents() implements ChunkEmbedFunction.Components {
        static final IncrementalEmbedderTest.CountingEmbedder EMBEDDER = new IncrementalEmbedderTest.CountingEmbedder();

        @Override
        public io.freshet.core.Chunker chunker() {
            return new io.freshet.core.chunk.RecursiveChunker(200, 32, new io.freshet.core.chunk.WhitespaceTokenCounter());
        }

        @Override
        public io.freshet.core.Embedder embedder() {
            return EMBEDDER;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceChange, IndexAction> counting() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ChunkEmbedFunction(
                new CountingComponents())), SourceChange::documentId, Types.STRING);
    }

    @Test
    void anAclOnlyChangeReusesTheVectorsAcrossACheckpointRestore() throws Exception {
        SourceDocument doc = new SourceDocument("d3", "Runbook", "Restart the ingest job after a failover.",
                List.of("group:eng"), "acme", 1L);
        IndexAction first;
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = counting()) {
            h.open();
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.CREATE, "d3", doc, "src", "p1", 10L)));
            first = h.extractOutputValues().get(0);
            snapshot = h.snapshot(1, 1);
        }
        int embeddedBefore = CountingComponents.EMBEDDER.texts.get();
        try (var restored = counting()) {
            restored.initializeState(snapshot);
            restored.open();
            SourceDocument revoked = new SourceDocument("d3", "Runbook", doc.body(), List.of("group:sre"), "acme", 2L);
            restored.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d3", revoked, "src", "p2", 11L)));
            restored.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d3", revoked, "src", "p3", 12L)));
            List<IndexAction> out = restored.extractOutputValues();
            assertThat(out).as("the ACL change, then the repeated change re-indexed as it is").hasSize(2);
            assertThat(out.get(0).document().acl()).containsExactly("group:sre");
            assertThat(out.get(0).chunks().get(0).vector()).isEqualTo(first.chunks().get(0).vector());
            assertThat(out.get(1).position()).isEqualTo("p3");
            assertThat(CountingComponents.EMBEDDER.texts.get()).as("nothing embedded after the restore")
                    .isEqualTo(embeddedBefore);
        }
    }

    @Test
    void upsertCarriesEveryChunkWithItsVectorAndDeleteStaysADelete() throws Exception {
        String body = ("Replication lag alerts fire at thirty seconds. ".repeat(30) + "\n\n"
                + "Promote the standby with pg_promote. ".repeat(30)).trim();
        SourceDocument doc = new SourceDocument("d1", "Runbook", body, List.of("group:eng"), "acme", 1L);
        try (var harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.CREATE, "d1", doc, "src", "p1", 10L)));
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
        SourceDocument doc = new SourceDocument("d2", "Title only", "  ", List.of("group:eng"), "acme", 1L);
        try (var harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d2", doc, "src", "p", 1L)));
            IndexAction a = harness.extractOutputValues().get(0);
            assertThat(a.isDelete()).isFalse();
            assertThat(a.chunks()).isEmpty();
        }
    }
}
