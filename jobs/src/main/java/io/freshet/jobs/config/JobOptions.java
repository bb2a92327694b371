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

    public static final ConfigOption<String> DEAD_LETTER_PATH = ConfigOptions.key("job.dead-letter-path")
            .stringType()
            .defaultValue("dead-letters")
            .withDescription("Directory of the dead-letter JSONL file (relative to local.work-dir) when no Kafka dead-letter topic is set.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOptions.key("job.dead-letter-topic")
            .stringType()
            .defaultValue("freshet-dead-letters")
            .withDescription("Kafka topic for dead letters when source.kind=kafka (the JSONL file is used otherwise).");

    public static final ConfigOption<String> RESTART_STRATEGY = ConfigOptions.key("job.restart-strategy")
            .stringType()
            .defaultValue("exponential-delay")
            .withDescription("Flink restart strategy after a failure: exponential-delay, fixed-delay or none.");

    public static final ConfigOption<String> RESTORE = ConfigOptions.key("job.restore")
            .stringType()
            .defaultValue("latest")
            .withDescription("Where `freshet ingest` starts from: 'latest' (newest retained checkpoint, if any), 'none', or a checkpoint/savepoint path.");

    public static final ConfigOption<Integer> RETAINED_CHECKPOINTS = ConfigOptions.key("job.retained-checkpoints")
            .intType()
            .defaultValue(3)
            .withDescription("Completed checkpoints kept on disk (also kept when the job is cancelled).");

}
