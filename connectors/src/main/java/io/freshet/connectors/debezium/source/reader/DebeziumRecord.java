package io.freshet.connectors.debezium.source.reader;

import io.freshet.core.RawChange;

/**
 * One record handed from the engine thread to the Flink reader thread.
 *
 * @param change the change to emit, or {@code null} for a record that only moves the offset (heartbeat,
 *     transaction marker)
 * @param offsetKey serialized offset partition key
 * @param offsetValue serialized offset value after this record
 */
record DebeziumRecord(RawChange change, String offsetKey, String offsetValue) {}
