package io.freshet.connectors.debezium.source.enumerator;

import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import java.util.Optional;

/**
 * What the enumerator checkpoints.
 *
 * @param unassigned the split when no reader holds it (at start, or handed back after a reader failed)
 */
public record DebeziumEnumeratorState(Optional<DebeziumSplit> unassigned) {
    public DebeziumEnumeratorState {
        unassigned = unassigned == null ? Optional.empty() : unassigned;
    }

    /** The state of a new source: the initial split waits for a reader. */
    public static DebeziumEnumeratorState initial() {
        return new DebeziumEnumeratorState(Optional.of(DebeziumSplit.initial()));
    }
}
