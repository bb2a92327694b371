package io.freshet.app.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The local profile: what {@code freshet up} starts. */
public final class LocalOptions {
    private LocalOptions() {}

    public static final ConfigOption<String> WORK_DIR = ConfigOptions.key("local.work-dir")
            .stringType()
            .defaultValue(".freshet")
            .withDescription("Working directory for the index, checkpoints and logs; relative to the Freshet home.");

    public static final ConfigOption<Boolean> FRESH_START = ConfigOptions.key("local.fresh-start")
            .booleanType()
            .defaultValue(true)
            .withDescription("Start from an empty index and a new database at each start.");

    public static final ConfigOption<Integer> POSTGRES_PORT = ConfigOptions.key("source.postgres.port")
            .intType()
            .defaultValue(0)
            .withDescription("Port of the embedded PostgreSQL on 127.0.0.1; 0 picks a free port.");

    public static final ConfigOption<String> POSTGRES_HOST = ConfigOptions.key("source.postgres.host")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("PostgreSQL host for `freshet ingest`; `freshet up` always uses its embedded server.");

    public static final ConfigOption<String> POSTGRES_USER = ConfigOptions.key("source.postgres.user")
            .stringType()
            .defaultValue("postgres")
            .withDescription("PostgreSQL user with the REPLICATION attribute.");

    public static final ConfigOption<String> POSTGRES_PASSWORD = ConfigOptions.key("source.postgres.password")
            .stringType()
            .defaultValue("")
            .withDescription("Password of source.postgres.user.");

    public static final ConfigOption<String> POSTGRES_HEARTBEAT_TABLE = ConfigOptions.key("source.postgres.heartbeat-table")
            .stringType()
            .defaultValue("public.freshet_heartbeat")
            .withDescription("Table Freshet creates and writes at each Debezium heartbeat so the replication slot advances while the captured tables are idle; empty to disable.");

    public static final ConfigOption<java.time.Duration> POSTGRES_HEARTBEAT_INTERVAL =
            ConfigOptions.key("source.postgres.heartbeat-interval")
                    .durationType()
                    .defaultValue(java.time.Duration.ofSeconds(10))
                    .withDescription("Debezium heartbeat interval: how often the slot's confirmed position can move while the captured tables are idle.");

    public static final ConfigOption<String> POSTGRES_DATABASE = ConfigOptions.key("source.postgres.database")
            .stringType()
            .defaultValue("freshet")
            .withDescription("Database holding the documents table.");

    public static final ConfigOption<Boolean> SAMPLE_CORPUS = ConfigOptions.key("source.sample-corpus")
            .booleanType()
            .defaultValue(true)
            .withDescription("Load the shipped sample corpus into an empty documents table.");
}
