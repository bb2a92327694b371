package io.freshet.jobs.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Which embedding model the pipeline and the service use. */
public final class EmbeddingOptions {
    private EmbeddingOptions() {}

    public static final ConfigOption<String> MODEL = ConfigOptions.key("embedding.model")
            .stringType()
            .defaultValue("all-minilm-l6-v2")
            .withDescription("In-process ONNX model: all-minilm-l6-v2 (fast) or bge-small-en-v1.5 (better, about 2.5x "
                    + "the cost); all-minilm-l6-v2-q and bge-small-en-v1.5-q are their int8-quantized forms, faster on a CPU.");
}
