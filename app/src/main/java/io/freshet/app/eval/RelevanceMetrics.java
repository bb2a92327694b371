package io.freshet.app.eval;

import java.util.List;
import java.util.Map;

/**
 * Ranking metrics as trec_eval (and so BEIR, through pytrec_eval) computes them for one query: graded
 * relevance with linear gain, a document ranked {@code i} (from 1) discounted by {@code log2(i + 1)}.
 */
public final class RelevanceMetrics {
    private RelevanceMetrics() {}

    /** nDCG at {@code k} of {@code ranking} against {@code relevant} (document id to grade > 0). */
    public static double ndcg(List<String> ranking, Map<String, Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            Integer g = relevant.get(ranking.get(i));
            if (g != null) {
                dcg += g / log2(i + 2);
            }
        }
        List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return dcg / idcg;
    }

    /** Share of the relevant documents found in the first {@code k}. */
    public static double recall(List<String> ranking, Map<String, Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        long found = ranking.stream().limit(k).filter(relevant::containsKey).count();
        return (double) found / relevant.size();
    }

    /** Reciprocal rank of the first relevant document within the first {@code k}, 0 when there is none. */
    public static double reciprocalRank(List<String> ranking, Map<String, Integer> relevant, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (relevant.containsKey(ranking.get(i))) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
