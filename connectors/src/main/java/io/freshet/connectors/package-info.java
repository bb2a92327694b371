/**
 * Change streams into Flink: the Debezium source (embedded engine behind the Source API) and the mapping
 * of Debezium change-event envelopes to {@link io.freshet.core.SourceChange}s.
 */
package io.freshet.connectors;
