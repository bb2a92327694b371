package io.freshet.index.search;

import io.freshet.core.Principal;
import java.util.Objects;

/**
 * One search.
 *
 * @param principal the caller; only chunks it may see are searched
 * @param text the query text for BM25 (may be null when the mode is {@link RetrievalMode#VECTOR})
 * @param vector the query embedding (may be null when the mode is {@link RetrievalMode#KEYWORD})
 * @param k how many hits to return
 * @param mode which retrievers run
 * @param filters metadata filters that narrow the permission filter
 * @param fusion how hybrid results are fused
 */
public record SearchRequest(Principal principal, String text, float[] vector, int k, RetrievalMode mode,
        SearchFilters filters, Fusion fusion) {

    public SearchRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(mode, "mode");
        filters = filters == null ? SearchFilters.NONE : filters;
        fusion = fusion == null ? Fusion.DEFAULT : fusion;
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
        if (mode.usesVector() && vector == null) {
            throw new IllegalArgumentException(mode.apiName() + " search needs a query vector");
        }
        if (mode.usesKeyword() && (text == null || text.isBlank())) {
            throw new IllegalArgumentException(mode.apiName() + " search needs query text");
        }
    }

    /** A vector-only search with no filters. */
    public static SearchRequest vector(Principal principal, float[] vector, int k) {
        return new SearchRequest(principal, null, vector, k, RetrievalMode.VECTOR, SearchFilters.NONE, Fusion.DEFAULT);
    }

    /** A keyword-only search with no filters. */
    public static SearchRequest keyword(Principal principal, String text, int k) {
        return new SearchRequest(principal, text, null, k, RetrievalMode.KEYWORD, SearchFilters.NONE, Fusion.DEFAULT);
    }
}
