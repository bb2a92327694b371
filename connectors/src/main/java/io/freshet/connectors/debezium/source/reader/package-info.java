/** Runs the Debezium engine and hands its records to Flink with their offsets. */
package io.freshet.connectors.debezium.source.reader;
