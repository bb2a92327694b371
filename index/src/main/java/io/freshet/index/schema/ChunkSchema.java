package io.freshet.index.schema;

import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceDocument;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;

/**
 * The on-disk layout of a chunk: one Lucene document per chunk, with these fields.
 *
 * <table>
 *   <caption>Chunk fields</caption>
 *   <tr><th>field</th><th>Lucene type</th><th>content</th></tr>
 *   <tr><td>{@value #DOC_ID}</td><td>keyword, stored</td><td>source document id; the term an upsert or
 *       delete replaces by</td></tr>
 *   <tr><td>{@value #CHUNK_ID}</td><td>keyword, stored</td><td>{@code <doc id>#<ordinal>}</td></tr>
 *   <tr><td>{@value #ORDINAL}</td><td>int point, stored</td><td>chunk position in its document</td></tr>
 *   <tr><td>{@value #TITLE}</td><td>text (BM25), stored</td><td>document title</td></tr>
 *   <tr><td>{@value #TEXT}</td><td>text (BM25), stored</td><td>chunk text</td></tr>
 *   <tr><td>{@value #VECTOR}</td><td>float vector, HNSW, dot product</td><td>L2-normalised chunk
 *       embedding</td></tr>
 *   <tr><td>{@value #ACL}</td><td>keyword, multi-valued, stored</td><td>{@code user:<name>} and
 *       {@code group:<name>} entries allowed to see the document</td></tr>
 *   <tr><td>{@value #TENANT}</td><td>keyword, stored</td><td>owning tenant</td></tr>
 *   <tr><td>{@value #START}/{@value #END}</td><td>stored int</td><td>character offsets of the chunk in
 *       the source body, for citations</td></tr>
 *   <tr><td>{@value #SOURCE}</td><td>keyword, stored</td><td>source table or topic</td></tr>
 *   <tr><td>{@value #POSITION}</td><td>stored</td><td>source position of the change that wrote it</td></tr>
 *   <tr><td>{@value #UPDATED_AT}</td><td>long point, stored</td><td>the row's update time, epoch ms</td></tr>
 *   <tr><td>{@value #SOURCE_TIME}</td><td>long point, stored</td><td>source commit time of the change, epoch
 *       ms</td></tr>
 *   <tr><td>{@value #SNAPSHOT_EPOCH}</td><td>long point, stored</td><td>start of the snapshot that read the row
 *       (0 when streamed); a completed snapshot removes documents of other epochs written before it
 *       started</td></tr>
 *   <tr><td>{@value #MODEL}</td><td>keyword, stored</td><td>embedding model id</td></tr>
 *   <tr><td>{@value #MODEL_VERSION}</td><td>stored</td><td>version of the model's weights</td></tr>
 *   <tr><td>{@value #CHUNKER}</td><td>stored</td><td>the chunker and its configuration</td></tr>
 *   <tr><td>{@value #CHUNKER_HASH}</td><td>keyword, stored</td><td>hash of {@value #CHUNKER}</td></tr>
 *   <tr><td>{@value #INGESTED_AT}</td><td>stored</td><td>when the writer indexed the chunk, epoch ms</td></tr>
 *   <tr><td>{@value #METADATA_PREFIX}{@code <column>}</td><td>keyword, stored</td><td>each mapped
 *       metadata column of the document, and the chunk's section ({@value #SECTION_KEY})</td></tr>
 *   <tr><td>{@value #CONTENT_HASH}</td><td>keyword, stored</td><td>{@link SourceDocument#contentHash()} of
 *       the version indexed</td></tr>
 * </table>
 */
public final class ChunkSchema {

    public static final String DOC_ID = "doc_id";
    public static final String CHUNK_ID = "chunk_id";
    public static final String ORDINAL = "ordinal";
    public static final String TITLE = "title";
    public static final String TEXT = "text";
    public static final String VECTOR = "vector";
    public static final String ACL = "acl";
    public static final String TENANT = "tenant";
    public static final String START = "start";
    public static final String END = "end";
    public static final String SOURCE = "source";
    public static final String POSITION = "position";
    public static final String UPDATED_AT = "updated_at";
    public static final String SOURCE_TIME = "source_time";
    public static final String MODEL = "model";
    public static final String MODEL_VERSION = "model_version";
    public static final String CHUNKER = "chunker";
    public static final String CHUNKER_HASH = "chunker_hash";
    public static final String INGESTED_AT = "ingested_at";
    public static final String CONTENT_HASH = "content_hash";
    public static final String SNAPSHOT_EPOCH = "snapshot_epoch";
    /** Prefix of the fields holding the document's mapped metadata columns. */
    public static final String METADATA_PREFIX = "meta.";
    /**
     * Metadata key of a chunk's section (the heading path of a markdown chunk, {@code "Install > Linux"}),
     * returned with the hit's metadata and usable as an attribute filter; absent outside sections.
     */
    public static final String SECTION_KEY = "freshet.section";
    /**
     * Metadata key of a linked copy ({@code dedup.exact: link}, {@code dedup.near: skip}): the id of its canonical
     * document. Retrieval serves a canonical and its linked copies as one hit.
     */
    public static final String LINKED_TO_KEY = "freshet.linked-to";
    /** Metadata key of a duplicate's kind: {@code exact} or {@code near}. */
    public static final String DUPLICATE_KEY = "freshet.duplicate";
    /** Metadata key of the hash of a document's normalised body (exact copies share it). */
    public static final String DUPLICATE_GROUP_KEY = "freshet.duplicate-group";

    /** Vectors are L2-normalised, so dot product is cosine similarity and the cheapest to compute. */
    public static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private ChunkSchema() {}

    /** The term that selects every chunk of a document. */
    public static Term documentTerm(String documentId) {
        return new Term(DOC_ID, documentId);
    }

    /**
     * The chunks a completed snapshot shows to be gone: written before the snapshot started and not by that
     * snapshot. Their rows were deleted while no change stream covered them (for example before a fresh
     * snapshot after a restart).
     */
    public static Query goneAfterSnapshot(long snapshotStartMillis) {
        return new BooleanQuery.Builder()
                .add(LongField.newRangeQuery(SOURCE_TIME, Long.MIN_VALUE, snapshotStartMillis - 1), BooleanClause.Occur.FILTER)
                .add(LongField.newExactQuery(SNAPSHOT_EPOCH, snapshotStartMillis), BooleanClause.Occur.MUST_NOT)
                .build();
    }

    /** The chunk id of a document's chunk. */
    public static String chunkId(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    /**
     * What the writer adds to every chunk's lineage: the weights version of the model and the chunker, which the
     * action does not carry, and when it indexed the chunk.
     */
    public record WriterLineage(String modelVersion, String chunker, long ingestedAtMillis) {
        /** Unknown model version and chunker, indexed now. */
        public static WriterLineage unknown() {
            return new WriterLineage("", "", System.currentTimeMillis());
        }
    }

    /** The Lucene documents for an upsert, one per chunk, with unknown writer lineage. */
    public static List<Document> toLuceneDocuments(IndexAction action) {
        return toLuceneDocuments(action, WriterLineage.unknown());
    }

    /** The Lucene documents for an upsert, one per chunk, each carrying its full lineage. */
    public static List<Document> toLuceneDocuments(IndexAction action, WriterLineage lineage) {
        SourceDocument doc = action.document();
        if (doc == null) {
            throw new IllegalArgumentException("a delete of " + action.documentId() + " has no chunks to index");
        }
        List<Document> out = new ArrayList<>(action.chunks().size());
        String contentHash = doc.contentHash();
        String chunkerHash = lineage.chunker().isEmpty() ? "" : io.freshet.index.write.Hashes.sha256Prefix(lineage.chunker());
        for (EmbeddedChunk ec : action.chunks()) {
            Document d = new Document();
            int ordinal = ec.chunk().ordinal();
            d.add(new StringField(DOC_ID, doc.id(), Field.Store.YES));
            d.add(new StringField(CHUNK_ID, chunkId(doc.id(), ordinal), Field.Store.YES));
            d.add(new IntField(ORDINAL, ordinal, Field.Store.YES));
            d.add(new TextField(TITLE, doc.title(), Field.Store.YES));
            d.add(new TextField(TEXT, ec.chunk().text(), Field.Store.YES));
            d.add(new KnnFloatVectorField(VECTOR, ec.vector(), SIMILARITY));
            for (String entry : doc.acl()) {
                d.add(new StringField(ACL, entry, Field.Store.YES));
            }
            d.add(new StringField(TENANT, doc.tenant(), Field.Store.YES));
            d.add(new StoredField(START, ec.chunk().startOffset()));
            d.add(new StoredField(END, ec.chunk().endOffset()));
            d.add(new StringField(SOURCE, action.source(), Field.Store.YES));
            d.add(new StoredField(POSITION, action.position()));
            d.add(new LongField(UPDATED_AT, doc.updatedAtMillis(), Field.Store.YES));
            d.add(new LongField(SOURCE_TIME, action.sourceTimeMillis(), Field.Store.YES));
            d.add(new LongField(SNAPSHOT_EPOCH, action.snapshotStartMillis(), Field.Store.YES));
            d.add(new StringField(MODEL, action.embeddingModel(), Field.Store.YES));
            d.add(new StoredField(MODEL_VERSION, lineage.modelVersion()));
            d.add(new StoredField(CHUNKER, lineage.chunker()));
            d.add(new StringField(CHUNKER_HASH, chunkerHash, Field.Store.YES));
            d.add(new StoredField(INGESTED_AT, lineage.ingestedAtMillis()));
            d.add(new StringField(CONTENT_HASH, contentHash, Field.Store.YES));
            doc.metadata().forEach((k, v) -> d.add(new StringField(METADATA_PREFIX + k, v, Field.Store.YES)));
            if (!ec.chunk().section().isEmpty()) {
                d.add(new StringField(METADATA_PREFIX + SECTION_KEY, ec.chunk().section(), Field.Store.YES));
            }
            out.add(d);
        }
        return out;
    }
}
