/**
 * The Kafka path: Debezium change events that Kafka Connect or Debezium Server wrote to Kafka topics, read
 * with flink-connector-kafka's {@code KafkaSource} into the same {@link io.freshet.core.RawChange} type as
 * the direct Debezium source.
 */
package io.freshet.connectors.kafka;
