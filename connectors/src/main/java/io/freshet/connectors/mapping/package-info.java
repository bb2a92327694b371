/**
 * From Debezium change-event envelopes (JSON, with or without embedded schema) to
 * {@link io.freshet.core.SourceChange}s, by a configured {@link io.freshet.connectors.mapping.TableMapping}.
 */
package io.freshet.connectors.mapping;
