package io.freshet.connectors.debezium.source;

import java.io.Serializable;
import java.util.Properties;

/**
 * Runs before the Debezium engine starts without stored offsets (first start, or a restart after a
 * checkpoint taken mid-snapshot). Connectors whose snapshot is only consistent with the change stream when
 * they create their own replication position (PostgreSQL's exported snapshot of a new slot) reset it here.
 */
@FunctionalInterface
public interface FreshStartHook extends Serializable {
    /** Prepares the source for a fresh snapshot, given the engine's properties. */
    void beforeFreshStart(Properties engineProperties) throws Exception;

    /** Does nothing. */
    FreshStartHook NONE = props -> {};
}
