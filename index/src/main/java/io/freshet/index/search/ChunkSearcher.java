package io.freshet.index.search;

import io.freshet.core.Principal;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.schema.CommitData;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Searches the latest commit of a chunk index under a caller's permissions. {@link #refresh} picks up new
 * commits without a restart (call it periodically); searches in flight keep the reader they started with.
 *
 * <p>Thread-safe.
 */
public final class ChunkSearcher implements Closeable {

    private static final Set<String> STORED_FIELDS = Set.of(
            ChunkSchema.DOC_ID, ChunkSchema.CHUNK_ID, ChunkSchema.TITLE, ChunkSchema.TEXT, ChunkSchema.START,
            ChunkSchema.END, ChunkSchema.SOURCE, ChunkSchema.ACL);

    private final Directory directory;
    private volatile DirectoryReader reader; // null until the first commit exists
    private final Object refreshLock = new Object();

    /** Opens the index in {@code dir}; the directory may not hold a commit yet. */
    public ChunkSearcher(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
        refresh();
    }

    /** Opens the newest commit if it changed. Returns true when a new commit is now served. */
    public boolean refresh() throws IOException {
        synchronized (refreshLock) {
            DirectoryReader current = reader;
            DirectoryReader next;
            if (current == null) {
                try {
                    next = DirectoryReader.open(directory);
                } catch (IndexNotFoundException e) {
                    return false; // nothing committed yet
                }
            } else {
                next = DirectoryReader.openIfChanged(current);
                if (next == null) {
                    return false;
                }
            }
            reader = next;
            if (current != null) {
                current.decRef();
            }
            return true;
        }
    }

    /** True once a commit is loaded. */
    public boolean hasCommit() {
        return reader != null;
    }

    /**
     * The {@code k} nearest chunks to {@code vector} among those {@code principal} may see. The permission
     * filter is the kNN pre-filter, so exactly k permitted chunks come back when at least k exist.
     */
    public SearchResult searchVector(Principal principal, float[] vector, int k) throws IOException {
        DirectoryReader r = acquire();
        if (r == null) {
            return new SearchResult(List.of(), -1, CommitData.EMPTY);
        }
        try {
            IndexSearcher searcher = new IndexSearcher(r);
            KnnFloatVectorQuery query = new KnnFloatVectorQuery(ChunkSchema.VECTOR, vector, k, PermissionFilter.of(principal));
            TopDocs top = searcher.search(query, k);
            List<ChunkHit> hits = new ArrayList<>(top.scoreDocs.length);
            var stored = searcher.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                Document d = stored.document(sd.doc, STORED_FIELDS);
                hits.add(new ChunkHit(
                        d.get(ChunkSchema.DOC_ID),
                        d.get(ChunkSchema.CHUNK_ID),
                        d.get(ChunkSchema.TITLE),
                        d.get(ChunkSchema.TEXT),
                        sd.score,
                        d.getField(ChunkSchema.START).numericValue().intValue(),
                        d.getField(ChunkSchema.END).numericValue().intValue(),
                        d.get(ChunkSchema.SOURCE),
                        Arrays.asList(d.getValues(ChunkSchema.ACL))));
            }
            return new SearchResult(hits, r.getIndexCommit().getGeneration(),
                    CommitData.fromUserData(r.getIndexCommit().getUserData()));
        } finally {
            r.decRef();
        }
    }

    /** How many documents and chunks the served commit holds; zeros before the first commit. */
    public IndexStats stats() throws IOException {
        DirectoryReader r = acquire();
        if (r == null) {
            return new IndexStats(0, 0);
        }
        try {
            IndexSearcher searcher = new IndexSearcher(r);
            return new IndexStats(searcher.count(IntField.newExactQuery(ChunkSchema.ORDINAL, 0)), r.numDocs());
        } finally {
            r.decRef();
        }
    }

    /** The lineage of the commit now served, or {@link CommitData#EMPTY}. */
    public CommitData servedCommit() throws IOException {
        DirectoryReader r = acquire();
        if (r == null) {
            return CommitData.EMPTY;
        }
        try {
            return CommitData.fromUserData(r.getIndexCommit().getUserData());
        } finally {
            r.decRef();
        }
    }

    private DirectoryReader acquire() {
        while (true) {
            DirectoryReader r = reader;
            if (r == null) {
                return null;
            }
            if (r.tryIncRef()) {
                return r;
            }
            // lost a race with refresh(); the new reader is already published
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (refreshLock) {
            if (reader != null) {
                reader.decRef();
                reader = null;
            }
            directory.close();
        }
    }
}
