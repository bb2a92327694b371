package io.freshet.connectors.kafka;

import io.freshet.core.RawChange;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record holding a Debezium JSON change event into a {@link RawChange}. The value is decoded
 * strictly as UTF-8: bytes that are not valid UTF-8 become an undecodable change (dead-lettered downstream
 * with the reason), never a crash or a silently mangled string. A null value is a tombstone.
 *
 * <p>The position is {@code {"topic": ..., "partition": ..., "offset": ...}}.
 */
public final class DebeziumJsonDeserializer implements KafkaRecordDeserializationSchema<RawChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawChange> out) {
        String position = "{\"topic\":\"" + record.topic() + "\",\"partition\":" + record.partition()
                + ",\"offset\":" + record.offset() + "}";
        byte[] value = record.value();
        if (value == null) {
            out.collect(new RawChange(record.topic(), position, null));
            return;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            CharBuffer chars = decoder.decode(in);
            out.collect(new RawChange(record.topic(), position, chars.toString()));
        } catch (CharacterCodingException e) {
            out.collect(RawChange.undecodable(record.topic(), position,
                    "value is not valid UTF-8 (at byte " + in.position() + " of " + value.length + ")"));
        }
    }

    @Override
    public TypeInformation<RawChange> getProducedType() {
        return TypeInformation.of(RawChange.class);
    }
}
