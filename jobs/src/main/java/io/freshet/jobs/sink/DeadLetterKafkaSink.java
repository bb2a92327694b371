package io.freshet.jobs.sink;

import io.freshet.core.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters to a Kafka topic, as {@link DeadLetterJson}, keyed by their source position. */
public final class DeadLetterKafkaSink {

    private DeadLetterKafkaSink() {}

    /** A sink writing to {@code topic} with at-least-once delivery (flushed at every checkpoint). */
    public static KafkaSink<DeadLetter> create(String bootstrapServers, String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("job.dead-letter-topic must name a topic; got '" + topic + "'");
        }
        KafkaRecordSerializationSchema<DeadLetter> serializer = (letter, context, timestamp) -> new ProducerRecord<>(
                topic,
                letter.position().getBytes(StandardCharsets.UTF_8),
                DeadLetterJson.encode(letter).getBytes(StandardCharsets.UTF_8));
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
