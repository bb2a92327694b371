package io.freshet.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.index.schema.VectorFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingBenchTest {

    @TempDir
    Path dir;

    @Test
    void serverTimingHeaderParses() {
        assertThat(ServingBench.serverTiming("embed;dur=0.03, keyword;dur=0.7,vector;dur=3.1, app;dur=4.62"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("embed", 0.03, "keyword", 0.7, "vector", 3.1, "app", 4.62));
        assertThat(ServingBench.serverTiming("")).isEmpty();
        assertThat(ServingBench.serverTiming("app;desc=x, fuse;dur=abc, total;dur=1")).containsOnlyKeys("total");
        assertThat(ServingBench.serverTiming("db; dur=2.5;desc=\"x\", cache;desc=\"hit\";dur=0.1"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("db", 2.5, "cache", 0.1));
    }

    @Test
    void loadClientKindsParseAndAnUnknownOneIsNamed() {
        assertThat(LoadClient.Kind.parse(" JDK")).isEqualTo(LoadClient.Kind.JDK);
        assertThat(LoadClient.Kind.parse("apache")).isEqualTo(LoadClient.Kind.APACHE);
        assertThatThrownBy(() -> LoadClient.Kind.parse("curl")).hasMessageContaining("'curl'");
    }

    /** The whole benchmark on a small index, for a few seconds: every request answered, every figure reported. */
    @Test
    @SuppressWarnings("unchecked")
    void measuresTheServiceAndLuceneOnASmallIndex() throws Exception {
        Path index = dir.resolve("idx");
        ServingBench.build(index, 3_000, VectorFormat.INT8_HNSW, 1, 1);
        Map<String, Object> result = ServingBench.run(new ServingBench.Options(index, List.of(20), List.of(50),
                Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, true, 5, false, LoadClient.Kind.RAW, dir.resolve("out/serving.json")));

        List<Map<String, Object>> runs = (List<Map<String, Object>>) result.get("runs");
        assertThat(runs).hasSize(1);
        Map<String, Object> service = (Map<String, Object>) runs.get(0).get("service");
        assertThat(service).containsEntry("requests", 40).containsEntry("errors", 0);
        assertThat(service).containsKeys("end_to_end_ms", "vector_ms", "server_ms", "outside_server_ms");
        Map<String, Double> e2e = (Map<String, Double>) service.get("end_to_end_ms");
        Map<String, Double> server = (Map<String, Double>) service.get("server_ms");
        assertThat(e2e.get("p50")).isGreaterThanOrEqualTo(server.get("p50"));
        assertThat((Map<String, Object>) service.get("cpu")).containsKey("service_and_load_generator_cpu_ms_per_request");
        Map<String, Object> rawOpen = (Map<String, Object>) runs.get(0).get("raw_lucene_open_loop");
        assertThat((double) ((Map<String, Object>) rawOpen.get("cpu")).get("raw_cpu_ms_per_request")).isPositive();
        assertThat((Map<String, Double>) result.get("recall_at_10")).containsKey("50%");
        assertThat((Map<String, Double>) result.get("hybrid_vector_list_recall_at_20")).containsKey("50%");
        Map<String, Object> floor = (Map<String, Object>) runs.get(0).get("noise_floor");
        assertThat(floor).containsEntry("requests", 40).containsKeys("task_cpu_ms", "latency_ms", "over_20_ms");
        assertThat(service).containsKey("end_to_end_over_20_ms");
        assertThat(runs.get(0)).containsKeys("ratio_noise_floor_p50", "ratio_noise_floor_p99");
        assertThat(dir.resolve("out/serving.json")).exists();
    }
}
