package io.freshet.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    @Test
    void embedsWithTheShippedModelAndRanksRelatedTextHigher() {
        OnnxEmbedder embedder = OnnxEmbedder.onCallerThread(EmbeddingModelId.ALL_MINILM_L6_V2);
        List<float[]> v = embedder.embed(List.of(
                "How do I promote a PostgreSQL replica during a failover?",
                "Runbook: promoting the standby database when the primary fails",
                "Parental leave policy: sixteen weeks of paid leave"));
        assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
        assertThat(dot(v.get(0), v.get(0))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.2);
        assertThat(embedder.modelId()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void matchesLangChain4jOnShortInputsAndBatchesWithoutChangingVectors() {
        List<String> texts = List.of("short", "a somewhat longer sentence about replication slots in PostgreSQL",
                "x y z", "Permissions are checked before ranking, never after.");
        for (EmbeddingModelId id : EmbeddingModelId.values()) {
            List<float[]> ours = OnnxEmbedder.onCallerThread(id).embed(texts);
            List<float[]> theirs = new OnnxEmbedder(id, OnnxEmbedder.LongInput.AVERAGE_WINDOWS).embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = OnnxEmbedder.onCallerThread(id).embed(List.of(texts.get(i))).get(0);
                assertThat(dot(ours.get(i), theirs.get(i))).as(id + " vs LangChain4j: " + texts.get(i)).isGreaterThan(0.999);
                assertThat(dot(ours.get(i), alone)).as(id + " batched vs alone: " + texts.get(i)).isGreaterThan(0.9999);
            }
        }
    }

    @Test
    void cutsLongInputsAtTheTrainedLengthInsteadOfAveragingWindows() {
        OnnxEmbedder embedder = OnnxEmbedder.onCallerThread(EmbeddingModelId.ALL_MINILM_L6_V2);
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            head.append("replication ");
        }
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            tail.append("vacation ");
        }
        String text = head + tail.toString();
        assertThat(embedder.modelTokens(text)).isEqualTo(256);
        float[] cut = embedder.embed(List.of(text)).get(0);
        float[] headOnly = embedder.embed(List.of(head.toString())).get(0);
        assertThat(dot(cut, headOnly)).isGreaterThan(0.9999); // the tail is never seen
        float[] averaged = new OnnxEmbedder(EmbeddingModelId.ALL_MINILM_L6_V2, OnnxEmbedder.LongInput.AVERAGE_WINDOWS)
                .embed(List.of(text)).get(0);
        assertThat(dot(averaged, headOnly)).isLessThan(0.99); // LangChain4j mixes the tail in
    }

    @Test
    void bgeQueriesCarryTheRetrievalInstruction() {
        OnnxEmbedder bge = OnnxEmbedder.onCallerThread(EmbeddingModelId.BGE_SMALL_EN_V15);
        String q = "how are permissions enforced";
        assertThat(dot(bge.embedQuery(q), bge.embed(List.of(q)).get(0))).isLessThan(0.999);
        assertThat(dot(bge.embedQuery(q), bge.embed(List.of(EmbeddingModelId.BGE_SMALL_EN_V15.queryInstruction() + q)).get(0)))
                .isGreaterThan(0.9999);
        OnnxEmbedder minilm = OnnxEmbedder.onCallerThread(EmbeddingModelId.ALL_MINILM_L6_V2);
        assertThat(dot(minilm.embedQuery(q), minilm.embed(List.of(q)).get(0))).isGreaterThan(0.9999);
        assertThat(OnnxEmbedder.LongInput.of("average-windows")).isEqualTo(OnnxEmbedder.LongInput.AVERAGE_WINDOWS);
        assertThatThrownBy(() -> OnnxEmbedder.LongInput.of("chop")).hasMessageContaining("'chop'");
    }

    @Test
    void countsWordPieceTokens() {
        ModelTokenCounter counter = new ModelTokenCounter();
        assertThat(counter.count("hello world")).isBetween(2, 4);
        assertThat(counter.count("unbelievably")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unknownModelIsNamed() {
        assertThatThrownBy(() -> EmbeddingModelId.of("gpt-9"))
                .hasMessageContaining("embedding.model")
                .hasMessageContaining("gpt-9");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
