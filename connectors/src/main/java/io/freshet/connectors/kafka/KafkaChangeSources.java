package io.freshet.connectors.kafka;

import io.freshet.core.RawChange;
import java.util.List;
import java.util.Objects;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the Kafka source of Debezium change events. */
public final class KafkaChangeSources {

    private KafkaChangeSources() {}

    /**
     * A source over {@code topics}. Offsets live in Flink checkpoints (and are committed back to the consumer
     * group for monitoring); a new group starts from the earliest offset, so a topic written before Freshet
     * started is read whole.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param topics the Debezium topics, one per captured table
     * @param groupId consumer group id
     */
    public static KafkaSource<RawChange> debeziumJson(String bootstrapServers, List<String> topics, String groupId) {
        return debeziumJson(bootstrapServers, topics, groupId, java.util.Map.of());
    }

    /**
     * A source over {@code topics} that starts, for each partition in {@code startOffsets}, at that offset
     * (a replay from a recorded commit point), and at the earliest offset of every other partition. Use a
     * consumer group that has committed nothing, or its committed offsets win for unlisted partitions.
     */
    public static KafkaSource<RawChange> debeziumJson(String bootstrapServers, List<String> topics, String groupId,
            java.util.Map<org.apache.kafka.common.TopicPartition, Long> startOffsets) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("source.kafka.bootstrap-servers is required for source.kind=kafka");
        }
        if (topics == null || topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("source.kafka.topics must name at least one topic; got " + topics);
        }
        return KafkaSource.<RawChange>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(Objects.requireNonNull(groupId, "groupId"))
                .setStartingOffsets(startOffsets.isEmpty()
                        ? OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST)
                        : OffsetsInitializer.offsets(startOffsets, OffsetResetStrategy.EARLIEST))
                .setDeserializer(new DebeziumJsonDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }
}
