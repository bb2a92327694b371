package io.freshet.jobs.ingest;

import io.freshet.core.IndexAction;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Sends chunk-embed's actions to the index shards over one keyed exchange, so every shard takes them in the
 * order they were emitted: a document's actions go to the shard that owns the document, and a snapshot's
 * reconcile marker goes to every shard, behind every action emitted before it and ahead of every action after.
 *
 * <p>Two exchanges (a keyBy for documents, a broadcast for markers) keep no order between each other: a marker
 * could overtake a document read before the snapshot, which then landed after the reconcile and stayed indexed
 * though its row was gone; or a change streamed after the snapshot could land before the marker and be removed.
 *
 * <p>Documents are keyed by their id, exactly as before, so indexes written before keep their layout. A marker
 * is copied once per key group, each copy under a key of that group: every shard owns at least one key group,
 * also after a rescale (Flink redistributes keyed in-flight data by key group), and the sink applies one
 * reconcile per snapshot. The exchange is keyed, so unaligned checkpoints work across it; its key groups are
 * the sink's maximum parallelism, set here explicitly, so the marker keys and the exchange agree.
 */
public final class ShardRouting extends RichFlatMapFunction<IndexAction, ShardRouting.Routed> {

    private static final long serialVersionUID = 1L;
    private static final String MARKER_KEY_PREFIX = "\u0000freshet-reconcile#";

    /**
     * One action with the key it travels under.
     *
     * @param key the document id, or for a marker's copy a key of one key group
     * @param action the action
     */
    public record Routed(String key, IndexAction action) implements Serializable {
        public Routed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(action, "action");
        }
    }

    private final int keyGroups;
    private transient String[] markerKeys;

    /** @param keyGroups the sink's maximum parallelism (its number of key groups) */
    public ShardRouting(int keyGroups) {
        if (keyGroups < 1 || keyGroups > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("the sink's maximum parallelism (pipeline.max-parallelism) must be between 1 and "
                    + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM + "; got " + keyGroups);
        }
        this.keyGroups = keyGroups;
    }

    /**
     * Routes {@code actions} to a sink of {@code shards} subtasks: the returned stream runs at that parallelism,
     * with the sink's key groups as its maximum parallelism, and is meant to be chained into the sink.
     * {@code bufferTimeoutMillis} is how long the exchange waits to fill a network buffer.
     */
    public static DataStream<IndexAction> toShards(DataStream<IndexAction> actions, int shards, long bufferTimeoutMillis) {
        int configured = actions.getExecutionEnvironment().getConfig().getMaxParallelism();
        int keyGroups = configured > 0 ? configured : KeyGroupRangeAssignment.computeDefaultMaxParallelism(shards);
        return actions.flatMap(new ShardRouting(keyGroups))
                .returns(TypeInformation.of(Routed.class))
                .name("route-to-shards")
                .uid("route-to-shards")
                .setParallelism(actions.getParallelism())
                .setBufferTimeout(bufferTimeoutMillis)
                .keyBy(Routed::key)
                .map(Routed::action)
                .returns(TypeInformation.of(IndexAction.class))
                .name("shard-actions")
                .uid("shard-actions")
                .setParallelism(shards)
                .setMaxParallelism(keyGroups);
    }

    @Override
    public void open(OpenContext context) {
        markerKeys = markerKeys(keyGroups);
    }

    @Override
    public void flatMap(IndexAction action, Collector<Routed> out) {
        if (action.reconcile()) {
            for (String key : markerKeys) {
                out.collect(new Routed(key, action));
            }
        } else {
            out.collect(new Routed(action.documentId(), action));
        }
    }

    /** One key in each of {@code keyGroups} key groups, in key group order; none is a document id a row could have. */
    static String[] markerKeys(int keyGroups) {
        String[] keys = new String[keyGroups];
        int found = 0;
        for (long n = 0; found < keyGroups; n++) {
            String key = MARKER_KEY_PREFIX + n;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(key, keyGroups);
            if (keys[group] == null) {
                keys[group] = key;
                found++;
            }
        }
        return keys;
    }
}
