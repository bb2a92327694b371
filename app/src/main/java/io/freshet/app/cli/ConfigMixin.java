package io.freshet.app.cli;

import io.freshet.app.config.FreshetConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The {@code --config} and {@code --set} options every command that reads configuration shares. */
final class ConfigMixin {

    @Option(names = "--config", description = "Configuration file (default: conf/freshet.yaml in the Freshet home).")
    Path configFile;

    @Option(names = {"-s", "--set"}, description = "Override a configuration key, e.g. --set serving.port=9000.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The Freshet home: where the launcher lives; relative paths in the configuration resolve against it. */
    static Path home() {
        return Path.of(System.getProperty("freshet.home", ".")).toAbsolutePath().normalize();
    }

    /**
     * Loads the file, then applies {@code --set} overrides.
     *
     * @throws IllegalArgumentException naming a bad key or value
     */
    Configuration load() throws IOException {
        Path file = configFile != null ? configFile : home().resolve("conf/freshet.yaml");
        Configuration config = FreshetConfig.load(file);
        if (overrides.isEmpty()) {
            return config;
        }
        Map<String, String> merged = new LinkedHashMap<>(config.toMap());
        merged.putAll(overrides);
        return FreshetConfig.fromMap(merged, file + " and --set");
    }
}
