package io.freshet.index.search;

import java.util.concurrent.Executor;
import org.apache.lucene.search.knn.KnnSearchStrategy;

/**
 * How the searcher runs kNN.
 *
 * @param rescoreOversample when above 1 and the served index has quantized segments, kNN collects at least
 *     {@code ceil(k * oversample)} candidates from the quantized graph (k the hits asked for; a hybrid search's
 *     fusion depth counts if larger) and re-ranks them by full-precision similarity; 1 turns rescoring off.
 *     A float index is never rescored: its graph already ranks by full precision
 * @param filteredSearchThreshold Lucene's filtered-search strategy threshold: below this filter
 *     selectivity (percent) HNSW explores only matching neighbours (ACORN-style) instead of all
 * @param executor when not null, segments are searched in parallel on it, and hybrid search runs BM25 on it
 *     while kNN runs on the caller's thread
 * @param exactMaxCandidates when the caller's filter admits at most this many chunks (Lucene's cost estimate, counted when near the bound),
 *     kNN scores every admitted chunk exactly with full-precision vectors instead of walking the graph: for
 *     a selective filter that is both exact and faster than a filtered graph search; 0 turns it off
 */
public record VectorSearchOptions(double rescoreOversample, int filteredSearchThreshold, Executor executor,
        int exactMaxCandidates) {

    /**
     * Chunks up to which a filtered kNN is answered by exact scoring. Measured on 1M chunks of 384 dimensions
     * (2 cores, {@code bench knn-cost}, the quieter of two runs): exact costs about 0.2 us per admitted chunk, a
     * filtered graph search 10-14 ms of CPU at the median between 20,000 and 40,000 admitted chunks and 4 ms at
     * 100,000; the two meet between 40,000 and 50,000. The filter's size is Lucene's cost estimate, counted exactly
     * when the estimate is at most four times the bound (a conjunction estimates its cheapest clause).
     */
    public static final int DEFAULT_EXACT_MAX_CANDIDATES = 40_000;
    /** Full-precision rescoring of twice the hits asked for, on quantized segments. */
    public static final double DEFAULT_RESCORE_OVERSAMPLE = 2.0;

    /**
     * Rescoring (quantized segments only), Lucene's default filtered-search threshold (its ACORN-style search
     * lost up to 30% of recall at 2-5% selectivity on the benchmark index), one thread, exact search for small
     * filters.
     */
    public static final VectorSearchOptions DEFAULT = new VectorSearchOptions(DEFAULT_RESCORE_OVERSAMPLE,
            KnnSearchStrategy.DEFAULT_FILTERED_SEARCH_THRESHOLD, null, DEFAULT_EXACT_MAX_CANDIDATES);

    public VectorSearchOptions {
        if (!(rescoreOversample >= 1.0) || rescoreOversample > 20) {
            throw new IllegalArgumentException("rescore oversample must be in [1, 20]; got " + rescoreOversample);
        }
        if (exactMaxCandidates < 0) {
            throw new IllegalArgumentException("exact search candidates must be >= 0; got " + exactMaxCandidates);
        }
        if (filteredSearchThreshold < 0 || filteredSearchThreshold > 100) {
            throw new IllegalArgumentException("filtered search threshold must be in [0, 100]; got "
                    + filteredSearchThreshold);
        }
    }

    /** Full-precision rescoring of {@code oversample} times k quantized candidates. */
    public VectorSearchOptions withRescore(double oversample) {
        return new VectorSearchOptions(oversample, filteredSearchThreshold, executor, exactMaxCandidates);
    }

    /** Searches segments in parallel on {@code e}. */
    public VectorSearchOptions withExecutor(Executor e) {
        return new VectorSearchOptions(rescoreOversample, filteredSearchThreshold, e, exactMaxCandidates);
    }

    /** Exact scoring for filters admitting at most {@code n} chunks (0: never). */
    public VectorSearchOptions withExactMaxCandidates(int n) {
        return new VectorSearchOptions(rescoreOversample, filteredSearchThreshold, executor, n);
    }

    boolean rescores() {
        return rescoreOversample > 1.0;
    }
}
