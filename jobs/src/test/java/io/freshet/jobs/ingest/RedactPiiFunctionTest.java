package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.ChangeOp;
import io.freshet.core.DeadLetter;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.core.pii.PiiPolicy;
import io.freshet.core.pii.PiiType;
import io.freshet.core.pii.RedactionMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RedactPiiFunctionTest {

    private static final PiiPolicy POLICY = new PiiPolicy(RedactionMode.REDACT, EnumSet.allOf(PiiType.class),
            Map.of("public.hr_notes", RedactionMode.DROP));

    @Test
    void redactsPerSourceAndADroppedDocumentBecomesADelete() throws Exception {
        SourceDocument doc = new SourceDocument("d1", "Contact", "Mail jane@example.com or call +1 415 555 2671.",
                List.of("group:eng"), "acme", 1L);
        SourceDocument clean = new SourceDocument("d2", "Plain", "Nothing personal.", List.of("group:eng"), "acme", 1L);
        try (var harness = new OneInputStreamOperatorTestHarness<SourceChange, SourceChange>(
                new StreamMap<>(new RedactPiiFunction(POLICY)))) {
            harness.open();
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.CREATE, "d1", doc, "freshet.public.documents", "p1", 10L)));
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d1", doc, "freshet.public.hr_notes", "p2", 11L, 7L)));
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.UPDATE, "d2", clean, "freshet.public.hr_notes", "p3", 12L)));
            harness.processElement(new StreamRecord<>(new SourceChange(ChangeOp.DELETE, "d2", null, "freshet.public.documents", "p4", 13L)));
            List<SourceChange> out = harness.extractOutputValues();
            assertThat(out).hasSize(4);
            assertThat(out.get(0).document().body()).isEqualTo("Mail [EMAIL] or call [PHONE].");
            assertThat(out.get(0).document().metadata()).containsEntry(PiiPolicy.REDACTED_KEY, "email,phone");
            assertThat(out.get(1).op()).isEqualTo(ChangeOp.DELETE);
            assertThat(out.get(1).document()).isNull();
            assertThat(out.get(1).snapshotStartMillis()).isEqualTo(7L);
            assertThat(out.get(2).document()).isEqualTo(clean);
            assertThat(out.get(3).op()).isEqualTo(ChangeOp.DELETE);
        }
    }

    @Test
    void deadLettersCarryPlaceholdersNeverTheValues() throws Exception {
        String event = "{\"op\":\"c\",\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ms\":5},\"after\":"
                + "{\"id\":\"a\",\"title\":\"T\",\"body\":\"card 4111 1111 1111 1111, mail jane@example.com\",\"acl\":42,"
                + "\"tenant\":\"t\",\"updated_at\":null}}";
        try (var harness = new OneInputStreamOperatorTestHarness<RawChange, SourceChange>(
                new ProcessOperator<>(new ParseChangeFunction(TableMapping.documentsTable(), POLICY)))) {
            harness.open();
            harness.processElement(new StreamRecord<>(new RawChange("freshet.public.documents", "p1", event)));
            DeadLetter letter = harness.getSideOutput(ParseChangeFunction.DEAD_LETTERS).poll().getValue();
            assertThat(letter.payload()).contains("card [CARD], mail [EMAIL]").doesNotContain("4111").doesNotContain("jane@");
            assertThat(letter.reason()).isNotBlank();
        }
    }
}
