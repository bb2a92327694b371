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
 */
record DebeziumRecord(
        RawChange change,
        String offsetKey,
        String offsetValue,
        RecordChangeEvent<SourceRecord> event,
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {}
