/**
 * A Flink source on the Source API that runs the Debezium embedded engine and keeps Debezium's offsets in
 * Flink checkpoint state. Laid out as flink-connector-kafka is: {@code split}, {@code enumerator},
 * {@code reader}.
 */
package io.freshet.connectors.debezium.source;
