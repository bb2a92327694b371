package io.freshet.app.recovery;

import io.freshet.index.schema.ChunkSchema;
import java.io.IOException;
import java.nio.file.Path;
import io.freshet.index.lifecycle.IndexRoot;
import org.apache.lucene.index.IndexReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import io.freshet.core.SourceDocument;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;

/**
 * The recovery oracle: the set of (document id, content hash) in the index must equal the source table's,
 * with every document's chunks numbered 0..n-1 exactly once.
 */
public final class IndexOracle {

    /**
     * What differs between table and index.
     *
     * @param tableDocuments rows in the table
     * @param indexDocuments documents in the index
     * @param missing rows with no chunks in the index
     * @param stale documents whose chunks carry another content hash than the row, or that no longer exist
     * @param duplicateChunks chunks beyond one per (document, ordinal), or ordinals with gaps
     */
    public record Diff(int tableDocuments, int indexDocuments, int missing, int stale, int duplicateChunks,
            List<String> examples) {
        public boolean clean() {
            return missing == 0 && stale == 0 && duplicateChunks == 0;
        }
    }

    private IndexOracle() {}

    public static Map<String, String> table(Connection c) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, title, body, acl, tenant FROM documents")) {
            while (rs.next()) {
                List<String> acl = Arrays.asList((String[]) rs.getArray(4).getArray());
                SourceDocument d = new SourceDocument(rs.getString(1), rs.getString(2), rs.getString(3), acl,
                        rs.getString(5), 0);
                if (!d.body().isBlank()) {
                    rows.put(d.id(), d.contentHash());
                }
            }
        }
        return rows;
    }

    /**
     * Waits up to {@code deadline} until the index under {@code indexDir} equals {@code expected} and returns
     * the clean diff; otherwise runs {@code onTimeout} (to save diagnostics) and fails with the last diff.
     */
    public static Diff awaitEqual(Map<String, String> expected, Path indexDir, java.time.Duration deadline, String what,
            Runnable onTimeout) {
        java.util.concurrent.atomic.AtomicReference<Diff> diff = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await().atMost(deadline).pollInterval(java.time.Duration.ofMillis(250)).until(() -> {
                diff.set(compare(expected, indexDir));
                return diff.get().clean();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            onTimeout.run();
            throw new AssertionError(what + ": the index did not converge within " + deadline + ": " + diff.get(), e);
        }
        return diff.get();
    }

    public static Diff compare(Map<String, String> table, Path indexDir) throws IOException {
        Map<String, List<String[]>> chunks = new HashMap<>(); // doc id -> [ordinal, hash]
        Optional<IndexReader> served = IndexRoot.isIndexRoot(indexDir) ? new IndexRoot(indexDir).openServed() : Optional.empty();
        if (served.isPresent()) {
            try (IndexReader reader = served.get()) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    Bits live = leaf.reader().getLiveDocs();
                    StoredFields stored = leaf.reader().storedFields();
                    for (int i = 0; i < leaf.reader().maxDoc(); i++) {
                        if (live != null && !live.get(i)) {
                            continue;
                        }
                        Document d = stored.document(i, Set.of(ChunkSchema.DOC_ID, ChunkSchema.ORDINAL, ChunkSchema.CONTENT_HASH));
                        chunks.computeIfAbsent(d.get(ChunkSchema.DOC_ID), k -> new ArrayList<>())
                                .add(new String[] {d.get(ChunkSchema.ORDINAL), d.get(ChunkSchema.CONTENT_HASH)});
                    }
                }
            }
        }
        int missing = 0;
        int stale = 0;
        int duplicates = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, String> row : table.entrySet()) {
            List<String[]> c = chunks.get(row.getKey());
            if (c == null) {
                missing++;
                example(examples, "missing " + row.getKey());
                continue;
            }
            boolean[] seen = new boolean[c.size()];
            for (String[] chunk : c) {
                if (!row.getValue().equals(chunk[1])) {
                    stale++;
                    example(examples, "stale " + row.getKey());
                    break;
                }
            }
            for (String[] chunk : c) {
                int ordinal = Integer.parseInt(chunk[0]);
                if (ordinal >= seen.length || seen[ordinal]) {
                    duplicates++;
                } else {
                    seen[ordinal] = true;
                }
            }
        }
        for (String id : chunks.keySet()) {
            if (!table.containsKey(id)) {
                stale++;
                example(examples, "deleted but indexed " + id);
            }
        }
        return new Diff(table.size(), chunks.size(), missing, stale, duplicates, examples);
    }

    private static void example(List<String> examples, String example) {
        if (examples.size() < 10) {
            examples.add(example);
        }
    }
}
