package io.freshet.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.RawChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DebeziumJsonDeserializerTest {

    private final DebeziumJsonDeserializer deserializer = new DebeziumJsonDeserializer();

    @Test
    void decodesValueTombstoneAndInvalidUtf8() {
        List<RawChange> out = new ArrayList<>();
        Collector<RawChange> collector = new Collector<>() {
            @Override
            public void collect(RawChange record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        deserializer.deserialize(record(3, "{\"op\":\"c\",\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8)), collector);
        deserializer.deserialize(record(4, null), collector);
        deserializer.deserialize(record(5, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}), collector);

        assertThat(out.get(0).valueJson()).isEqualTo("{\"op\":\"c\",\"x\":\"ü\"}");
        assertThat(out.get(0).position()).isEqualTo("{\"topic\":\"t\",\"partition\":2,\"offset\":3}");
        assertThat(out.get(1).isTombstone()).isTrue();
        assertThat(out.get(2).valueJson()).isNull();
        assertThat(out.get(2).decodeError()).contains("not valid UTF-8").contains("byte 1");
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("t", 2, offset, "k".getBytes(StandardCharsets.UTF_8), value);
    }
}
