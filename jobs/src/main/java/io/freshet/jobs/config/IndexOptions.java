package io.freshet.jobs.config;

import io.freshet.index.lifecycle.QualityGate;
import io.freshet.index.schema.VectorFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Where the index lives, how it is sharded, which commit points it keeps, and what promotion requires. */
public final class IndexOptions {
    private IndexOptions() {}

    public static final ConfigOption<String> DIR = ConfigOptions.key("index.dir")
            .stringType()
            .defaultValue("index")
            .withDescription("Index root (generations, manifest, audit log); relative paths resolve against local.work-dir.");

    public static final ConfigOption<Integer> SHARDS = ConfigOptions.key("index.shards")
            .intType()
            .defaultValue(1)
            .withDescription("Shards per generation = the Lucene sink's parallelism. Documents are split by id; "
                    + "queries fan out to every shard. Fixed for a generation.");

    public static final ConfigOption<String> VECTOR_FORMAT = ConfigOptions.key("index.vector-format")
            .stringType()
            .defaultValue("hnsw")
            .withDescription("How new segments store and graph chunk vectors: hnsw (float32) or int8-hnsw (int8 "
                    + "scalar-quantized graph, a quarter of the memory to search; float vectors kept and used to rescore). "
                    + "Recorded per segment: an index may mix both, and the service reads either.");

    /** The configured {@code index.vector-format}; an unknown name is an error naming it. */
    public static VectorFormat vectorFormat(Configuration config) {
        try {
            return VectorFormat.parse(config.get(VECTOR_FORMAT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VECTOR_FORMAT.key() + ": " + e.getMessage(), e);
        }
    }

    public static final ConfigOption<Integer> RETAIN_LAST = ConfigOptions.key("index.retention.keep-last")
            .intType()
            .defaultValue(20)
            .withDescription("Commit points kept per shard at least, for rollback.");

    public static final ConfigOption<Duration> RETAIN_FOR = ConfigOptions.key("index.retention.keep-for")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("Commit points younger than this are kept too, for rollback.");

    public static final ConfigOption<Boolean> GATE_REQUIRED = ConfigOptions.key("index.gate.required")
            .booleanType()
            .defaultValue(true)
            .withDescription("Promotion needs an evaluation report attached to the generation (freshet eval "
                    + "--generation) that clears the gate; false records the gate's result but never refuses.");

    public static final ConfigOption<Double> GATE_MAX_DROP = ConfigOptions.key("index.gate.max-ndcg10-drop")
            .doubleType()
            .defaultValue(0.01)
            .withDescription("How far any mode's nDCG@10 may fall below the live generation's report on the same data.");

    public static final ConfigOption<Double> GATE_MIN_KEYWORD = minNdcg("keyword");
    public static final ConfigOption<Double> GATE_MIN_VECTOR = minNdcg("vector");
    public static final ConfigOption<Double> GATE_MIN_HYBRID = minNdcg("hybrid");

    private static ConfigOption<Double> minNdcg(String mode) {
        return ConfigOptions.key("index.gate.min-ndcg10." + mode)
                .doubleType()
                .noDefaultValue()
                .withDescription("Lowest " + mode + " nDCG@10 a generation's report may show to be promoted; unset: not checked.");
    }

    /** The promotion quality gate ({@code index.gate.*}). */
    public static QualityGate gate(Configuration config) {
        Map<String, Double> min = new LinkedHashMap<>();
        config.getOptional(GATE_MIN_KEYWORD).ifPresent(v -> min.put("keyword", v));
        config.getOptional(GATE_MIN_VECTOR).ifPresent(v -> min.put("vector", v));
        config.getOptional(GATE_MIN_HYBRID).ifPresent(v -> min.put("hybrid", v));
        return new QualityGate(config.get(GATE_REQUIRED), min, config.get(GATE_MAX_DROP));
    }
}
