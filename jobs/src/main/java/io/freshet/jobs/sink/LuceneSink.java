package io.freshet.jobs.sink;

import io.freshet.core.IndexAction;
import io.freshet.index.write.ChunkIndexWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes {@link IndexAction}s to a Lucene chunk index and commits at every checkpoint (the writer's flush),
 * recording the source position and freshness watermark in the commit. Replaying actions after a restore
 * is harmless: an upsert replaces its document's chunks, a delete of a missing document does nothing.
 *
 * <p>Runs with parallelism 1: one writer owns the index directory.
 */
public final class LuceneSink implements Sink<IndexAction> {

    private static final long serialVersionUID = 1L;

    private final String indexDir;
    private final String model;
    private final String chunker;

    /**
     * @param indexDir the index directory
     * @param model embedding model id recorded in each commit
     * @param chunker chunker configuration recorded in each commit
     */
    public LuceneSink(Path indexDir, String model, String chunker) {
        this.indexDir = indexDir.toAbsolutePath().toString();
        this.model = Objects.requireNonNull(model, "model");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
    }

    @Override
    public SinkWriter<IndexAction> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("LuceneSink must run with parallelism 1; got "
                    + context.getTaskInfo().getNumberOfParallelSubtasks());
        }
        return new Writer(new ChunkIndexWriter(Path.of(indexDir), model, chunker),
                context.metricGroup().counter("indexCommits"));
    }

    private static final class Writer implements SinkWriter<IndexAction> {
        private final ChunkIndexWriter index;
        private final Counter commits;

        Writer(ChunkIndexWriter index, Counter commits) {
            this.index = index;
            this.commits = commits;
        }

        @Override
        public void write(IndexAction action, Context context) throws IOException {
            index.apply(action);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (index.pending() > 0) {
                commits.inc();
            }
            index.commit();
        }

        @Override
        public void close() throws IOException {
            index.close();
        }
    }
}
