package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Keyed exchanges that carry a snapshot's reconcile marker to every subtask in order with the documents: to
 * every chunk-embed subtask, and from each of them to every index shard. A subtask takes the marker behind every
 * change sent to it before and ahead of every change after.
 *
 * <p>Two exchanges (a keyBy for documents, a broadcast for markers) keep no order between each other: a marker
 * could overtake a document read before the snapshot, which then landed after the reconcile and stayed indexed
 * though its row was gone; or a change streamed after the snapshot could land before the marker and be removed.
 *
 * <p>Documents are keyed by their id, as before, so keyed state and indexes written before keep their layout. A
 * marker is copied once per key group, each copy under a key of that group that starts with
 * {@link SourceChange#SNAPSHOT_MARKER_KEY}: every subtask owns at least one key group, also after a rescale
 * (Flink redistributes keyed in-flight data by key group), and a subtask acts on the first copy. The exchanges
 * are keyed, so unaligned checkpoints work across them (Flink refuses a custom partitioner with them); the
 * receiving step's maximum parallelism is set here explicitly, so the copies' keys and the exchange agree on the
 * key groups.
 *
 * <p>Not covered: a restore that changes {@code job.embed-parallelism} from an unaligned checkpoint taken while a
 * snapshot's marker was in flight. The in-flight data of different old subtasks is then replayed in no mutual
 * order, so a document read before the snapshot could still land after the reconcile. Change the parallelism on a
 * restore from a checkpoint taken after the snapshot completed ("Snapshot ... completed" in the job's log).
 */
public final class MarkerRouting {

    private MarkerRouting() {}

    /**
     * The key groups of a keyed step of {@code parallelism} subtasks: {@code pipeline.max-parallelism} when set,
     * else Flink's default for that parallelism (what the step had before it was set explicitly).
     */
    public static int keyGroups(StreamExecutionEnvironment env, int parallelism) {
        int configured = env.getConfig().getMaxParallelism();
        int keyGroups = configured > 0 ? configured : KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        if (keyGroups < parallelism || keyGroups > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("pipeline.max-parallelism must be between the parallelism " + parallelism
                    + " and " + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM + "; got " + keyGroups);
        }
        return keyGroups;
    }

    /**
     * Keys {@code changes} by document id for a step of {@code keyGroups} key groups (set it as that step's
     * maximum parallelism), a marker copied to every key group. The copying runs at the changes' parallelism.
     */
    public static KeyedStream<SourceChange, String> toEmbedders(DataStream<SourceChange> changes, int keyGroups,
            long bufferTimeoutMillis) {
        return changes.flatMap(new CopyMarkers(keyGroups))
                .returns(TypeInformation.of(SourceChange.class))
                .name("copy-markers")
                .uid("copy-markers")
                .setParallelism(changes.getParallelism())
                .setBufferTimeout(bufferTimeoutMillis)
                .keyBy(SourceChange::documentId);
    }

    /**
     * Routes {@code actions} to a sink of {@code shards} subtasks: the returned stream runs at that parallelism,
     * with the sink's key groups as its maximum parallelism, and is meant to be chained into the sink.
     * {@code bufferTimeoutMillis} is how long the exchange waits to fill a network buffer.
     */
    public static DataStream<IndexAction> toShards(DataStream<IndexAction> actions, int shards, long bufferTimeoutMillis) {
        int keyGroups = keyGroups(actions.getExecutionEnvironment(), shards);
        return actions.flatMap(new RouteActions(keyGroups))
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

    /** One key in each of {@code keyGroups} key groups, in key group order, each starting with the marker key. */
    static String[] markerKeys(int keyGroups) {
        checkKeyGroups(keyGroups);
        String[] keys = new String[keyGroups];
        int found = 0;
        for (long n = 0; found < keyGroups; n++) {
            String key = SourceChange.SNAPSHOT_MARKER_KEY + "#" + n;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(key, keyGroups);
            if (keys[group] == null) {
                keys[group] = key;
                found++;
            }
        }
        return keys;
    }

    private static void checkKeyGroups(int keyGroups) {
        if (keyGroups < 1 || keyGroups > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("the maximum parallelism (pipeline.max-parallelism) must be between 1 and "
                    + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM + "; got " + keyGroups);
        }
    }

    /** A flatMap that knows one marker key per key group of the receiving step (found once, where it runs). */
    abstract static class WithMarkerKeys<I, O> extends RichFlatMapFunction<I, O> {
        private static final long serialVersionUID = 1L;
        private final int keyGroups;
        /** One key per key group, in key group order. */
        transient String[] keys;

        WithMarkerKeys(int keyGroups) {
            checkKeyGroups(keyGroups); // a bad count is refused where the job is built
            this.keyGroups = keyGroups;
        }

        @Override
        public void open(OpenContext context) {
            keys = markerKeys(keyGroups);
        }
    }

    /** Copies a snapshot-completed marker once per key group; passes every other change on. */
    static final class CopyMarkers extends WithMarkerKeys<SourceChange, SourceChange> {
        private static final long serialVersionUID = 1L;

        CopyMarkers(int keyGroups) {
            super(keyGroups);
        }

        @Override
        public void flatMap(SourceChange change, Collector<SourceChange> out) {
            if (change.op() != ChangeOp.SNAPSHOT_COMPLETED) {
                out.collect(change);
                return;
            }
            for (String key : keys) {
                out.collect(change.markerCopy(key));
            }
        }
    }

    /**
     * One action with the key it travels under.
     *
     * @param key the document id, or for a reconcile marker's copy a key of one key group
     * @param action the action
     */
    public record Routed(String key, IndexAction action) implements Serializable {
        public Routed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(action, "action");
        }
    }

    /** Keys a document's action by its id and copies a reconcile marker once per key group. */
    static final class RouteActions extends WithMarkerKeys<IndexAction, Routed> {
        private static final long serialVersionUID = 1L;

        RouteActions(int keyGroups) {
            super(keyGroups);
        }

        @Override
        public void flatMap(IndexAction action, Collector<Routed> out) {
            if (action.reconcile()) {
                for (String key : keys) {
                    out.collect(new Routed(key, action));
                }
            } else {
                out.collect(new Routed(action.documentId(), action));
            }
        }
    }
}
