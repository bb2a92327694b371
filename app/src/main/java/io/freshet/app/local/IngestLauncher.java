package io.freshet.app.local;

import io.freshet.app.config.FreshetConfig;
import io.freshet.app.config.LocalOptions;
import io.freshet.connectors.debezium.source.DebeziumSource;
import io.freshet.connectors.debezium.source.DebeziumSources;
import io.freshet.connectors.debezium.source.PostgresSlotReset;
import io.freshet.connectors.kafka.KafkaChangeSources;
import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.DeadLetter;
import io.freshet.core.RawChange;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.jobs.config.ChunkOptions;
import io.freshet.jobs.config.EmbeddingOptions;
import io.freshet.jobs.config.IndexOptions;
import io.freshet.jobs.config.RedactionOptions;
import io.freshet.jobs.config.JobOptions;
import io.freshet.jobs.config.SourceOptions;
import io.freshet.jobs.ingest.DefaultComponents;
import io.freshet.jobs.ingest.IngestJob;
import io.freshet.jobs.sink.DeadLetterFileSink;
import io.freshet.jobs.sink.DeadLetterKafkaSink;
import io.freshet.jobs.sink.LuceneSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import io.freshet.index.write.SourcePositions;
import org.apache.kafka.common.TopicPartition;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the ingest job to a local Flink cluster in this JVM, with checkpoints under
 * {@code <work dir>/checkpoints} that are retained when the job is cancelled, so a later run resumes from
 * the newest one.
 */
public final class IngestLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLauncher.class);
    /** Name of the checkpoint metadata file Flink writes when a checkpoint completes. */
    private static final String METADATA = "_metadata";

    private IngestLauncher() {}

    /** Where a PostgreSQL source lives. */
    public record Postgres(String host, int port, String database, String user, String password) {}

    /**
     * Builds and submits the ingest job.
     *
     * @param restoreFrom a checkpoint or savepoint to resume from, if any
     */
    public static JobClient launch(Configuration config, Path workDir, Postgres pg, Optional<Path> restoreFrom)
            throws Exception {
        return launch(config, workDir, pg, restoreFrom, Map.of(), 0);
    }

    /**
     * Builds and submits the ingest job; without a restore point, a Kafka source starts from
     * {@code replayPositions} (the commit point the live generation continues) under a consumer group of
     * its own for {@code epoch}.
     */
    public static JobClient launch(Configuration config, Path workDir, Postgres pg, Optional<Path> restoreFrom,
            Map<String, String> replayPositions, long epoch) throws Exception {
        TableMapping mapping = SourceOptions.tableMapping(config);
        Path indexDir = indexDir(config, workDir);
        EmbeddingModelId model = EmbeddingModelId.of(config.get(EmbeddingOptions.MODEL));
        DefaultComponents components = new DefaultComponents(model, ChunkOptions.spec(config));
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointsDir(workDir).toUri().toString());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, config.get(JobOptions.RETAINED_CHECKPOINTS));
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, config.get(JobOptions.RESTART_STRATEGY));
        // Embedding is slow next to reading: under a backlog an aligned barrier would wait behind every buffered
        // change, delaying checkpoints (and so index commits) by the whole backlog. Unaligned barriers overtake
        // in-flight changes, which are stored in the checkpoint; debloating keeps that in-flight data small.
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        flink.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
        restoreFrom.ifPresent(p -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
        env.enableCheckpointing(config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis());
        boolean kafka = config.get(SourceOptions.KIND) == SourceOptions.Kind.KAFKA;
        Map<TopicPartition, Long> startOffsets = restoreFrom.isPresent() ? Map.of() : kafkaStartOffsets(replayPositions);
        String group = config.get(SourceOptions.KAFKA_GROUP_ID) + (startOffsets.isEmpty() ? "" : "-epoch-" + epoch);
        Source<RawChange, ?, ?> source = kafka
                ? KafkaChangeSources.debeziumJson(config.get(SourceOptions.KAFKA_BOOTSTRAP_SERVERS),
                        config.get(SourceOptions.KAFKA_TOPICS), group, startOffsets)
                : new DebeziumSource(postgresProperties(config, pg, mapping.table()), new PostgresSlotReset());
        Sink<DeadLetter> deadLetters = kafka
                ? DeadLetterKafkaSink.create(config.get(SourceOptions.KAFKA_BOOTSTRAP_SERVERS),
                        config.get(JobOptions.DEAD_LETTER_TOPIC))
                : new DeadLetterFileSink(deadLetterDir(config, workDir));
        new IngestJob(source, mapping, components,
                new LuceneSink(indexDir, new LuceneSink.Settings(model.id(), model.version(),
                        components.chunkerDescription(), IndexOptions.vectorFormat(config), config.get(IndexOptions.RETAIN_LAST),
                        config.get(IndexOptions.RETAIN_FOR))),
                deadLetters,
                config.get(JobOptions.EMBED_PARALLELISM),
                config.get(IndexOptions.SHARDS)).redaction(RedactionOptions.policy(config))
                .dedup(io.freshet.jobs.config.DedupOptions.policy(config))
                .embedding(EmbeddingOptions.settings(config)).build(env);
        JobClient job = env.executeAsync("freshet-ingest");
        LOG.info("Ingest job {} submitted{}", job.getJobID(), restoreFrom.map(p -> ", restored from " + p).orElse(""));
        return job;
    }

    /** Kafka offsets to resume from: the one after each recorded offset. */
    static Map<TopicPartition, Long> kafkaStartOffsets(Map<String, String> positions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<String, String> e : positions.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            OptionalLong offset = SourcePositions.kafkaOffset(positions, e.getKey());
            if (slash > 0 && offset.isPresent()) {
                out.put(new TopicPartition(e.getKey().substring(0, slash), Integer.parseInt(e.getKey().substring(slash + 1))),
                        offset.getAsLong() + 1);
            }
        }
        return out;
    }

    private static Properties postgresProperties(Configuration config, Postgres pg, String table) throws SQLException {
        Properties props = DebeziumSources.postgres(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(), table);
        props.setProperty("heartbeat.interval.ms",
                Long.toString(config.get(LocalOptions.POSTGRES_HEARTBEAT_INTERVAL).toMillis()));
        props.putAll(FreshetConfig.debeziumOverrides(config));
        String heartbeat = config.get(LocalOptions.POSTGRES_HEARTBEAT_TABLE);
        if (heartbeat.isBlank()) {
            return props;
        }
        if (!heartbeat.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("source.postgres.heartbeat-table must be schema.table; got '" + heartbeat + "'");
        }
        String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database();
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + heartbeat + " (id int PRIMARY KEY, ts timestamptz NOT NULL)");
        }
        return DebeziumSources.withHeartbeatTable(props, heartbeat);
    }

    /** How long {@link #cancel} waits for the job to stop. */
    private static final long CANCEL_TIMEOUT_SECONDS = 30;

    /**
     * Cancels the job without a savepoint (retained checkpoints stay) and waits until it has stopped. A job that
     * already ended, or that does not stop in time, is left as it is.
     */
    public static void cancel(JobClient job) {
        try {
            job.cancel().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((r, e) -> null).get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Ingest job {} was not running or did not stop in time", job.getJobID(), e);
        }
    }

    /** The index directory the job writes. */
    public static Path indexDir(Configuration config, Path workDir) {
        return workDir.resolve(config.get(IndexOptions.DIR));
    }

    /** The directory of the dead-letter files. */
    public static Path deadLetterDir(Configuration config, Path workDir) {
        return workDir.resolve(config.get(JobOptions.DEAD_LETTER_PATH));
    }

    /** The directory checkpoints are written to. */
    public static Path checkpointsDir(Path workDir) {
        return workDir.resolve("checkpoints");
    }

    /**
     * Resolves {@link JobOptions#RESTORE}: {@code none}, {@code latest} (the newest completed checkpoint
     * under the work directory, if any) or an explicit path, which must exist.
     */
    public static Optional<Path> restorePoint(Configuration config, Path workDir) throws IOException {
        String restore = config.get(JobOptions.RESTORE);
        return switch (restore) {
            case "none" -> Optional.empty();
            case "latest" -> latestCheckpoint(checkpointsDir(workDir));
            default -> {
                Path p = Path.of(restore);
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("job.restore must be 'none', 'latest' or an existing checkpoint path; got '"
                            + restore + "'");
                }
                yield Optional.of(p);
            }
        };
    }

    /** The newest completed checkpoint ({@code chk-N} holding a {@code _metadata} file) under {@code dir}. */
    public static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals(METADATA)
                && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparing(IngestLauncher::modified)).map(Path::getParent);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * The PostgreSQL endpoint configured for {@code freshet ingest}; {@code null} when the source is Kafka.
     */
    public static Postgres configuredPostgres(Configuration config) {
        if (config.get(SourceOptions.KIND) == SourceOptions.Kind.KAFKA) {
            return null;
        }
        int port = config.get(LocalOptions.POSTGRES_PORT);
        if (port <= 0) {
            throw new IllegalArgumentException("source.postgres.port must name the database's port for `freshet ingest`; got "
                    + port);
        }
        return new Postgres(config.get(LocalOptions.POSTGRES_HOST), port, config.get(LocalOptions.POSTGRES_DATABASE),
                config.get(LocalOptions.POSTGRES_USER), config.get(LocalOptions.POSTGRES_PASSWORD));
    }
}
