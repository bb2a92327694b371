package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.ChangeOp;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseChangeFunctionTest {

    @Test
    void malformedEventsAreSkippedAndTheValidOnesPassInOrder() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<RawChange, SourceChange>(
                new ProcessOperator<>(new ParseChangeFunction(TableMapping.documentsTable())))) {
            harness.open();
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"c\",\"after\":{\"id\":\"a\",\"tenant\":\"t\",\"body\":\"x\"}}")));
            harness.processElement(new StreamRecord<>(raw("{broken")));
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"z\"}")));
            harness.processElement(new StreamRecord<>(new RawChange("s", "p", null)));
            harness.processElement(new StreamRecord<>(raw("{\"op\":\"d\",\"before\":{\"id\":\"a\"}}")));
            assertThat(harness.extractOutputValues())
                    .extracting(SourceChange::op, SourceChange::documentId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeOp.CREATE, "a"),
                            org.assertj.core.groups.Tuple.tuple(ChangeOp.DELETE, "a"));
        }
    }

    private static RawChange raw(String json) {
        return new RawChange("freshet.public.documents", "{\"lsn\":1}", json);
    }
}
