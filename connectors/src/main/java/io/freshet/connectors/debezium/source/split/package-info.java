/** The one split of a Debezium source: the connector's offsets, checkpointed with its serializer. */
package io.freshet.connectors.debezium.source.split;
