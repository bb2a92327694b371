package io.freshet.jobs.config;

import io.freshet.connectors.mapping.TableMapping;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Which table feeds the index and how its columns map to a document. */
public final class SourceOptions {
    private SourceOptions() {}

    /** Where change events come from. */
    public enum Kind {
        /** Debezium's PostgreSQL connector in the embedded engine (source.postgres.*). */
        POSTGRES,
        /** Debezium JSON change events on Kafka topics written by Kafka Connect or Debezium Server (source.kafka.*). */
        KAFKA
    }

    public static final ConfigOption<Kind> KIND = ConfigOptions.key("source.kind")
            .enumType(Kind.class)
            .defaultValue(Kind.POSTGRES)
            .withDescription("postgres (Debezium embedded engine) or kafka (Debezium JSON on Kafka topics).");

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS = ConfigOptions.key("source.kafka.bootstrap-servers")
            .stringType()
            .defaultValue("")
            .withDescription("Kafka bootstrap servers for source.kind=kafka.");

    public static final ConfigOption<List<String>> KAFKA_TOPICS = ConfigOptions.key("source.kafka.topics")
            .stringType().asList().defaultValues()
            .withDescription("Debezium topics to read (semicolon-separated), e.g. dbserver1.public.documents.");

    public static final ConfigOption<String> KAFKA_GROUP_ID = ConfigOptions.key("source.kafka.group-id")
            .stringType()
            .defaultValue("freshet")
            .withDescription("Kafka consumer group id.");

    public static final ConfigOption<String> TABLE = ConfigOptions.key("source.table")
            .stringType()
            .defaultValue("public.documents")
            .withDescription("Captured table, as schema.table (PostgreSQL) or database.table (MySQL). Changes of other tables are ignored and counted.");

    public static final ConfigOption<String> ID_COLUMN = ConfigOptions.key("source.columns.id")
            .stringType().defaultValue("id").withDescription("Primary key column (text or integer).");

    public static final ConfigOption<String> TITLE_COLUMN = ConfigOptions.key("source.columns.title")
            .stringType().defaultValue("title").withDescription("Title column (text).");

    public static final ConfigOption<String> BODY_COLUMN = ConfigOptions.key("source.columns.body")
            .stringType().defaultValue("body").withDescription("Body column (text), chunked and embedded.");

    public static final ConfigOption<String> ACL_COLUMN = ConfigOptions.key("source.columns.acl")
            .stringType().defaultValue("acl")
            .withDescription("ACL column: text[] or comma-separated text of user:<name> / group:<name> entries.");

    public static final ConfigOption<String> TENANT_COLUMN = ConfigOptions.key("source.columns.tenant")
            .stringType().defaultValue("tenant").withDescription("Tenant column (text).");

    public static final ConfigOption<String> UPDATED_AT_COLUMN = ConfigOptions.key("source.columns.updated-at")
            .stringType().defaultValue("updated_at")
            .withDescription("Update-time column (timestamptz or epoch ms); empty when the table has none.");

    public static final ConfigOption<List<String>> METADATA_COLUMNS = ConfigOptions.key("source.columns.metadata")
            .stringType().asList().defaultValues()
            .withDescription("Extra columns kept as document metadata (semicolon-separated list).");

    public static final ConfigOption<Integer> MAX_BODY_CHARS = ConfigOptions.key("source.max-body-chars")
            .intType()
            .defaultValue(TableMapping.DEFAULT_MAX_BODY_CHARS)
            .withDescription("Bodies longer than this go to the dead-letter output.");

    /** The table mapping these options describe. */
    public static TableMapping tableMapping(Configuration config) {
        return new TableMapping(config.get(TABLE), config.get(ID_COLUMN), config.get(TITLE_COLUMN),
                config.get(BODY_COLUMN), config.get(ACL_COLUMN), config.get(TENANT_COLUMN), config.get(UPDATED_AT_COLUMN),
                config.get(METADATA_COLUMNS), config.get(MAX_BODY_CHARS));
    }
}
