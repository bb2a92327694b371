package io.freshet.jobs.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Where the index lives, how it is sharded and which commit points it keeps. */
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

    public static final ConfigOption<Integer> RETAIN_LAST = ConfigOptions.key("index.retention.keep-last")
            .intType()
            .defaultValue(20)
            .withDescription("Commit points kept per shard at least, for rollback.");

    public static final ConfigOption<Duration> RETAIN_FOR = ConfigOptions.key("index.retention.keep-for")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("Commit points younger than this are kept too, for rollback.");
}
