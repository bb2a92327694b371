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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
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

    /**
     * How to open the index.
     *
     * @param model embedding model id recorded in every commit
     * @param modelVersion embedding model version recorded in every commit
     * @param chunker chunker configuration recorded in every commit
     * @param format how new segments store vectors
     * @param deletionPolicy which commits to keep; {@code null} keeps only the newest (Lucene's default)
     * @param startAt picks the commit to continue from among the existing ones (oldest first); {@code null}
     *     continues from the newest
     */
    public record Options(String model, String modelVersion, String chunker, VectorFormat format,
            IndexDeletionPolicy deletionPolicy, Function<List<IndexCommit>, IndexCommit> startAt) {
        public Options {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(chunker, "chunker");
            modelVersion = Objects.requireNonNullElse(modelVersion, "");
            format = Objects.requireNonNullElse(format, VectorFormat.HNSW);
        }

        /** Newest commit, Lucene's deletion policy, no model version. */
        public static Options of(String model, String chunker, VectorFormat format) {
            return new Options(model, "", chunker, format, null, null);
        }
    }

    private final Directory directory;
    private final IndexWriter writer;
    private final String model;
    private final String modelVersion;
    private final String chunker;
    private final String chunkerHash;
    private final TextAnalysis analysis;
    private final CommitData base;
    private final Map<String, String> positions;
    private String lastPosition;
    private long watermarkMillis;
    private long pending;

    /** Opens (creating if needed) the index in {@code dir}. */
    public ChunkIndexWriter(Path dir, String model, String chunker) throws IOException {
        this(dir, model, chunker, VectorFormat.HNSW);
    }

    /** Opens (creating if needed) the index in {@code dir}, writing vectors in {@code format}. */
    public ChunkIndexWriter(Path dir, String model, String chunker, VectorFormat format) throws IOException {
        this(dir, Options.of(model, chunker, format));
    }

    /** Opens (creating if needed) the index in {@code dir} as {@code options} say. */
    public ChunkIndexWriter(Path dir, Options options) throws IOException {
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
        try {
            IndexCommit start = null;
            if (DirectoryReader.indexExists(directory)) {
                List<IndexCommit> commits = DirectoryReader.listCommits(directory);
                start = options.startAt() == null ? commits.getLast() : options.startAt().apply(commits);
            }
            // lineage continues from the commit we start at; an index keeps the analysis it was created with,
            // and a new one gets the current default
            this.base = start == null ? CommitData.EMPTY : CommitData.fromUserData(start.getUserData());
            this.analysis = base.analysis();
            IndexWriterConfig config = new IndexWriterConfig(analysis.analyzer());
            config.setCodec(options.format().codec());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setCommitOnClose(false);
            if (options.deletionPolicy() != null) {
                config.setIndexDeletionPolicy(options.deletionPolicy());
            }
            if (start != null) {
                config.setIndexCommit(start);
            }
            this.writer = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.model = options.model();
        this.modelVersion = options.modelVersion();
        this.chunker = options.chunker();
        this.chunkerHash = Hashes.sha256Prefix(chunker);
        this.lastPosition = base.position();
        this.watermarkMillis = base.watermarkMillis();
        this.positions = new HashMap<>(base.positions());
    }

    /** The lineage of the commit this writer continued from ({@link CommitData#EMPTY} for a new index). */
    public CommitData base() {
        return base;
    }

    /** Applies one action; visible after the next {@link #commit}. */
    public void apply(IndexAction action) throws IOException {
        if (action.reconcile()) {
            if (action.scope() != null) {
                throw new IllegalArgumentException("a reconcile scoped to " + action.scope()
                        + " is applied with reconcile(snapshotStart, owned), which knows its documents");
            }
            reconcile(action.snapshotStartMillis(), id -> true);
            return;
        }
        if (action.isDelete() || action.chunks().isEmpty()) {
            writer.deleteDocuments(ChunkSchema.documentTerm(action.documentId()));
        } else {
            writer.updateDocuments(ChunkSchema.documentTerm(action.documentId()), ChunkSchema.toLuceneDocuments(action,
                    new ChunkSchema.WriterLineage(modelVersion, chunker, System.currentTimeMillis())));
        }
        IndexAction.Progress progress = action.effectiveProgress();
        if (!progress.held()) { // resume positions never pass a change not yet applied
            for (String p : progress.positions()) {
                lastPosition = p;
                SourcePositions.record(positions, p);
            }
            watermarkMillis = Math.max(watermarkMillis, progress.sourceTimeMillis());
        }
        pending++;
    }

    /**
     * Applies a snapshot's reconcile marker: removes the documents that the snapshot started at {@code
     * snapshotStartMillis} showed to be gone from the source ({@link ChunkSchema#goneAfterSnapshot}), among those
     * {@code owned} admits (the documents the marker speaks for), and returns their ids.
     */
    public Set<String> reconcile(long snapshotStartMillis, Predicate<String> owned) throws IOException {
        Set<String> ids = new TreeSet<>();
        try (DirectoryReader nrt = DirectoryReader.open(writer)) {
            IndexSearcher searcher = new IndexSearcher(nrt);
            StoredFields stored = nrt.storedFields();
            for (ScoreDoc hit : searcher.search(ChunkSchema.goneAfterSnapshot(snapshotStartMillis), Integer.MAX_VALUE).scoreDocs) {
                String id = stored.document(hit.doc, Set.of(ChunkSchema.DOC_ID)).get(ChunkSchema.DOC_ID);
                if (owned.test(id)) {
                    ids.add(id);
                }
            }
        }
        for (String id : ids) {
            writer.deleteDocuments(ChunkSchema.documentTerm(id));
        }
        pending++;
        LOG.info("Snapshot of {} completed: removed {} documents it showed to be gone", snapshotStartMillis, ids.size());
        return ids;
    }

    /** Number of actions applied since the last commit. */
    public long pending() {
        return pending;
    }

    /**
     * Makes everything applied so far durable and visible, with lineage in the commit user data. Does nothing
     * when nothing changed and a commit exists.
     */
    public void commit() throws IOException {
        if (pending == 0 && !writer.hasUncommittedChanges() && DirectoryReader.indexExists(directory)) {
            return; // nothing new; the first commit is always made so readers can open the index
        }
        commit(-1L, "", 0);
    }

    /**
     * Commits unconditionally (even with no changes) as the given checkpoint of the given run, and returns the
     * Lucene generation of the new commit.
     */
    public long commit(long checkpointId, String runId, int runSeq) throws IOException {
        long documents;
        long chunks;
        try (DirectoryReader nrt = DirectoryReader.open(writer)) {
            documents = new IndexSearcher(nrt).count(IntField.newExactQuery(ChunkSchema.ORDINAL, 0));
            chunks = nrt.numDocs();
        }
        CommitData data = new CommitData(lastPosition, watermarkMillis, model, chunker, System.currentTimeMillis(),
                analysis, checkpointId, runId, runSeq, positions, documents, chunks, modelVersion, chunkerHash);
        writer.setLiveCommitData(data.toUserData().entrySet(), true); // a new commit point even with no changes
        writer.commit();
        long generation = SegmentInfos.getLastCommitGeneration(directory);
        LOG.debug("Committed {} actions up to position {} (checkpoint {})", pending, lastPosition, checkpointId);
        pending = 0;
        return generation;
    }

    @Override
    public void close() throws IOException {
        try {
            IndexWriters.closeDiscarding(writer, "index " + directory);
        } finally {
            directory.close();
        }
    }
}
