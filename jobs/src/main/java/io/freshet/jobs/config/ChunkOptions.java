package io.freshet.jobs.config;

import io.freshet.core.chunk.ChunkerSpec;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How document bodies are cut into chunks. */
public final class ChunkOptions {
    private ChunkOptions() {}

    public static final ConfigOption<String> STRATEGY = ConfigOptions.key("chunk.strategy")
            .stringType()
            .defaultValue("recursive")
            .withDescription("recursive (token-bounded, paragraphs first, with overlap), markdown (sections at headings, "
                    + "the heading path kept with each chunk) or sentences (windows of sentences within paragraphs).");

    public static final ConfigOption<Integer> WINDOW_SENTENCES = ConfigOptions.key("chunk.window-sentences")
            .intType()
            .defaultValue(3)
            .withDescription("Sentences per chunk with chunk.strategy=sentences.");

    public static final ConfigOption<Integer> WINDOW_OVERLAP = ConfigOptions.key("chunk.window-overlap")
            .intType()
            .defaultValue(1)
            .withDescription("Sentences shared by consecutive windows with chunk.strategy=sentences.");

    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("chunk.max-tokens")
            .intType()
            .defaultValue(200)
            .withDescription("Most model tokens in one chunk. all-MiniLM-L6-v2 was trained on 256-token inputs; stay below.");

    public static final ConfigOption<Integer> OVERLAP_TOKENS = ConfigOptions.key("chunk.overlap-tokens")
            .intType()
            .defaultValue(32)
            .withDescription("Tokens repeated from the end of one chunk at the start of the next; at most half of chunk.max-tokens.");

    /** The chunker {@code config} selects; a bad value fails here, naming its key. */
    public static ChunkerSpec spec(org.apache.flink.configuration.ReadableConfig config) {
        return new ChunkerSpec(ChunkerSpec.Strategy.of(config.get(STRATEGY)), config.get(MAX_TOKENS),
                config.get(OVERLAP_TOKENS), config.get(WINDOW_SENTENCES), config.get(WINDOW_OVERLAP));
    }
}
