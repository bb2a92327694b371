package io.freshet.index.search;

import java.util.Locale;

/** Which retrievers answer a search. */
public enum RetrievalMode {
    /** BM25 and kNN, fused. */
    HYBRID,
    /** kNN over chunk embeddings only. */
    VECTOR,
    /** BM25 over chunk text only. */
    KEYWORD;

    /** Parses {@code hybrid}, {@code vector} or {@code keyword} (any case). */
    public static RetrievalMode parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("mode must be one of hybrid, vector, keyword; got null");
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "hybrid" -> HYBRID;
            case "vector" -> VECTOR;
            case "keyword" -> KEYWORD;
            default -> throw new IllegalArgumentException("mode must be one of hybrid, vector, keyword; got '" + s + "'");
        };
    }

    /** Lower-case name as used in the API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean usesKeyword() {
        return this != VECTOR;
    }

    boolean usesVector() {
        return this != KEYWORD;
    }
}
