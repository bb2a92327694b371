package io.freshet.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.index.schema.VectorFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnnCostBenchTest {

    @TempDir
    Path dir;

    @Test
    void filterSpecsParseAndBadOnesAreNamed() {
        assertThat(KnnCostBench.FilterSpec.parse("10")).isEqualTo(new KnnCostBench.FilterSpec(10, 1.0));
        assertThat(KnnCostBench.FilterSpec.parse(" 50:0.04")).isEqualTo(new KnnCostBench.FilterSpec(50, 0.04));
        for (String bad : List.of("7", "10:0", "10:1.5", "10:NaN", "ten", "10:0.5:1", "")) {
            assertThatThrownBy(() -> KnnCostBench.FilterSpec.parse(bad)).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void measuresGraphAndExactSearchOnASmallIndex() throws Exception {
        Path index = dir.resolve("idx");
        ServingBench.build(index, 3_000, VectorFormat.INT8_HNSW, 1, 1);
        Map<String, Object> result = KnnCostBench.run(index,
                List.of(KnnCostBench.FilterSpec.parse("50"), KnnCostBench.FilterSpec.parse("50:0.5")), 5, 1,
                dir.resolve("out/knn-cost.json"));

        List<Map<String, Object>> rows = (List<Map<String, Object>>) result.get("filters");
        assertThat(rows).hasSize(2);
        int all = (int) rows.get(0).get("admitted");
        int half = (int) rows.get(1).get("admitted");
        assertThat(all).isBetween(1_300, 1_700); // about 50% of 3,000
        assertThat(half).isBetween(all / 2 - 150, all / 2 + 150); // the time range keeps the first half of the chunks
        assertThat((double) rows.get(0).get("graph_recall_at_10")).isBetween(0.9, 1.0);
        assertThat(rows.get(1)).containsKeys("vector_graph_cpu_ms", "vector_exact_cpu_ms", "vector_default_cpu_ms",
                "hybrid_graph_cpu_ms", "hybrid_exact_cpu_ms", "hybrid_default_cpu_ms", "hybrid_graph40_cpu_ms");
        assertThat(dir.resolve("out/knn-cost.json")).exists();
    }
}
