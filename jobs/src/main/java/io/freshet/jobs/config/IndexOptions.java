package io.freshet.jobs.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Where the index lives. */
public final class IndexOptions {
    private IndexOptions() {}

    public static final ConfigOption<String> DIR = ConfigOptions.key("index.dir")
            .stringType()
            .defaultValue("index")
            .withDescription("Index directory; relative paths resolve against local.work-dir.");
}
