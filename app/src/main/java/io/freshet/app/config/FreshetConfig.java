package io.freshet.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import io.freshet.jobs.config.ChunkOptions;
import io.freshet.jobs.config.EmbeddingOptions;
import io.freshet.jobs.config.IndexOptions;
import io.freshet.jobs.config.RedactionOptions;
import io.freshet.jobs.config.JobOptions;
import io.freshet.jobs.config.SourceOptions;

/**
 * Reads {@code conf/freshet.yaml} into a Flink {@link Configuration}. Keys may be written flat
 * ({@code chunk.max-tokens: 200}) or nested; code reads them only through typed {@link ConfigOption}s. An
 * unknown key is an error naming it, so a typo never silently falls back to a default.
 */
public final class FreshetConfig {

    /** Every option the configuration file may set. */
    static final List<ConfigOption<?>> KNOWN = Stream.concat(ServingOptions.ALL.stream(), Stream.<ConfigOption<?>>of(
            LocalOptions.WORK_DIR, LocalOptions.FRESH_START, LocalOptions.POSTGRES_PORT, LocalOptions.POSTGRES_DATABASE,
            LocalOptions.POSTGRES_HOST, LocalOptions.POSTGRES_USER, LocalOptions.POSTGRES_PASSWORD,
            LocalOptions.POSTGRES_HEARTBEAT_TABLE, LocalOptions.POSTGRES_HEARTBEAT_INTERVAL,
            JobOptions.RESTORE, JobOptions.RETAINED_CHECKPOINTS,
            LocalOptions.SAMPLE_CORPUS,
            ChunkOptions.STRATEGY, ChunkOptions.MAX_TOKENS, ChunkOptions.OVERLAP_TOKENS, ChunkOptions.WINDOW_SENTENCES,
            ChunkOptions.WINDOW_OVERLAP, EmbeddingOptions.MODEL, EmbeddingOptions.BATCH_SIZE, EmbeddingOptions.BATCH_WAIT,
            EmbeddingOptions.TIMEOUT, EmbeddingOptions.ATTEMPTS, EmbeddingOptions.RETRY_BACKOFF, EmbeddingOptions.MAX_IN_FLIGHT,
            EmbeddingOptions.CACHE_SIZE, IndexOptions.DIR, IndexOptions.SHARDS, IndexOptions.VECTOR_FORMAT, IndexOptions.RETAIN_LAST, IndexOptions.RETAIN_FOR, IndexOptions.GATE_REQUIRED,
            IndexOptions.GATE_MAX_DROP, IndexOptions.GATE_MIN_KEYWORD, IndexOptions.GATE_MIN_VECTOR,
            IndexOptions.GATE_MIN_HYBRID, RedactionOptions.MODE, RedactionOptions.TYPES, RedactionOptions.SOURCES,
            io.freshet.jobs.config.DedupOptions.EXACT, io.freshet.jobs.config.DedupOptions.NEAR,
            io.freshet.jobs.config.DedupOptions.NEAR_THRESHOLD, io.freshet.jobs.config.DedupOptions.SHINGLE_WORDS,
            JobOptions.CHECKPOINT_INTERVAL, JobOptions.EMBED_PARALLELISM, JobOptions.DEAD_LETTER_PATH,
            SourceOptions.TABLE, SourceOptions.ID_COLUMN, SourceOptions.TITLE_COLUMN, SourceOptions.BODY_COLUMN,
            SourceOptions.ACL_COLUMN, SourceOptions.TENANT_COLUMN, SourceOptions.UPDATED_AT_COLUMN,
            SourceOptions.METADATA_COLUMNS, SourceOptions.MAX_BODY_CHARS, SourceOptions.KIND,
            SourceOptions.KAFKA_BOOTSTRAP_SERVERS, SourceOptions.KAFKA_TOPICS, SourceOptions.KAFKA_GROUP_ID,
            JobOptions.DEAD_LETTER_TOPIC, JobOptions.RESTART_STRATEGY)).toList();

    /**
     * Keys under this prefix are passed to the Debezium engine untouched, prefix removed (for example
     * {@code source.debezium.snapshot.mode: never}), overriding Freshet's defaults; that is how any Debezium
     * connector and option is configured.
     */
    public static final String DEBEZIUM_PREFIX = "source.debezium.";

    private FreshetConfig() {}

    /** The Debezium properties given under {@link #DEBEZIUM_PREFIX}, prefix removed. */
    public static Map<String, String> debeziumOverrides(Configuration config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.toMap().forEach((k, v) -> {
            if (k.startsWith(DEBEZIUM_PREFIX) && k.length() > DEBEZIUM_PREFIX.length()) {
                out.put(k.substring(DEBEZIUM_PREFIX.length()), v);
            }
        });
        return out;
    }

    /** Loads {@code file}; a missing file gives the defaults. */
    public static Configuration load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Configuration();
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        Map<String, String> flat = new LinkedHashMap<>();
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) {
                throw new IllegalArgumentException(file + " must hold a mapping of keys to values");
            }
            flatten("", root, flat);
        }
        return fromMap(flat, file.toString());
    }

    /** Builds a configuration from flat keys, rejecting unknown ones. */
    public static Configuration fromMap(Map<String, String> flat, String origin) {
        Set<String> known = new TreeSet<>();
        KNOWN.forEach(o -> known.add(o.key()));
        for (String key : flat.keySet()) {
            if (!known.contains(key) && !key.startsWith(DEBEZIUM_PREFIX)) {
                throw new IllegalArgumentException("Unknown configuration key '" + key + "' in " + origin
                        + "; known keys: " + String.join(", ", known));
            }
        }
        Configuration config = Configuration.fromMap(flat);
        for (ConfigOption<?> option : KNOWN) {
            try {
                config.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Bad value for '" + option.key() + "' in " + origin + ": '"
                        + flat.get(option.key()) + "': " + e.getMessage(), e);
            }
        }
        return config;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject()) {
                flatten(key, f.getValue(), out);
            } else {
                out.put(key, f.getValue().asText());
            }
        }
    }
}
