package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.ChangeOp;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

class MarkerRoutingTest {

    private static final int SUBTASKS = 3;
    private static final String MARKER = "marker";
    /** What each receiving subtask took, in order, per test run. */
    private static final Map<String, Map<Integer, List<String>>> RECEIVED = new ConcurrentHashMap<>();

    @Test
    void aMarkerHasOneKeyInEveryKeyGroupSoEverySubtaskGetsItAtAnyParallelism() {
        for (int keyGroups : new int[] {1, 2, 128, 1_000}) {
            String[] keys = MarkerRouting.markerKeys(keyGroups);
            assertThat(keys).hasSize(keyGroups).doesNotHaveDuplicates()
                    .allMatch(k -> k.startsWith(SourceChange.SNAPSHOT_MARKER_KEY));
            for (int group = 0; group < keyGroups; group++) {
                assertThat(KeyGroupRangeAssignment.assignToKeyGroup(keys[group], keyGroups)).isEqualTo(group);
            }
        }
    }

    @Test
    void aReconcileMarkerReachesEveryShardBehindTheActionsBeforeItAndAheadOfThoseAfter() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("MarkerRoutingTest shards seed=" + seed);
        Random random = new Random(seed);
        int before = 20_000 + random.nextInt(20_000);
        List<IndexAction> actions = new ArrayList<>();
        for (int i = 0; i < before + 20_000 + random.nextInt(20_000); i++) {
            if (i == before) {
                actions.add(IndexAction.reconcile("snapshot", MARKER, 1_000L));
            }
            actions.add(IndexAction.delete("doc-" + random.nextInt(5_000), "table", Integer.toString(i), 1L));
        }
        String run = "shards" + seed;
        StreamExecutionEnvironment env = environment(run);
        MarkerRouting.toShards(env.fromData(actions, TypeInformation.of(IndexAction.class)).setParallelism(1), SUBTASKS, 10)
                .map(new Record<>(run, IndexAction::position))
                .returns(TypeInformation.of(String.class))
                .setParallelism(SUBTASKS)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(SUBTASKS);
        env.execute("marker routing to shards");

        Map<String, String> owners = new HashMap<>();
        actions.forEach(a -> owners.put(a.position(), a.documentId()));
        checkOrder(seed, RECEIVED.remove(run), before, actions.size() - 1, owners);
    }

    @Test
    void aSnapshotMarkerReachesEveryEmbedderBehindTheChangesBeforeItAndAheadOfThoseAfter() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("MarkerRoutingTest embedders seed=" + seed);
        Random random = new Random(seed);
        int before = 20_000 + random.nextInt(20_000);
        List<SourceChange> changes = new ArrayList<>();
        for (int i = 0; i < before + 20_000 + random.nextInt(20_000); i++) {
            if (i == before) {
                changes.add(SourceChange.snapshotCompleted("snapshot", MARKER, 1_000L));
            }
            changes.add(new SourceChange(ChangeOp.DELETE, "doc-" + random.nextInt(5_000), null, "table",
                    Integer.toString(i), 1L));
        }
        String run = "embedders" + seed;
        StreamExecutionEnvironment env = environment(run);
        int keyGroups = MarkerRouting.keyGroups(env, SUBTASKS);
        MarkerRouting.toEmbedders(env.fromData(changes, TypeInformation.of(SourceChange.class)).setParallelism(1),
                        keyGroups, 10)
                .map(new Record<>(run, SourceChange::position))
                .returns(TypeInformation.of(String.class))
                .setParallelism(SUBTASKS)
                .setMaxParallelism(keyGroups)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(SUBTASKS);
        env.execute("marker routing to embedders");

        Map<String, String> owners = new HashMap<>();
        changes.forEach(c -> owners.put(c.position(), c.documentId()));
        checkOrder(seed, RECEIVED.remove(run), before, changes.size() - 1, owners);
    }

    @Test
    void badKeyGroupCountsAreRefused() {
        assertThatThrownBy(() -> MarkerRouting.markerKeys(0)).hasMessageContaining("pipeline.max-parallelism")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> MarkerRouting.markerKeys(40_000)).hasMessageContaining("got 40000");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.getConfig().setMaxParallelism(2);
        assertThatThrownBy(() -> MarkerRouting.keyGroups(env, 3)).hasMessageContaining("between the parallelism 3");
    }

    /**
     * A local environment checkpointing with unaligned barriers, as the ingest job runs: Flink refuses, when the job
     * starts, an exchange that cannot take them (a custom partitioner), which is how a first version of this
     * routing failed in the real job.
     */
    private static StreamExecutionEnvironment environment(String run) {
        RECEIVED.put(run, new ConcurrentHashMap<>());
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(SUBTASKS, flink);
        env.enableCheckpointing(100);
        return env;
    }

    /**
     * Every subtask took the marker's copies together, every record sent before the marker ahead of them and every
     * one after behind them, each in sending order, and each record on the subtask a keyBy on its document id picks.
     */
    private static void checkOrder(long seed, Map<Integer, List<String>> received, int before, int records,
            Map<String, String> owners) {
        assertThat(received).as("seed %d", seed).containsOnlyKeys(0, 1, 2);
        int keyGroups = KeyGroupRangeAssignment.computeDefaultMaxParallelism(SUBTASKS);
        int documents = 0;
        List<String> misrouted = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> subtask : received.entrySet()) {
            List<String> got = subtask.getValue();
            int first = got.indexOf(MARKER);
            int last = got.lastIndexOf(MARKER);
            assertThat(first).as("seed %d: subtask %d got the marker", seed, subtask.getKey()).isNotNegative();
            for (int i = 0; i < got.size(); i++) {
                if (i >= first && i <= last) {
                    assertThat(got.get(i)).as("seed %d: subtask %d takes the marker's copies together", seed,
                            subtask.getKey()).isEqualTo(MARKER);
                    continue;
                }
                int position = Integer.parseInt(got.get(i));
                assertThat(position < before).as("seed %d: subtask %d took record %d %s the marker", seed,
                        subtask.getKey(), position, i < first ? "before" : "after").isEqualTo(i < first);
                if (i > 0 && i - 1 != last) {
                    assertThat(position).as("seed %d: order within subtask %d", seed, subtask.getKey())
                            .isGreaterThan(Integer.parseInt(got.get(i - 1)));
                }
                String id = owners.get(got.get(i));
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(id, keyGroups, SUBTASKS) != subtask.getKey()) {
                    misrouted.add(id + "@" + got.get(i));
                }
            }
            documents += got.size() - (last - first + 1);
        }
        assertThat(documents).as("seed %d: every record arrived once", seed).isEqualTo(records);
        Set<String> all = new HashSet<>();
        received.values().forEach(all::addAll);
        assertThat(all).as("seed %d", seed).hasSize(records + 1);
        assertThat(misrouted).as("seed %d: records not on the subtask a keyBy on their id picks", seed).isEmpty();
    }

    /** Notes each record's position (the marker's is {@link #MARKER}) under the subtask that received it. */
    private static final class Record<T> extends RichMapFunction<T, String> {
        private final String run;
        private final SerializablePosition<T> position;
        private transient List<String> mine;

        Record(String run, SerializablePosition<T> position) {
            this.run = run;
            this.position = position;
        }

        @Override
        public void open(OpenContext context) {
            mine = Collections.synchronizedList(new ArrayList<>());
            RECEIVED.get(run).put(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), mine);
        }

        @Override
        public String map(T record) {
            String p = position.apply(record);
            mine.add(p);
            return p;
        }
    }

    private interface SerializablePosition<T> extends Function<T, String>, java.io.Serializable {}
}
