package io.freshet.app.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The retrieval service. */
public final class ServingOptions {
    private ServingOptions() {}

    public static final ConfigOption<String> HOST = ConfigOptions.key("serving.host")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Address the retrieval service binds.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("serving.port")
            .intType()
            .defaultValue(8765)
            .withDescription("Port of the retrieval service; 0 picks a free one.");

    public static final ConfigOption<Boolean> DEV_IDENTITY = ConfigOptions.key("serving.dev-identity")
            .booleanType()
            .defaultValue(false)
            .withDescription("Trust X-Freshet-Dev-* identity headers. Local development only; refused on a non-loopback host.");

    public static final ConfigOption<Duration> REFRESH_INTERVAL = ConfigOptions.key("serving.refresh-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("How often the service looks for a new index commit.");
}
