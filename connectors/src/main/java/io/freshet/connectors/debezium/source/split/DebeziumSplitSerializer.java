package io.freshet.connectors.debezium.source.split;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes a {@link DebeziumSplit}.
 *
 * <p>Version 1: split id (UTF), entry count (int), then per entry key and value as length-prefixed UTF-8.
 */
public final class DebeziumSplitSerializer implements SimpleVersionedSerializer<DebeziumSplit> {

    /** The version this serializer writes. */
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DebeziumSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(split.splitId());
        out.writeInt(split.offsets().size());
        for (Map.Entry<String, String> e : split.offsets().entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public DebeziumSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown DebeziumSplit serializer version " + version + "; this build reads " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String id = in.readUTF();
        int n = in.readInt();
        Map<String, String> offsets = new HashMap<>();
        for (int i = 0; i < n; i++) {
            offsets.put(readString(in), readString(in));
        }
        return new DebeziumSplit(id, offsets);
    }

    static void writeString(DataOutputSerializer out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputDeserializer in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
