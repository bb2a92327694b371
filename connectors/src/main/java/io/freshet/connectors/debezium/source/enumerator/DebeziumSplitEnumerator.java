package io.freshet.connectors.debezium.source.enumerator;

import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the one Debezium split to reader subtask 0 and takes it back if that reader fails, so exactly one
 * engine runs at a time.
 */
public final class DebeziumSplitEnumerator implements SplitEnumerator<DebeziumSplit, DebeziumEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(DebeziumSplitEnumerator.class);
    private static final int OWNER_SUBTASK = 0;

    private final SplitEnumeratorContext<DebeziumSplit> context;
    private Optional<DebeziumSplit> unassigned;

    public DebeziumSplitEnumerator(SplitEnumeratorContext<DebeziumSplit> context, DebeziumEnumeratorState state) {
        this.context = context;
        this.unassigned = state.unassigned();
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        assignIfPossible();
    }

    @Override
    public void addSplitsBack(List<DebeziumSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            LOG.info("Debezium split returned by subtask {}; reassigning it", subtaskId);
            unassigned = Optional.of(splits.get(0));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignIfPossible();
    }

    private void assignIfPossible() {
        if (unassigned.isPresent() && context.registeredReaders().containsKey(OWNER_SUBTASK)) {
            context.assignSplit(unassigned.get(), OWNER_SUBTASK);
            unassigned = Optional.empty();
        }
        for (int subtask : context.registeredReaders().keySet()) {
            if (subtask != OWNER_SUBTASK) {
                context.signalNoMoreSplits(subtask);
            }
        }
    }

    @Override
    public DebeziumEnumeratorState snapshotState(long checkpointId) {
        return new DebeziumEnumeratorState(unassigned);
    }

    @Override
    public void close() {}
}
