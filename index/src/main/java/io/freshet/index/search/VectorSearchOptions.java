package io.freshet.index.search;

import java.util.concurrent.Executor;
import org.apache.lucene.search.knn.KnnSearchStrategy;

/**
 * How the searcher runs kNN.
 *
 * @param rescoreOversample when above 1, kNN collects {@code ceil(k * oversample)} candidates from the
 *     (quantized) graph and re-ranks them by full-precision similarity, returning the best k; 1 turns
 *     rescoring off
 * @param filteredSearchThreshold Lucene's filtered-search strategy threshold: below this filter
 *     selectivity (percent) HNSW explores only matching neighbours (ACORN-style) instead of all
 * @param executor when not null, segments are searched in parallel on it
 */
public record VectorSearchOptions(double rescoreOversample, int filteredSearchThreshold, Executor executor) {

    /** No rescoring, Lucene's default filtered-search threshold, one thread. */
    public static final VectorSearchOptions DEFAULT =
            new VectorSearchOptions(1.0, KnnSearchStrategy.DEFAULT_FILTERED_SEARCH_THRESHOLD, null);

    public VectorSearchOptions {
        if (!(rescoreOversample >= 1.0) || rescoreOversample > 20) {
            throw new IllegalArgumentException("rescore oversample must be in [1, 20]; got " + rescoreOversample);
        }
        if (filteredSearchThreshold < 0 || filteredSearchThreshold > 100) {
            throw new IllegalArgumentException("filtered search threshold must be in [0, 100]; got "
                    + filteredSearchThreshold);
        }
    }

    /** Full-precision rescoring of {@code oversample} times k quantized candidates. */
    public VectorSearchOptions withRescore(double oversample) {
        return new VectorSearchOptions(oversample, filteredSearchThreshold, executor);
    }

    /** Searches segments in parallel on {@code e}. */
    public VectorSearchOptions withExecutor(Executor e) {
        return new VectorSearchOptions(rescoreOversample, filteredSearchThreshold, e);
    }

    boolean rescores() {
        return rescoreOversample > 1.0;
    }
}
