package io.freshet.jobs.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The sink writer's checkpointed state: which ingest run it belongs to, so a restored writer continues the
 * run (and its commit points) rather than starting a new one.
 *
 * @param runId the ingest run
 */
public record LuceneWriterState(String runId) {

    public LuceneWriterState {
        Objects.requireNonNull(runId, "runId");
    }

    /** Version 1: the run id. */
    public static final class Serializer implements SimpleVersionedSerializer<LuceneWriterState> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(LuceneWriterState s) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(s.runId());
            }
            return bytes.toByteArray();
        }

        @Override
        public LuceneWriterState deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown LuceneWriterState serializer version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new LuceneWriterState(in.readUTF());
            }
        }
    }
}
