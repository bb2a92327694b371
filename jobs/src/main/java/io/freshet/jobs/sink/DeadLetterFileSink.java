package io.freshet.jobs.sink;

import io.freshet.core.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends dead letters to {@code <dir>/dead-letters-<subtask>.jsonl}, one {@link DeadLetterJson} object a
 * line. Lines are forced to disk at every
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
        private final FileChannel channel;

        Writer(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(DeadLetter letter, Context context) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap((DeadLetterJson.encode(letter) + "\n").getBytes(StandardCharsets.UTF_8));
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
