package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.ChangeOp;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DedupFunctionTest {

    private static final String TEXT = "Replication lag alerts fire at thirty seconds on the primary cluster. Promote the "
            + "standby with pg_promote once the lag is under a second, then repoint the application pool and verify "
            + "that writes land on the new primary before closing the incident.";

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceChange, SourceChange> harness(
            DedupFunction.Policy policy) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DedupFunction(policy)),
                c -> DedupFunction.KEY, Types.STRING);
    }

    private static StreamRecord<SourceChange> upsert(String id, String body, List<String> acl, String position) {
        return new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, id,
                new SourceDocument(id, "Runbook " + id, body, acl, "acme", 1L), "src", position, 1L));
    }

    @Test
    void exactCopiesAreFlaggedAndTheCanonicalIdIsShownOnlyToTheSameViewers() throws Exception {
        try (var h = harness(DedupFunction.Policy.of("flag", "off", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "p1"));
            h.processElement(upsert("b", TEXT.toUpperCase().replace(",", ""), List.of("group:eng"), "p2"));
            h.processElement(upsert("c", TEXT, List.of("group:hr"), "p3"));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out.get(0).document().metadata()).doesNotContainKey(DedupFunction.KIND);
            assertThat(out.get(1).document().metadata()).containsEntry(DedupFunction.KIND, "exact")
                    .containsEntry(DedupFunction.OF, "a").containsEntry(DedupFunction.SIMILARITY, "1.000");
            assertThat(out.get(2).document().metadata()).containsEntry(DedupFunction.KIND, "exact")
                    .doesNotContainKey(DedupFunction.OF)
                    .containsEntry(DedupFunction.GROUP, out.get(1).document().metadata().get(DedupFunction.GROUP));
        }
    }

    @Test
    void linkedCopiesAreNotIndexedAndComeBackWhenTheOriginalGoesEvenAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(DedupFunction.Policy.of("link", "skip", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "p1"));
            h.processElement(upsert("b", TEXT, List.of("group:eng"), "p2"));
            h.processElement(upsert("c", TEXT.replace("thirty", "forty"), List.of("group:eng"), "p3"));
            h.processElement(upsert("d", TEXT, List.of("group:hr"), "p4"));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out.get(1).op()).as("the exact copy is linked, not indexed").isEqualTo(ChangeOp.DELETE);
            assertThat(out.get(2).op()).as("the near copy is skipped").isEqualTo(ChangeOp.DELETE);
            assertThat(out.get(3).document().metadata()).as("other viewers: indexed, flagged")
                    .containsEntry(DedupFunction.KIND, "exact");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(DedupFunction.Policy.of("link", "skip", 0.8, 3))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "a", null, "src", "p5", 2L)));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out.get(0).op()).isEqualTo(ChangeOp.DELETE);
            assertThat(out.subList(1, out.size())).as("the linked copies are taken up again")
                    .extracting(SourceChange::documentId).containsExactlyInAnyOrder("b", "c");
            SourceChange b = out.stream().filter(c -> c.documentId().equals("b")).findFirst().orElseThrow();
            SourceChange c = out.stream().filter(x -> x.documentId().equals("c")).findFirst().orElseThrow();
            assertThat(List.of(b.op(), c.op())).as("one is the new original, the other links to it")
                    .containsExactlyInAnyOrder(ChangeOp.UPDATE, ChangeOp.DELETE);
        }
    }

    @Test
    void badModesNameTheKey() {
        assertThatThrownBy(() -> DedupFunction.Policy.of("skip", "off", 0.8, 3)).hasMessageContaining("dedup.exact")
                .hasMessageContaining("skip");
        assertThatThrownBy(() -> DedupFunction.Policy.of("off", "link", 0.8, 3)).hasMessageContaining("dedup.near");
        assertThat(DedupFunction.Policy.of("off", "off", 0.8, 3).enabled()).isFalse();
    }
}
