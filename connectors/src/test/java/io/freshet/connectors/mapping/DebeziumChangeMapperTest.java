package io.freshet.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.ChangeOp;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebeziumChangeMapperTest {

    private final DebeziumChangeMapper mapper = new DebeziumChangeMapper(
            new TableMapping("id", "title", "body", "acl", "tenant", "updated_at", 50));

    private static RawChange raw(String json) {
        return new RawChange("freshet.public.documents", "{\"lsn\":1}", json);
    }

    @Test
    void mapsAnInsert() throws Exception {
        SourceChange c = mapper.map(raw("""
                {"before":null,"after":{"id":"d1","title":"T","body":"hello","acl":["group:eng","user:bob"],
                 "tenant":"acme","updated_at":"2026-03-14T09:26:53.123Z"},
                 "source":{"ts_ms":1700000000000,"table":"documents"},"op":"c","ts_ms":1700000000500}"""));
        assertThat(c.op()).isEqualTo(ChangeOp.CREATE);
        assertThat(c.documentId()).isEqualTo("d1");
        assertThat(c.document().acl()).containsExactly("group:eng", "user:bob");
        assertThat(c.document().updatedAtMillis()).isEqualTo(1773480413123L);
        assertThat(c.sourceTimeMillis()).isEqualTo(1700000000000L);
        assertThat(c.position()).isEqualTo("{\"lsn\":1}");
    }

    @Test
    void mapsAnEnvelopeWithEmbeddedSchemaAndIntegerKey() throws Exception {
        SourceChange c = mapper.map(raw("""
                {"schema":{"type":"struct"},"payload":{"before":null,"after":{"id":42,"title":null,"body":"b",
                 "acl":[],"tenant":"acme","updated_at":null},"source":{"ts_ms":5},"op":"r"}}"""));
        assertThat(c.op()).isEqualTo(ChangeOp.SNAPSHOT);
        assertThat(c.documentId()).isEqualTo("42");
        assertThat(c.document().title()).isEmpty();
        assertThat(c.document().acl()).isEmpty();
    }

    @Test
    void mapsADeleteFromTheKeyOnlyBeforeImage() throws Exception {
        SourceChange c = mapper.map(raw("""
                {"before":{"id":"d1","title":null,"body":null,"acl":null,"tenant":null,"updated_at":null},
                 "after":null,"source":{"ts_ms":7},"op":"d"}"""));
        assertThat(c.op()).isEqualTo(ChangeOp.DELETE);
        assertThat(c.document()).isNull();
        assertThat(c.documentId()).isEqualTo("d1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unparsable JSON     | {"op":                                                                          | unparsable JSON
            not an object       | [1,2]                                                                           | not a JSON object
            unknown op          | {"op":"x","after":{"id":"a","tenant":"t"}}                                      | unknown op 'x'
            missing op          | {"after":{"id":"a","tenant":"t"}}                                               | missing op
            missing key         | {"op":"c","after":{"tenant":"t","body":"b"}}                                    | missing key column 'id'
            key of wrong type   | {"op":"c","after":{"id":[1],"tenant":"t"}}                                      | must be text or integer
            missing after       | {"op":"u","before":null}                                                        | without an 'after' row
            delete w/o before   | {"op":"d","after":null}                                                         | without a 'before' row
            body too long       | {"op":"c","after":{"id":"a","tenant":"t","body":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}} | exceeds source.max-body-chars=50
            body of wrong type  | {"op":"c","after":{"id":"a","tenant":"t","body":12}}                            | column 'body' must be text
            acl not an array    | {"op":"c","after":{"id":"a","tenant":"t","acl":"group:eng"}}                    | must be an array
            acl entry invalid   | {"op":"c","after":{"id":"a","tenant":"t","acl":["eng"]}}                        | must be 'user:<name>' or 'group:<name>'
            acl entry non-text  | {"op":"c","after":{"id":"a","tenant":"t","acl":[3]}}                            | non-text entry
            missing tenant      | {"op":"c","after":{"id":"a"}}                                                   | column 'tenant' must not be empty
            bad timestamp       | {"op":"c","after":{"id":"a","tenant":"t","updated_at":"yesterday"}}             | not an ISO-8601 timestamp
            bad ts_ms           | {"op":"c","source":{"ts_ms":"soon"},"after":{"id":"a","tenant":"t"}}            | ts_ms must be an integer
            """)
    void malformedEventsAreRejectedWithAReason(String name, String json, String reason) {
        assertThatThrownBy(() -> mapper.map(raw(json)))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void tombstoneIsMalformed() {
        assertThatThrownBy(() -> mapper.map(new RawChange("t", "p", null)))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("tombstone");
    }
}
