package io.freshet.jobs.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.core.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends dead letters to {@code <dir>/dead-letters-<subtask>.jsonl}, one JSON object a line:
 * {@code {"reason", "source", "position", "failed_at", "payload"}}. Lines are forced to disk at every
 * checkpoint, so a dead letter is never lost; after a restore, letters since the last checkpoint may be
 * written again (at-least-once).
 */
public final class DeadLetterFileSink implements Sink<DeadLetter> {

    private static final long serialVersionUID = 1L;
    private final String dir;

    public DeadLetterFileSink(Path dir) {
        this.dir = dir.toAbsolutePath().toString();
    }

    /** The file subtask {@code subtask} writes. */
    public static Path file(Path dir, int subtask) {
        return dir.resolve("dead-letters-" + subtask + ".jsonl");
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) throws IOException {
        Path d = Path.of(dir);
        Files.createDirectories(d);
        FileChannel channel = FileChannel.open(file(d, context.getTaskInfo().getIndexOfThisSubtask()),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new Writer(channel);
    }

    private static final class Writer implements SinkWriter<DeadLetter> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final FileChannel channel;

        Writer(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(DeadLetter letter, Context context) throws IOException {
            ObjectNode line = JSON.createObjectNode()
                    .put("reason", letter.reason())
                    .put("source", letter.source())
                    .put("position", letter.position())
                    .put("failed_at", Instant.ofEpochMilli(letter.failedAtMillis()).toString())
                    .put("payload", letter.payload());
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
