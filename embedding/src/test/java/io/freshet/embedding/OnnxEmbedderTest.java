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
