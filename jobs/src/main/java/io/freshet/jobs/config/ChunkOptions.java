package io.freshet.jobs.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How document bodies are cut into chunks. */
public final class ChunkOptions {
    private ChunkOptions() {}

    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("chunk.max-tokens")
            .intType()
            .defaultValue(200)
            .withDescription("Most model tokens in one chunk. all-MiniLM-L6-v2 was trained on 256-token inputs; stay below.");

    public static final ConfigOption<Integer> OVERLAP_TOKENS = ConfigOptions.key("chunk.overlap-tokens")
            .intType()
            .defaultValue(32)
            .withDescription("Tokens repeated from the end of one chunk at the start of the next; at most half of chunk.max-tokens.");
}
