package io.freshet.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.jobs.config.ChunkOptions;
import io.freshet.jobs.config.JobOptions;
import io.freshet.jobs.config.SourceOptions;
import io.freshet.connectors.mapping.TableMapping;
import java.nio.file.Files;
import io.freshet.serving.ServingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshetConfigTest {

    @TempDir
    Path dir;

    @Test
    void shippedConfigurationLoads() throws Exception {
        Configuration c = FreshetConfig.load(Path.of("..", "conf", "freshet.yaml"));
        assertThat(c.get(ChunkOptions.MAX_TOKENS)).isEqualTo(200);
        assertThat(c.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.get(ServingOptions.DEV_IDENTITY)).isFalse();
        ServingConfig serving = ServingOptions.servingConfig(c, dir, dir.resolve("work"));
        assertThat(serving.jwt().issuer()).isEqualTo("freshet-local");
        assertThat(serving.jwt().algorithms()).extracting(Object::toString).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(serving.rateLimitPerSecond()).isEqualTo(50.0);
        assertThat(dir.resolve("work/keys/local-signing-key.jwk")).exists();
        assertThat(SourceOptions.tableMapping(c)).isEqualTo(TableMapping.documentsTable());
        // every part the ingest job and the owner commands build from it
        assertThat(io.freshet.jobs.config.RedactionOptions.policy(c).enabled()).isFalse();
        assertThat(io.freshet.jobs.config.IndexOptions.gate(c)).isEqualTo(io.freshet.index.lifecycle.QualityGate.DEFAULT);
        assertThat(serving.ownerRole()).isEqualTo("index-owner");
        assertThat(io.freshet.jobs.config.IndexOptions.vectorFormat(c)).isEqualTo(io.freshet.index.schema.VectorFormat.HNSW);
        assertThat(ServingOptions.vectorSearch(c, null)).isEqualTo(io.freshet.index.search.VectorSearchOptions.DEFAULT);
        assertThat(c.get(ServingOptions.KNN_SEARCH_THREADS)).isEqualTo(2);
    }

    @Test
    void anUnquotedOffReadsAsOff() throws Exception {
        Path f = dir.resolve("off.yaml");
        java.nio.file.Files.writeString(f, "redaction:\n  mode: off\n  sources: \"public.hr:drop\"\n");
        var policy = io.freshet.jobs.config.RedactionOptions.policy(FreshetConfig.load(f));
        assertThat(policy.mode("freshet.public.documents")).isEqualTo(io.freshet.core.pii.RedactionMode.OFF);
        assertThat(policy.mode("freshet.public.hr")).isEqualTo(io.freshet.core.pii.RedactionMode.DROP);
    }

    @Test
    void metadataColumnsAreAList() {
        Configuration c = FreshetConfig.fromMap(Map.of("source.columns.metadata", "source_url;department"), "test");
        assertThat(SourceOptions.tableMapping(c).metadataColumns()).containsExactly("source_url", "department");
    }

    @Test
    void nestedAndFlatKeysBothWork() throws Exception {
        Path f = dir.resolve("f.yaml");
        Files.writeString(f, "chunk:\n  max-tokens: 128\nserving.port: 9000\n");
        Configuration c = FreshetConfig.load(f);
        assertThat(c.get(ChunkOptions.MAX_TOKENS)).isEqualTo(128);
        assertThat(c.get(ServingOptions.PORT)).isEqualTo(9000);
    }

    @Test
    void debeziumKeysPassThroughUntouched() {
        Configuration c = FreshetConfig.fromMap(Map.of(
                "source.debezium.connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "source.debezium.snapshot.mode", "never",
                "chunk.max-tokens", "100"), "test");
        assertThat(FreshetConfig.debeziumOverrides(c)).containsOnly(
                Map.entry("connector.class", "io.debezium.connector.mysql.MySqlConnector"),
                Map.entry("snapshot.mode", "never"));
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> FreshetConfig.fromMap(Map.of("chunk.max-tokenz", "3"), "test"))
                .hasMessageContaining("Unknown configuration key 'chunk.max-tokenz'");
    }

    @Test
    void badValueIsNamed() {
        assertThatThrownBy(() -> FreshetConfig.fromMap(Map.of("serving.port", "eighty"), "test"))
                .hasMessageContaining("serving.port")
                .hasMessageContaining("eighty");
    }

    @Test
    void badSearchAndVectorFormatValuesAreNamed() {
        assertThatThrownBy(() -> ServingOptions.vectorSearch(
                FreshetConfig.fromMap(Map.of("serving.knn.rescore-oversample", "0.5"), "test"), null))
                .hasMessageContaining("serving.knn.rescore-oversample").hasMessageContaining("0.5");
        assertThatThrownBy(() -> ServingOptions.vectorSearch(
                FreshetConfig.fromMap(Map.of("serving.knn.exact-max-candidates", "-1"), "test"), null))
                .hasMessageContaining("serving.knn.exact-max-candidates").hasMessageContaining("-1");
        assertThatThrownBy(() -> ServingOptions.vectorSearch(
                FreshetConfig.fromMap(Map.of("serving.knn.search-threads", "-2"), "test"), null))
                .hasMessageContaining("serving.knn.search-threads").hasMessageContaining("-2");
        assertThatThrownBy(() -> io.freshet.jobs.config.IndexOptions.vectorFormat(
                FreshetConfig.fromMap(Map.of("index.vector-format", "pq"), "test")))
                .hasMessageContaining("index.vector-format").hasMessageContaining("'pq'");
        assertThat(io.freshet.jobs.config.IndexOptions.vectorFormat(
                FreshetConfig.fromMap(Map.of("index.vector-format", "int8-hnsw"), "test")))
                .isEqualTo(io.freshet.index.schema.VectorFormat.INT8_HNSW);
    }

    @Test
    void missingFileGivesDefaults() throws Exception {
        assertThat(FreshetConfig.load(dir.resolve("none.yaml")).get(ServingOptions.DEV_IDENTITY)).isFalse();
    }
}
