package io.freshet.index.lifecycle;

import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.index.write.IndexWriters;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The current permissions of every document, kept beside the generations ({@code <root>/acl/shard-N}) and
 * never rolled back. Content can be served from an earlier commit point, but its permissions always come from
 * here: a permission revoked after the point stays revoked ({@link Overlay}).
 *
 * <p>Each entry holds a document's ACL, tenant, whether it was deleted, the source time of the change that set
 * it, and when it was stored. A change older (by source time) than the stored one is ignored, so replaying a
 * source from an earlier position never brings an old permission back.
 *
 * <p>Permissions can be recorded ahead of the content that will carry them ({@link IndexAction#permissionsOnly}):
 * a revocation is then enforced while the document's new content waits for its embedding. Such an entry stays
 * in every {@link Overlay} until the content lands, however long that takes. Since a service admits a document
 * only by both its indexed and its current permissions, recording permissions early can only narrow what is
 * served, never widen it.
 */
public final class AclStore {

    static final String DIR = "acl";
    private static final String ID = "id";
    private static final String ACL = "acl";
    private static final String TENANT = "tenant";
    private static final String DELETED = "deleted";
    private static final String SOURCE_TIME = "source_time";
    private static final String STORED_AT = "stored_at";
    /** Set on permissions recorded ahead of the content that carries them (still being embedded). */
    private static final String AHEAD = "ahead";
    /**
     * Set on a document's first entry: its content carries exactly these permissions wherever it is served, so
     * no overlay needs it (bulk ingest of new documents then adds nothing to the overlays).
     */
    private static final String FIRST = "first";

    private AclStore() {}

    /** One document's current permissions. */
    public record Entry(List<String> acl, String tenant, boolean deleted, long sourceTimeMillis) {

        /** True when {@code principal} may see the document now. */
        public boolean permits(Principal principal) {
            if (deleted || !tenant.equals(principal.tenant())) {
                return false;
            }
            List<String> grants = principal.aclEntries();
            List<String> denies = principal.denyEntries();
            return acl.stream().anyMatch(grants::contains) && acl.stream().noneMatch(denies::contains);
        }
    }

    private static Entry entry(Document d) {
        return new Entry(Arrays.asList(d.getValues(ACL)), d.get(TENANT) == null ? "" : d.get(TENANT),
                "1".equals(d.get(DELETED)), d.getField(SOURCE_TIME).numericValue().longValue());
    }

    /** The ACL store directory of shard {@code shard} under {@code root}. */
    public static Path shardDir(IndexRoot root, int shard) {
        return root.dir().resolve(DIR).resolve("shard-" + shard);
    }

    /** Writes one shard's part of the store; owned by that shard's sink writer. */
    public static final class Writer implements Closeable {
        private final Directory directory;
        private final IndexWriter writer;
        private final Map<String, Long> pendingTimes = new HashMap<>();
        private boolean urgent;
        private DirectoryReader reader;

        public Writer(Path dir) throws IOException {
            Files.createDirectories(dir);
            this.directory = FSDirectory.open(dir);
            IndexWriterConfig config = new IndexWriterConfig(new KeywordAnalyzer());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setCommitOnClose(false);
            this.writer = new IndexWriter(directory, config);
            this.reader = DirectoryReader.open(writer);
        }

        /** Records the permissions {@code action} leaves its document with, unless a newer change set them. */
        public void apply(IndexAction action) throws IOException {
            if (action.reconcile()) {
                return;
            }
            put(action.documentId(), action.document(), action.sourceTimeMillis(), action.permissionsOnly());
        }

        /** True when permissions were recorded since the last {@link #commit}. */
        public boolean hasPending() {
            return !pendingTimes.isEmpty();
        }

        /**
         * True when a recorded change narrows or alters what services admit now (other permissions, a tenant or
         * a delete of a document the store knew), so it should be committed soon rather than at the next
         * checkpoint; a new document's first entry is not.
         */
        public boolean hasUrgent() {
            return urgent;
        }

        /**
         * Records that {@code id} was gone from the source at {@code sourceTimeMillis} (a snapshot showed it
         * missing), unless a newer change set its permissions; a rollback to a point that still holds the
         * document then serves it to nobody, as after a delete.
         */
        public void deleted(String id, long sourceTimeMillis) throws IOException {
            put(id, null, sourceTimeMillis, false);
        }

        private void put(String id, SourceDocument doc, long time, boolean ahead) throws IOException {
            Entry committed = committedEntry(id);
            Long stored = pendingTimes.get(id);
            if (stored == null && committed != null) {
                stored = committed.sourceTimeMillis();
            }
            if (stored != null && stored > time) {
                return; // an older change replayed: the newer permissions stand
            }
            if (committed != null && (committed.deleted() != (doc == null) || doc != null
                    && (!committed.tenant().equals(doc.tenant()) || !Set.copyOf(committed.acl()).equals(Set.copyOf(doc.acl()))))) {
                urgent = true;
            }
            Document d = new Document();
            d.add(new StringField(ID, id, Field.Store.YES));
            if (doc != null) {
                for (String e : doc.acl()) {
                    d.add(new StringField(ACL, e, Field.Store.YES));
                }
                d.add(new StringField(TENANT, doc.tenant(), Field.Store.YES));
            }
            d.add(new StringField(DELETED, doc == null ? "1" : "0", Field.Store.YES));
            if (ahead) {
                d.add(new StringField(AHEAD, "1", Field.Store.NO));
            } else if (committed == null && !pendingTimes.containsKey(id) && doc != null) {
                d.add(new StringField(FIRST, "1", Field.Store.NO));
            }
            d.add(new StoredField(SOURCE_TIME, time));
            long now = System.currentTimeMillis();
            d.add(new LongPoint(STORED_AT, now));
            d.add(new StoredField(STORED_AT, now));
            writer.updateDocument(new Term(ID, id), d);
            pendingTimes.put(id, time);
        }

        /** The entry services read now (the last commit's), or null. */
        private Entry committedEntry(String id) throws IOException {
            TopDocs top = new IndexSearcher(reader).search(new TermQuery(new Term(ID, id)), 1);
            if (top.scoreDocs.length == 0) {
                return null;
            }
            return entry(reader.storedFields().document(top.scoreDocs[0].doc));
        }

        /** Makes the recorded permissions durable and visible to services. */
        public void commit() throws IOException {
            writer.commit();
            DirectoryReader next = DirectoryReader.openIfChanged(reader, writer);
            if (next != null) {
                reader.close();
                reader = next;
            }
            pendingTimes.clear();
            urgent = false;
        }

        @Override
        public void close() throws IOException {
            try {
                reader.close();
                IndexWriters.closeDiscarding(writer, "ACL store " + directory);
            } finally {
                directory.close();
            }
        }
    }

    /**
     * The documents whose permissions changed since a time, or were recorded ahead of their content, with their
     * current permissions. A service serving content committed at that time admits these documents only where
     * both the permissions the content carries and these permit it.
     *
     * @param entries document id to current permissions
     * @param sinceMillis entries stored at or after this time are included (and every entry ahead of its content)
     * @param version identifies the store commits read (sum of the shards' commit generations)
     */
    public record Overlay(Map<String, Entry> entries, long sinceMillis, long version) {

        public static final Overlay NONE = new Overlay(Map.of(), Long.MAX_VALUE, -1);

        /** Ids of the changed documents {@code principal} may not see now. */
        public List<String> refused(Principal principal) {
            return entries.entrySet().stream().filter(e -> !e.getValue().permits(principal)).map(Map.Entry::getKey).toList();
        }

        /**
         * Reads every entry stored since {@code sinceMillis}, and every entry ahead of its content, from all shards
         * of the store under {@code root}.
         */
        public static Overlay load(IndexRoot root, long sinceMillis) throws IOException {
            Path dir = root.dir().resolve(DIR);
            if (!Files.isDirectory(dir)) {
                return new Overlay(Map.of(), sinceMillis, 0);
            }
            Map<String, Entry> entries = new HashMap<>();
            long version = 0;
            List<Path> shards;
            try (Stream<Path> s = Files.list(dir)) {
                shards = s.filter(Files::isDirectory).sorted().toList();
            }
            for (Path shard : shards) {
                try (Directory d = FSDirectory.open(shard); DirectoryReader r = DirectoryReader.open(d)) {
                    version += r.getIndexCommit().getGeneration();
                    read(r, sinceMillis, entries);
                } catch (IndexNotFoundException e) {
                    // this shard has not committed yet
                }
            }
            return new Overlay(Map.copyOf(entries), sinceMillis, version);
        }

        /** The version {@link #load} would report now, without reading entries. */
        public static long currentVersion(IndexRoot root) throws IOException {
            Path dir = root.dir().resolve(DIR);
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            long version = 0;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path shard : s.filter(Files::isDirectory).toList()) {
                    try (Directory d = FSDirectory.open(shard)) {
                        version += org.apache.lucene.index.SegmentInfos.getLastCommitGeneration(d);
                    }
                }
            }
            return version;
        }

        private static void read(DirectoryReader r, long since, Map<String, Entry> into) throws IOException {
            IndexSearcher searcher = new IndexSearcher(r);
            Query recent = new BooleanQuery.Builder()
                    .add(LongPoint.newRangeQuery(STORED_AT, since, Long.MAX_VALUE), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(FIRST, "1")), BooleanClause.Occur.MUST_NOT)
                    .build();
            Query changed = new BooleanQuery.Builder()
                    .add(recent, BooleanClause.Occur.SHOULD)
                    .add(new TermQuery(new Term(AHEAD, "1")), BooleanClause.Occur.SHOULD)
                    .build();
            Weight w = searcher.createWeight(searcher.rewrite(changed), ScoreMode.COMPLETE_NO_SCORES, 1f);
            for (LeafReaderContext leaf : r.leaves()) {
                Scorer scorer = w.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                StoredFields stored = leaf.reader().storedFields();
                var live = leaf.reader().getLiveDocs();
                DocIdSetIterator it = scorer.iterator();
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document d = stored.document(doc);
                    into.merge(d.get(ID), entry(d), (a, b) -> a.sourceTimeMillis() >= b.sourceTimeMillis() ? a : b);
                }
            }
        }

        /** True when no permissions changed since the time. */
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        /** Ids of every changed document. */
        public Set<String> ids() {
            return entries.keySet();
        }
    }
}
