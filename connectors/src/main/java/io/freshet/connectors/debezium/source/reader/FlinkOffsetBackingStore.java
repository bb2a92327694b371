package io.freshet.connectors.debezium.source.reader;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * An in-memory Kafka Connect offset store that starts from the offsets Flink restored, so Debezium resumes
 * exactly where the checkpoint left it. Flink's checkpoint, not this store, is the durable copy.
 *
 * <p>The engine is configured with {@code offset.storage} naming this class and
 * {@value #INITIAL_OFFSETS} holding the split's offsets as a JSON object (serialized key to serialized
 * value, the same bytes Kafka Connect's offset writer produces).
 */
public final class FlinkOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Engine property with the initial offsets (JSON object of string to string). */
    public static final String INITIAL_OFFSETS = "freshet.offsets.initial";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object initial = config.originals().get(INITIAL_OFFSETS);
        if (initial == null || initial.toString().isEmpty()) {
            return;
        }
        try {
            Map<String, String> offsets = JSON.readValue(initial.toString(), new TypeReference<Map<String, String>>() {});
            offsets.forEach((k, v) -> data.put(bytes(k), bytes(v)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + INITIAL_OFFSETS, e);
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        Set<Map<String, Object>> partitions = new HashSet<>();
        for (ByteBuffer key : data.keySet()) {
            try {
                JsonNode k = JSON.readTree(StandardCharsets.UTF_8.decode(key.duplicate()).toString());
                if (k.isArray() && k.size() == 2 && connectorName.equals(k.get(0).asText())) {
                    partitions.add(JSON.convertValue(k.get(1), new TypeReference<Map<String, Object>>() {}));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Unreadable offset key", e);
            }
        }
        return partitions;
    }

    @Override
    protected void save() {
        // Durability comes from Flink checkpoints.
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
