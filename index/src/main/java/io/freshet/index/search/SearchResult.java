package io.freshet.index.search;

import io.freshet.index.schema.CommitData;
import java.util.List;

/**
 * The hits of one search and what was searched.
 *
 * @param hits the hits, best first
 * @param commitGeneration the view searched: the Lucene commit generation of a plain index directory, or a
 *     number that grows with every switch of an index root's served point
 * @param commitPoint the commit point searched ({@code <generation>@<run>.<checkpoint>}); empty for a plain
 *     index directory
 * @param commit the lineage of that commit
 * @param keywordNanos time spent in BM25 (0 when it did not run)
 * @param vectorNanos time spent in kNN (0 when it did not run)
 * @param fuseNanos time spent fusing and loading the hits
 */
public record SearchResult(List<ChunkHit> hits, long commitGeneration, String commitPoint, CommitData commit, long keywordNanos,
        long vectorNanos, long fuseNanos) {

    /** The result of searching before any commit exists. */
    static SearchResult empty() {
        return new SearchResult(List.of(), -1, "", CommitData.EMPTY, 0, 0, 0);
    }
}
