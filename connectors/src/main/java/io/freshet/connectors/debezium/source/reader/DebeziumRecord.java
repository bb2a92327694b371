package io.freshet.connectors.debezium.source.reader;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.freshet.core.RawChange;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One record handed from the engine thread to the Flink reader thread.
 *
 * @param change the change to emit, or {@code null} for a record that only moves the offset (heartbeat,
 *     transaction marker)
 * @param offsetKey serialized offset partition key
 * @param offsetValue serialized offset value after this record
 * @param event the engine's event, marked processed once a checkpoint holding it completes
 * @param committer the committer of the engine batch the event came in
 * @param snapshotPhase the connector's snapshot state after this record
 * @param sourceMillis the record's source timestamp ({@code source.ts_ms}), or the wall clock when it has none
 */
record DebeziumRecord(
        RawChange change,
        String offsetKey,
        String offsetValue,
        SnapshotPhase snapshotPhase,
        long sourceMillis,
        RecordChangeEvent<SourceRecord> event,
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {

    /** Where the connector stands with its snapshot, as a record's offset says. */
    enum SnapshotPhase {
        /** A row of a snapshot in progress. */
        IN_SNAPSHOT,
        /** The last row of a snapshot. */
        LAST_OF_SNAPSHOT,
        /** Streaming. */
        STREAMING
    }
}
