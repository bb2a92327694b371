package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.IndexAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

class ShardRoutingTest {

    private static final int SHARDS = 3;
    /** What each sink subtask received, in order, per test run. */
    private static final Map<String, Map<Integer, List<String>>> RECEIVED = new ConcurrentHashMap<>();

    @Test
    void aMarkerHasOneKeyInEveryKeyGroupSoEveryShardGetsItAtAnyParallelism() {
        for (int keyGroups : new int[] {1, 2, 128, 1_000}) {
            String[] keys = ShardRouting.markerKeys(keyGroups);
            assertThat(keys).hasSize(keyGroups).doesNotHaveDuplicates();
            for (int group = 0; group < keyGroups; group++) {
                assertThat(KeyGroupRangeAssignment.assignToKeyGroup(keys[group], keyGroups)).isEqualTo(group);
            }
        }
    }

    @Test
    void aReconcileMarkerReachesEveryShardBehindTheActionsBeforeItAndAheadOfThoseAfter() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("ShardRoutingTest seed=" + seed);
        Random random = new Random(seed);
        int before = 20_000 + random.nextInt(20_000);
        int after = 20_000 + random.nextInt(20_000);
        List<IndexAction> actions = new ArrayList<>();
        for (int i = 0; i < before + after; i++) {
            if (i == before) {
                actions.add(IndexAction.reconcile("snapshot", "marker", 1_000L));
            }
            actions.add(IndexAction.delete("doc-" + random.nextInt(5_000), "table", Integer.toString(i), 1L));
        }
        String run = Long.toString(seed);
        RECEIVED.put(run, new ConcurrentHashMap<>());

        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, true); // as the ingest job runs: the exchange must allow it
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(SHARDS, flink);
        env.enableCheckpointing(100);
        ShardRouting.toShards(env.fromData(actions, TypeInformation.of(IndexAction.class)).setParallelism(1), SHARDS, 10)
                .map(new Record(run))
                .setParallelism(SHARDS)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(SHARDS);
        env.execute("shard routing");

        Map<Integer, List<String>> received = RECEIVED.remove(run);
        assertThat(received).as("seed %d", seed).containsOnlyKeys(0, 1, 2);
        int keyGroups = KeyGroupRangeAssignment.computeDefaultMaxParallelism(SHARDS);
        int documents = 0;
        for (Map.Entry<Integer, List<String>> shard : received.entrySet()) {
            List<String> got = shard.getValue();
            int first = got.indexOf("marker");
            int last = got.lastIndexOf("marker");
            assertThat(first).as("seed %d: shard %d got the marker", seed, shard.getKey()).isNotNegative();
            for (int i = 0; i < got.size(); i++) {
                if (i >= first && i <= last) {
                    assertThat(got.get(i)).as("seed %d: shard %d takes the marker's copies together", seed,
                            shard.getKey()).isEqualTo("marker");
                    continue;
                }
                int position = Integer.parseInt(got.get(i));
                assertThat(position < before).as("seed %d: shard %d took action %d %s the marker", seed, shard.getKey(),
                        position, i < first ? "before" : "after").isEqualTo(i < first);
                if (i > 0 && i - 1 != last) {
                    assertThat(position).as("seed %d: order within shard %d", seed, shard.getKey())
                            .isGreaterThan(Integer.parseInt(got.get(i - 1)));
                }
            }
            documents += got.size() - (last - first + 1);
        }
        assertThat(documents).isEqualTo(before + after);
        Map<Integer, java.util.Set<String>> byShard = new java.util.HashMap<>();
        received.forEach((shard, got) -> byShard.put(shard, new java.util.HashSet<>(got)));
        List<String> misrouted = new ArrayList<>();
        for (IndexAction a : actions) {
            if (!a.reconcile() && !byShard.get(KeyGroupRangeAssignment.assignKeyToParallelOperator(a.documentId(),
                    keyGroups, SHARDS)).contains(a.position())) {
                misrouted.add(a.documentId() + "@" + a.position());
            }
        }
        assertThat(misrouted).as("seed %d: actions not on the shard a keyBy on their id picks", seed).isEmpty();
    }

    @Test
    void badKeyGroupCountsAreRefused() {
        assertThatThrownBy(() -> new ShardRouting(0)).hasMessageContaining("pipeline.max-parallelism")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new ShardRouting(40_000)).hasMessageContaining("got 40000");
    }

    /** Notes each action's position (the marker's is "marker") under the subtask that received it. */
    private static final class Record extends RichMapFunction<IndexAction, String> {
        private final String run;
        private transient List<String> mine;

        Record(String run) {
            this.run = run;
        }

        @Override
        public void open(OpenContext context) {
            mine = java.util.Collections.synchronizedList(new ArrayList<>());
            RECEIVED.get(run).put(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), mine);
        }

        @Override
        public String map(IndexAction action) {
            mine.add(action.position());
            return action.position();
        }
    }
}
