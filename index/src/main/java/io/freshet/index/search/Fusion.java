package io.freshet.index.search;

import java.util.Locale;
import java.util.Objects;

/**
 * How hybrid search fuses its two ranked lists.
 *
 * <ul>
 *   <li>{@link Method#RRF} (default): weighted reciprocal rank fusion,
 *       {@code score(d) = sum over retrievers r of weight_r / (rankConstant + rank_r(d))}, ranks from 1. Only
 *       ranks matter, so it needs no calibration between BM25 and cosine scores.</li>
 *   <li>{@link Method#CONVEX}: a weighted sum of each retriever's score min-max normalised over its own
 *       candidate list ({@code (s - min) / (max - min)}; a chunk missing from a list adds 0). It keeps how
 *       far ahead a top hit is, which rank fusion throws away.</li>
 * </ul>
 *
 * @param method how scores combine
 * @param rankConstant RRF's k; larger flattens the advantage of top ranks (60 in the original paper)
 * @param keywordWeight weight of the BM25 list
 * @param vectorWeight weight of the kNN list
 * @param candidates how many hits each retriever contributes before fusion (at least the request's k)
 * @param perDocument fuse documents instead of chunks: each retriever's list counts a document once, at its best
 *     chunk's place, so a document whose best BM25 chunk and best kNN chunk differ still gets both retrievers'
 *     credit; the hit is the document's better-ranked chunk, one per document
 */
public record Fusion(Method method, int rankConstant, double keywordWeight, double vectorWeight, int candidates,
        boolean perDocument) {

    /** How two lists combine. */
    public enum Method {
        /** Reciprocal rank fusion. */
        RRF,
        /** Weighted sum of min-max normalised scores. */
        CONVEX;

        /** Parses {@code rrf} or {@code convex}, naming the bad value otherwise. */
        public static Method of(String s) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("fusion method must be rrf or convex; got '" + s + "'");
        }

        /** The name used in configuration. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** RRF with k = 60, equal weights, 20 candidates per retriever. */
    public static final Fusion DEFAULT = new Fusion(60, 1.0, 1.0, 20);

    /** Chunk-level fusion. */
    public Fusion(Method method, int rankConstant, double keywordWeight, double vectorWeight, int candidates) {
        this(method, rankConstant, keywordWeight, vectorWeight, candidates, false);
    }

    /** This fusion, per document or per chunk. */
    public Fusion withPerDocument(boolean v) {
        return new Fusion(method, rankConstant, keywordWeight, vectorWeight, candidates, v);
    }

    public Fusion {
        Objects.requireNonNull(method, "fusion method");
        if (rankConstant < 0) {
            throw new IllegalArgumentException("fusion rank constant must be >= 0; got " + rankConstant);
        }
        if (!(keywordWeight >= 0) || !(vectorWeight >= 0) || keywordWeight + vectorWeight == 0) {
            throw new IllegalArgumentException("fusion weights must be >= 0 and not both 0; got keyword="
                    + keywordWeight + " vector=" + vectorWeight);
        }
        if (candidates < 1 || candidates > 10_000) {
            throw new IllegalArgumentException("fusion candidates must be in [1, 10000]; got " + candidates);
        }
    }

    /** Reciprocal rank fusion with these settings. */
    public Fusion(int rankConstant, double keywordWeight, double vectorWeight, int candidates) {
        this(Method.RRF, rankConstant, keywordWeight, vectorWeight, candidates);
    }

    /** The fused contribution of a hit at {@code rank} (1-based) in a list of weight {@code weight}. */
    double contribution(double weight, int rank) {
        return weight / (rankConstant + rank);
    }
}
