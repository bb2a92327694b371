package io.freshet.jobs.config;

import io.freshet.jobs.ingest.ChunkEmbedOperator;
import io.freshet.jobs.ingest.EmbeddingBatcher;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Which embedding model the pipeline and the service use, and how the pipeline calls it. */
public final class EmbeddingOptions {
    private EmbeddingOptions() {}

    public static final ConfigOption<String> MODEL = ConfigOptions.key("embedding.model")
            .stringType()
            .defaultValue("all-minilm-l6-v2")
            .withDescription("In-process ONNX model: all-minilm-l6-v2 (fast) or bge-small-en-v1.5 (better, about 2.5x "
                    + "the cost); all-minilm-l6-v2-q and bge-small-en-v1.5-q are their int8-quantized forms, faster on a CPU.");

    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("embedding.batch-size")
            .intType()
            .defaultValue(32)
            .withDescription("Chunk inputs per embedder call; chunk-embed batches across documents.");

    public static final ConfigOption<Duration> BATCH_WAIT = ConfigOptions.key("embedding.batch-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(20))
            .withDescription("How long a batch waits for more inputs once it has one.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("embedding.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long one embedder call may take before it is abandoned and tried again.");

    public static final ConfigOption<Integer> ATTEMPTS = ConfigOptions.key("embedding.attempts")
            .intType()
            .defaultValue(5)
            .withDescription("Calls per batch, then per document, before the document goes to the dead letters.");

    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("embedding.retry-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Wait after the first failed call, doubled after each further one (1+2+4+8 s with the defaults).");

    public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOptions.key("embedding.max-in-flight")
            .intType()
            .defaultValue(10_000)
            .withDescription("Embeddings per chunk-embed subtask running or waiting before it holds back content "
                    + "changes; permission changes and deletes still pass.");

    public static final ConfigOption<Integer> CACHE_SIZE = ConfigOptions.key("embedding.cache-size")
            .intType()
            .defaultValue(EmbeddingBatcher.Settings.DEFAULT_CACHE_SIZE)
            .withDescription("Recent chunk inputs (title and chunk text) whose vectors each chunk-embed subtask keeps, so "
                    + "a copy or repeated text reaching that subtask is not embedded again (about 1.6 KB each at 384 "
                    + "dimensions); 0 keeps none.");

    /** The chunk-embed settings in {@code config}. */
    public static ChunkEmbedOperator.Settings settings(org.apache.flink.configuration.ReadableConfig config) {
        return new ChunkEmbedOperator.Settings(new EmbeddingBatcher.Settings(config.get(BATCH_SIZE),
                config.get(BATCH_WAIT), config.get(TIMEOUT), config.get(ATTEMPTS), config.get(RETRY_BACKOFF),
                config.get(CACHE_SIZE)),
                config.get(MAX_IN_FLIGHT));
    }
}
