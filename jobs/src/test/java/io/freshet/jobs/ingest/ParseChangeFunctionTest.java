package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.ChangeOp;
import io.freshet.core.DeadLetter;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseChangeFunctionTest {

    private static final String ROW = "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"acl\":[\"group:eng\"],\"tenant\":\"t\",\"updated_at\":null}";
    private static final String SOURCE = "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ms\":5}";

    @Test
    void malformedEventsAreDeadLetteredAndTheValidOnesPassInOrder() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<RawChange, SourceChange>(
                new ProcessOperator<>(new ParseChangeFunction(TableMapping.documentsTable())))) {
            harness.open();
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"c\"," + SOURCE + ",\"after\":" + ROW + "}", "p1")));
            harness.processElement(new StreamRecord<>(raw("{broken", "p2")));
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"z\"}", "p3")));
            harness.processElement(new StreamRecord<>(new RawChange("s", "p4", null))); // tombstone: counted only
            harness.processElement(new StreamRecord<>(RawChange.undecodable("s", "p5", "invalid UTF-8")));
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"c\",\"source\":{\"schema\":\"public\",\"table\":\"orders\"},"
                    + "\"after\":" + ROW + "}", "p6"))); // other table: counted only
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"d\"," + SOURCE + ",\"before\":{\"id\":\"a\"}}", "p7")));

            assertThat(harness.extractOutputValues())
                    .extracting(SourceChange::op, SourceChange::documentId, SourceChange::position)
                    .containsExactly(tuple(ChangeOp.CREATE, "a", "p1"), tuple(ChangeOp.DELETE, "a", "p7"));
            assertThat(harness.getSideOutput(ParseChangeFunction.DEAD_LETTERS))
                    .extracting(r -> r.getValue())
                    .extracting(DeadLetter::position, DeadLetter::payload)
                    .containsExactly(tuple("p2", "{broken"), tuple("p3", "{\"op\":\"z\"}"), tuple("p5", null));
            assertThat(harness.getSideOutput(ParseChangeFunction.DEAD_LETTERS))
                    .extracting(r -> r.getValue().reason())
                    .containsExactly("unparsable JSON: Unexpected character ('b' (code 98)): was expecting double-quote to start field name",
                            "unknown op 'z'", "invalid UTF-8");
        }
    }

    private static RawChange raw(String json, String position) {
        return new RawChange("freshet.public.documents", position, json);
    }
}
