package io.freshet.index.write;

import io.freshet.core.IndexAction;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.schema.CommitData;
import io.freshet.index.schema.TextAnalysis;
import io.freshet.index.schema.VectorFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link IndexAction}s to a Lucene index directory. An upsert atomically replaces every chunk of
 * its document ({@link IndexWriter#updateDocuments}); a delete removes them. Changes become visible to
 * readers only at {@link #commit}, which records {@link CommitData}.
 *
 * <p>Not thread-safe: one writer per index directory, owned by one sink subtask.
 */
public final class ChunkIndexWriter implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkIndexWriter.class);

    private final Directory directory;
    private final IndexWriter writer;
    private final String model;
    private final String chunker;
    private final TextAnalysis analysis;
    private String lastPosition = "";
    private long watermarkMillis;
    private long pending;

    /**
     * Opens (creating if needed) the index in {@code dir}.
     *
     * @param model embedding model id recorded in every commit
     * @param chunker chunker configuration recorded in every commit
     */
    public ChunkIndexWriter(Path dir, String model, String chunker) throws IOException {
        this(dir, model, chunker, VectorFormat.HNSW);
    }

    /**
     * Opens (creating if needed) the index in {@code dir}, writing vectors in {@code format}.
     *
     * @param model embedding model id recorded in every commit
     * @param chunker chunker configuration recorded in every commit
     * @param format how new segments store vectors
     */
    public ChunkIndexWriter(Path dir, String model, String chunker, VectorFormat format) throws IOException {
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
        // lineage continues from the newest commit; an index keeps the analysis it was created with, and a
        // new one gets the current default
        CommitData last = DirectoryReader.indexExists(directory)
                ? CommitData.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData())
                : CommitData.EMPTY;
        this.analysis = last.analysis();
        IndexWriterConfig config = new IndexWriterConfig(analysis.analyzer());
        config.setCodec(format.codec());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setCommitOnClose(false);
        this.writer = new IndexWriter(directory, config);
        this.model = model;
        this.chunker = chunker;
        this.lastPosition = last.position();
        this.watermarkMillis = last.watermarkMillis();
    }

    /** Applies one action; visible after the next {@link #commit}. */
    public void apply(IndexAction action) throws IOException {
        if (action.reconcile()) {
            writer.deleteDocuments(ChunkSchema.goneAfterSnapshot(action.snapshotStartMillis()));
            LOG.info("Snapshot of {} completed: removed documents it showed to be gone", action.snapshotStartMillis());
        } else if (action.isDelete() || action.chunks().isEmpty()) {
            writer.deleteDocuments(ChunkSchema.documentTerm(action.documentId()));
        } else {
            writer.updateDocuments(ChunkSchema.documentTerm(action.documentId()), ChunkSchema.toLuceneDocuments(action));
        }
        if (!action.reconcile()) {
            lastPosition = action.position();
            watermarkMillis = Math.max(watermarkMillis, action.sourceTimeMillis());
        }
        pending++;
    }

    /** Number of actions applied since the last commit. */
    public long pending() {
        return pending;
    }

    /** Makes everything applied so far durable and visible, with lineage in the commit user data. */
    public void commit() throws IOException {
        if (pending == 0 && !writer.hasUncommittedChanges() && DirectoryReader.indexExists(directory)) {
            return; // nothing new; the first commit is always made so readers can open the index
        }
        CommitData data = new CommitData(lastPosition, watermarkMillis, model, chunker, System.currentTimeMillis(),
                analysis);
        writer.setLiveCommitData(data.toUserData().entrySet());
        writer.commit();
        LOG.debug("Committed {} actions up to position {}", pending, lastPosition);
        pending = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            directory.close();
        }
    }
}
