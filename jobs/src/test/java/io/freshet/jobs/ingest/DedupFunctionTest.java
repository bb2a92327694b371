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

    private static StreamRecord<SourceChange> upsert(String id, String body, List<String> acl, String tenant) {
        return new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, id,
                new SourceDocument(id, "Runbook " + id, body, acl, tenant, 1L), "src", "p-" + id, 1L));
    }

    @Test
    void copiesAreFlaggedOnlyAmongDocumentsWithTheSameViewers() throws Exception {
        try (var h = harness(DedupFunction.Policy.of("flag", "flag", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("b", TEXT.toUpperCase().replace(",", ""), List.of("group:eng"), "acme"));
            h.processElement(upsert("c", TEXT.replace("thirty", "forty"), List.of("group:eng"), "acme"));
            h.processElement(upsert("d", TEXT, List.of("group:hr"), "acme"));
            h.processElement(upsert("e", TEXT, List.of("group:eng"), "globex"));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out).hasSize(5).allMatch(c -> c.op() == ChangeOp.UPDATE, "every copy is indexed");
            assertThat(out.get(0).document().metadata()).doesNotContainKey(DedupFunction.KIND);
            assertThat(out.get(1).document().metadata()).containsEntry(DedupFunction.KIND, "exact")
                    .containsEntry(DedupFunction.SIMILARITY, "1.000").containsKey(DedupFunction.GROUP);
            assertThat(out.get(2).document().metadata()).containsEntry(DedupFunction.KIND, "near")
                    .doesNotContainKey(DedupFunction.GROUP);
            assertThat(Double.parseDouble(out.get(2).document().metadata().get(DedupFunction.SIMILARITY))).isGreaterThan(0.8);
            assertThat(out.get(3).document().metadata()).as("other ACL: says nothing of a copy they may not see")
                    .doesNotContainKey(DedupFunction.KIND);
            assertThat(out.get(4).document().metadata()).as("other tenant").doesNotContainKey(DedupFunction.KIND);
        }
    }

    @Test
    void stateSurvivesARestoreAndADeletedOriginalNoLongerMatches() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(DedupFunction.Policy.of("flag", "off", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme"));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(DedupFunction.Policy.of("flag", "off", 0.8, 3))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(upsert("b", TEXT, List.of("group:eng"), "acme"));
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "a", null, "src", "p", 2L)));
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "b", null, "src", "p", 3L)));
            h.processElement(upsert("c", TEXT, List.of("group:eng"), "acme"));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out.get(0).document().metadata()).as("a copy of a restored document")
                    .containsEntry(DedupFunction.KIND, "exact");
            assertThat(out.get(3).document().metadata()).as("both copies are gone").doesNotContainKey(DedupFunction.KIND);
        }
    }

    @Test
    void linkedCopiesPointAtOneCanonicalWhichStaysCanonicalWhenUpsertedAgain() throws Exception {
        try (var h = harness(DedupFunction.Policy.of("link", "skip", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("b", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("c", TEXT.replace("thirty", "forty"), List.of("group:eng"), "acme"));
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme")); // touched, same body
            h.processElement(upsert("d", TEXT, List.of("group:eng"), "acme"));
            h.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "a", null, "src", "p", 2L)));
            h.processElement(upsert("e", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme")); // back, with its copies' body
            h.processElement(upsert("f", TEXT.replace("thirty", "forty"), List.of("group:eng"), "acme")); // c's twin
            List<SourceChange> out = h.extractOutputValues();
            String group = out.get(0).document().metadata().get(DedupFunction.GROUP);
            assertThat(out.get(0).document().metadata()).as("the canonical carries its body's group in link mode")
                    .doesNotContainKey(DedupFunction.LINKED_TO).doesNotContainKey(DedupFunction.KIND);
            assertThat(group).isNotBlank();
            assertThat(out.get(1).document().metadata()).containsEntry(DedupFunction.LINKED_TO, "a")
                    .containsEntry(DedupFunction.KIND, "exact").containsEntry(DedupFunction.GROUP, group);
            assertThat(out.get(2).document().metadata()).as("near copy, skip mode")
                    .containsEntry(DedupFunction.LINKED_TO, "a").containsEntry(DedupFunction.KIND, "near");
            assertThat(out.get(3).document().metadata()).as("the canonical stays one, not a copy of its copy")
                    .doesNotContainKey(DedupFunction.KIND);
            assertThat(out.get(4).document().metadata()).containsEntry(DedupFunction.LINKED_TO, "a");
            assertThat(out.get(6).document().metadata()).as("links never chain: the copies' canonical, though gone")
                    .containsEntry(DedupFunction.LINKED_TO, "a");
            assertThat(out.get(7).document().metadata()).as("never a copy of itself")
                    .doesNotContainKey(DedupFunction.KIND).doesNotContainKey(DedupFunction.LINKED_TO);
            assertThat(out.get(8).document().metadata()).as("a twin of a near copy is a near copy of its canonical")
                    .containsEntry(DedupFunction.KIND, "near").containsEntry(DedupFunction.LINKED_TO, "a")
                    .containsEntry(DedupFunction.SIMILARITY, out.get(2).document().metadata().get(DedupFunction.SIMILARITY));
        }
        try (var h = harness(DedupFunction.Policy.of("flag", "flag", 0.8, 3))) {
            h.open();
            h.processElement(upsert("a", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("b", TEXT, List.of("group:eng"), "acme"));
            assertThat(h.extractOutputValues().get(0).document().metadata()).as("flag mode tags no canonical").isEmpty();
            assertThat(h.extractOutputValues().get(1).document().metadata()).as("flag mode links nothing")
                    .containsEntry(DedupFunction.KIND, "exact").doesNotContainKey(DedupFunction.LINKED_TO);
        }
    }

    @Test
    void aTwinOfANearCopyWhoseLinkIsNotInForceLinksToThatTwin() throws Exception {
        try (var h = harness(DedupFunction.Policy.of("link", "flag", 0.8, 3))) {
            h.open();
            h.processElement(upsert("x", TEXT, List.of("group:eng"), "acme"));
            h.processElement(upsert("y", TEXT.replace("thirty", "forty"), List.of("group:eng"), "acme"));
            h.processElement(upsert("z", TEXT.replace("thirty", "forty"), List.of("group:eng"), "acme"));
            List<SourceChange> out = h.extractOutputValues();
            assertThat(out.get(1).document().metadata()).containsEntry(DedupFunction.KIND, "near")
                    .doesNotContainKey(DedupFunction.LINKED_TO);
            assertThat(out.get(2).document().metadata()).as("identical to y, which is not linked")
                    .containsEntry(DedupFunction.KIND, "exact").containsEntry(DedupFunction.LINKED_TO, "y");
        }
    }

    @Test
    void badModesNameTheKey() {
        assertThatThrownBy(() -> DedupFunction.Policy.of("skip", "off", 0.8, 3)).hasMessageContaining("dedup.exact")
                .hasMessageContaining("skip").hasMessageContaining("off, flag or link");
        assertThatThrownBy(() -> DedupFunction.Policy.of("off", "link", 0.8, 3)).hasMessageContaining("dedup.near")
                .hasMessageContaining("off, flag or skip");
        assertThat(DedupFunction.Policy.of(" LINK ", "Skip", 0.8, 3).exact()).isEqualTo(DedupFunction.Mode.LINK);
        assertThat(DedupFunction.Policy.of("off", "off", 0.8, 3).enabled()).isFalse();
    }
}
