package io.freshet.connectors.debezium.source.split;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The single split of a Debezium source. Debezium connectors that Freshet runs have one task, so one split
 * carries all of the connector's offsets.
 *
 * @param splitId the split id
 * @param offsets Kafka Connect offsets as the offset store holds them: serialized partition key (JSON) to
 *     serialized offset (JSON); empty before the connector's first record
 */
public record DebeziumSplit(String splitId, Map<String, String> offsets) implements SourceSplit {

    /** The id of the one split. */
    public static final String SPLIT_ID = "debezium-0";

    public DebeziumSplit {
        Objects.requireNonNull(splitId, "splitId");
        offsets = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(offsets, "offsets")));
    }

    /** A split with no offsets: the connector starts as configured (e.g. with a snapshot). */
    public static DebeziumSplit initial() {
        return new DebeziumSplit(SPLIT_ID, Map.of());
    }

    @Override
    public String splitId() {
        return splitId;
    }
}
