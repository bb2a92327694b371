package io.freshet.connectors.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.connectors.debezium.source.enumerator.DebeziumEnumeratorState;
import io.freshet.connectors.debezium.source.enumerator.DebeziumEnumeratorStateSerializer;
import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import io.freshet.connectors.debezium.source.split.DebeziumSplitSerializer;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebeziumStateSerializersTest {

    private static final DebeziumSplit SPLIT = new DebeziumSplit(DebeziumSplit.SPLIT_ID, Map.of(
            "[\"freshet\",{\"server\":\"freshet\"}]", "{\"lsn\":12345678,\"txId\":771,\"ts_usec\":1}",
            "[\"freshet\",{\"server\":\"ünïcode\"}]", "{}"));

    @Test
    void splitRoundTrips() throws IOException {
        DebeziumSplitSerializer s = new DebeziumSplitSerializer();
        assertThat(s.deserialize(s.getVersion(), s.serialize(SPLIT))).isEqualTo(SPLIT);
        assertThat(s.deserialize(s.getVersion(), s.serialize(DebeziumSplit.initial()))).isEqualTo(DebeziumSplit.initial());
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        DebeziumEnumeratorStateSerializer s = new DebeziumEnumeratorStateSerializer();
        for (DebeziumEnumeratorState state : new DebeziumEnumeratorState[] {
            DebeziumEnumeratorState.initial(),
            new DebeziumEnumeratorState(Optional.empty()),
            new DebeziumEnumeratorState(Optional.of(SPLIT))
        }) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void unknownVersionIsRejectedByName() {
        assertThatThrownBy(() -> new DebeziumSplitSerializer().deserialize(99, new byte[0]))
                .hasMessageContaining("version 99");
        assertThatThrownBy(() -> new DebeziumEnumeratorStateSerializer().deserialize(7, new byte[0]))
                .hasMessageContaining("version 7");
    }
}
