package io.freshet.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelevanceMetricsTest {

    @Test
    void ndcgMatchesTrecEvalByHand() {
        // relevant: a (grade 2), b (grade 1); ranking puts b first, a third
        Map<String, Integer> rel = Map.of("a", 2, "b", 1);
        List<String> ranking = List.of("b", "x", "a", "y");
        double dcg = 1 / log2(2) + 2 / log2(4);
        double idcg = 2 / log2(2) + 1 / log2(3);
        assertThat(RelevanceMetrics.ndcg(ranking, rel, 10)).isCloseTo(dcg / idcg, offset(1e-12));
        assertThat(RelevanceMetrics.ndcg(List.of("a", "b"), rel, 10)).isCloseTo(1.0, offset(1e-12));
        assertThat(RelevanceMetrics.ndcg(ranking, rel, 2)).isCloseTo((1 / log2(2)) / idcg, offset(1e-12));
        assertThat(RelevanceMetrics.ndcg(List.of(), rel, 10)).isZero();
    }

    @Test
    void recallAndReciprocalRank() {
        Map<String, Integer> rel = Map.of("a", 1, "b", 1, "c", 1, "d", 1);
        List<String> ranking = List.of("x", "a", "y", "b");
        assertThat(RelevanceMetrics.recall(ranking, rel, 2)).isEqualTo(0.25);
        assertThat(RelevanceMetrics.recall(ranking, rel, 100)).isEqualTo(0.5);
        assertThat(RelevanceMetrics.reciprocalRank(ranking, rel, 10)).isEqualTo(0.5);
        assertThat(RelevanceMetrics.reciprocalRank(ranking, rel, 1)).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
