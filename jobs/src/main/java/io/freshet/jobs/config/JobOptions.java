package io.freshet.jobs.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How the ingest job runs. */
public final class JobOptions {
    private JobOptions() {}

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("job.checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Checkpoint interval. The index commits at each checkpoint, so this bounds change-to-searchable latency.");

    public static final ConfigOption<Integer> EMBED_PARALLELISM = ConfigOptions.key("job.embed-parallelism")
            .intType()
            .defaultValue(1)
            .withDescription("Parallel chunk-and-embed subtasks. The ONNX runtime already uses every core per subtask.");

    public static final ConfigOption<Integer> MAX_BODY_CHARS = ConfigOptions.key("source.max-body-chars")
            .intType()
            .defaultValue(1_000_000)
            .withDescription("Bodies longer than this are rejected as malformed events.");
}
