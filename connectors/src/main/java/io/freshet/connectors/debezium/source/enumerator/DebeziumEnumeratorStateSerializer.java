package io.freshet.connectors.debezium.source.enumerator;

import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import io.freshet.connectors.debezium.source.split.DebeziumSplitSerializer;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes a {@link DebeziumEnumeratorState}.
 *
 * <p>Version 1: a boolean (split unassigned?), then if so the split serializer's version (int), length
 * (int) and bytes.
 */
public final class DebeziumEnumeratorStateSerializer implements SimpleVersionedSerializer<DebeziumEnumeratorState> {

    /** The version this serializer writes. */
    public static final int VERSION = 1;

    private final DebeziumSplitSerializer splitSerializer = new DebeziumSplitSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DebeziumEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.unassigned().isPresent());
        if (state.unassigned().isPresent()) {
            byte[] split = splitSerializer.serialize(state.unassigned().get());
            out.writeInt(splitSerializer.getVersion());
            out.writeInt(split.length);
            out.write(split);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public DebeziumEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown Debezium enumerator state version " + version + "; this build reads " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        if (!in.readBoolean()) {
            return new DebeziumEnumeratorState(Optional.empty());
        }
        int splitVersion = in.readInt();
        byte[] split = new byte[in.readInt()];
        in.readFully(split);
        DebeziumSplit s = splitSerializer.deserialize(splitVersion, split);
        return new DebeziumEnumeratorState(Optional.of(s));
    }
}
