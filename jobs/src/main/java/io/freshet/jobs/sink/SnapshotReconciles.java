package io.freshet.jobs.sink;

import io.freshet.core.IndexAction;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Which snapshot reconcile markers a shard applies, and to which documents. A marker reaches a shard once per key
 * group the shard owns ({@code MarkerRouting}), from each chunk-embed subtask: the shard applies the first copy of
 * each snapshot per {@link IndexAction.ReconcileScope}, and removes only the documents that scope speaks for.
 * Copies from different scopes may interleave, and after a change of the embedders' parallelism a subtask index
 * can speak under an old and a new scope for one snapshot, so each scope is remembered on its own. Not kept in
 * state: a marker replayed after a restore is applied once more, which removes nothing new.
 */
final class SnapshotReconciles {

    /** Per scope ({@code null}: a marker for every document), the snapshot whose marker was applied last. */
    private final Map<IndexAction.ReconcileScope, Long> lastApplied = new HashMap<>();

    /** True for the first copy of {@code marker}'s snapshot under its scope; false for the later copies. */
    boolean first(IndexAction marker) {
        if (!marker.reconcile()) {
            throw new IllegalArgumentException(marker.documentId() + " is not a reconcile marker");
        }
        Long previous = lastApplied.put(marker.scope(), marker.snapshotStartMillis());
        return previous == null || previous != marker.snapshotStartMillis();
    }

    /**
     * The documents {@code scope} speaks for: those whose id Flink's key-group assignment gives to its subtask
     * (chunk-embed is keyed by document id); every document for {@code null}.
     */
    static Predicate<String> owned(IndexAction.ReconcileScope scope) {
        if (scope == null) {
            return id -> true;
        }
        return id -> KeyGroupRangeAssignment.assignKeyToParallelOperator(id, scope.keyGroups(), scope.subtasks())
                == scope.subtask();
    }
}
