package io.freshet.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.IndexAction;
import io.freshet.core.IndexAction.ReconcileScope;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class SnapshotReconcilesTest {

    private static IndexAction marker(long snapshotStart, ReconcileScope scope) {
        IndexAction m = IndexAction.reconcile("src", "end", snapshotStart);
        return scope == null ? m : m.withScope(scope);
    }

    @Test
    void theFirstCopyOfEachSnapshotIsAppliedPerScopeWhateverTheInterleaving() {
        SnapshotReconciles reconciles = new SnapshotReconciles();
        ReconcileScope a = new ReconcileScope(0, 2, 128);
        ReconcileScope b = new ReconcileScope(1, 2, 128);
        assertThat(reconciles.first(marker(1_000, a))).isTrue();
        assertThat(reconciles.first(marker(1_000, b))).as("another subtask's marker").isTrue();
        assertThat(reconciles.first(marker(1_000, a))).as("a's second copy").isFalse();
        assertThat(reconciles.first(marker(1_000, b))).isFalse();
        assertThat(reconciles.first(marker(2_000, a))).as("a later snapshot").isTrue();
        assertThat(reconciles.first(marker(2_000, a))).isFalse();
        assertThat(reconciles.first(marker(1_000, new ReconcileScope(1, 3, 128))))
                .as("subtask 1 after a change of parallelism speaks for other documents").isTrue();
        assertThat(reconciles.first(marker(1_000, null))).as("an unscoped marker").isTrue();
        assertThat(reconciles.first(marker(1_000, null))).isFalse();
        assertThatThrownBy(() -> reconciles.first(IndexAction.delete("d", "src", "p", 1L)))
                .hasMessageContaining("not a reconcile marker");
    }

    @Test
    void aScopeOwnsTheDocumentsChunkEmbedsKeyByGivesItsSubtask() {
        ReconcileScope[] scopes = {new ReconcileScope(0, 3, 128), new ReconcileScope(1, 3, 128), new ReconcileScope(2, 3, 128)};
        IntStream.range(0, 1_000).mapToObj(i -> "doc-" + i).forEach(id -> {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(id, 128, 3);
            for (ReconcileScope scope : scopes) {
                assertThat(SnapshotReconciles.owned(scope).test(id)).as("%s in %s", id, scope)
                        .isEqualTo(scope.subtask() == owner);
            }
        });
        Predicate<String> all = SnapshotReconciles.owned(null);
        assertThat(all.test("anything")).isTrue();
    }
}
