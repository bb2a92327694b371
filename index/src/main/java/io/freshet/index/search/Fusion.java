package io.freshet.index.search;

/**
 * How hybrid search fuses its two ranked lists: weighted reciprocal rank fusion,
 * {@code score(d) = sum over retrievers r of weight_r / (rankConstant + rank_r(d))}, ranks from 1.
 *
 * @param rankConstant RRF's k; larger flattens the advantage of top ranks (60 in the original paper)
 * @param keywordWeight weight of the BM25 list
 * @param vectorWeight weight of the kNN list
 * @param candidates how many hits each retriever contributes before fusion (at least the request's k)
 */
public record Fusion(int rankConstant, double keywordWeight, double vectorWeight, int candidates) {

    /** RRF with k = 60, equal weights, 20 candidates per retriever. */
    public static final Fusion DEFAULT = new Fusion(60, 1.0, 1.0, 20);

    public Fusion {
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

    /** The fused contribution of a hit at {@code rank} (1-based) in a list of weight {@code weight}. */
    double contribution(double weight, int rank) {
        return weight / (rankConstant + rank);
    }
}
