package io.freshet.jobs.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What one sink subtask prepared at a checkpoint: its shard's state as of that checkpoint is durable in a
 * Lucene commit carrying the run and checkpoint id, and waits to be published by the committer.
 *
 * @param root the index root
 * @param generation the generation written
 * @param shard the shard (the writer's subtask index)
 * @param runId the ingest run
 * @param runSeq the run's number in the generation
 * @param checkpointId the checkpoint; -1 until the pre-commit step attaches it
 */
public record ShardCommittable(String root, String generation, int shard, String runId, int runSeq, long checkpointId) {

    public ShardCommittable {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(runId, "runId");
    }

    /** This committable for checkpoint {@code id}. */
    public ShardCommittable at(long id) {
        return new ShardCommittable(root, generation, shard, runId, runSeq, id);
    }

    /** Version 1: root, generation, shard, run id, run number, checkpoint id. */
    public static final class Serializer implements SimpleVersionedSerializer<ShardCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ShardCommittable c) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(c.root());
                out.writeUTF(c.generation());
                out.writeInt(c.shard());
                out.writeUTF(c.runId());
                out.writeInt(c.runSeq());
                out.writeLong(c.checkpointId());
            }
            return bytes.toByteArray();
        }

        @Override
        public ShardCommittable deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown ShardCommittable serializer version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new ShardCommittable(in.readUTF(), in.readUTF(), in.readInt(), in.readUTF(), in.readInt(), in.readLong());
            }
        }
    }
}
