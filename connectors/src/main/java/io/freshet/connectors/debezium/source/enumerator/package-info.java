/** Assigns the Debezium split to one reader and checkpoints whether it is assigned. */
package io.freshet.connectors.debezium.source.enumerator;
