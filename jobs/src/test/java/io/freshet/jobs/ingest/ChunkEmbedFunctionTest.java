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
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ChunkEmbedFunctionTest {

    @Test
    void upsertCarriesEveryChunkWithItsVectorAndDeleteStaysADelete() throws Exception {
        String body = ("Replication lag alerts fire at thirty seconds. ".repeat(30) + "\n\n"
                + "Promote the standby with pg_promote. ".repeat(30)).trim();
        SourceDocument doc = new SourceDocument("d1", "Runbook", body, List.of("group:eng"), "acme", 1L);
        try (var harness = new OneInputStreamOperatorTestHarness<SourceChange, IndexAction>(
                new StreamMap<>(new ChunkEmbedFunction(new DefaultComponents(EmbeddingModelId.ALL_MINILM_L6_V2, 64, 8))))) {
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
        try (var harness = new OneInputStreamOperatorTestHarness<SourceChange, IndexAction>(
                new StreamMap<>(new ChunkEmbedFunction(new DefaultComponents(EmbeddingModelId.ALL_MINILM_L6_V2, 64, 8))))) {
            harness.open();
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d2", doc, "src", "p", 1L)));
            IndexAction a = harness.extractOutputValues().get(0);
            assertThat(a.isDelete()).isFalse();
            assertThat(a.chunks()).isEmpty();
        }
    }
}
