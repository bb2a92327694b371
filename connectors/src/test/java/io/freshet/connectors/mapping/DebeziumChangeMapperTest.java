package io.freshet.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.ChangeOp;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DebeziumChangeMapperTest {

    private final DebeziumChangeMapper mapper = new DebeziumChangeMapper(
            new TableMapping("public.documents", "id", "title", "body", "acl", "tenant", "updated_at", List.of("source_url"), 50));

    private static RawChange raw(String json) {
        return new RawChange("freshet.public.documents", "{\"lsn\":1}", json);
    }

    @Test
    void mapsAnInsert() throws Exception {
        SourceChange c = mapper.map(raw("""
                {"before":null,"after":{"id":"d1","title":"T","body":"hello","acl":["group:eng","user:bob"],
                 "tenant":"acme","updated_at":"2026-03-14T09:26:53.123Z","source_url":"https://wiki/x"},
                 "source":{"ts_ms":1700000000000,"schema":"public","table":"documents"},"op":"c","ts_ms":1700000000500}"""));
        assertThat(c.op()).isEqualTo(ChangeOp.CREATE);
        assertThat(c.documentId()).isEqualTo("d1");
        assertThat(c.document().acl()).containsExactly("group:eng", "user:bob");
        assertThat(c.document().updatedAtMillis()).isEqualTo(1773480413123L);
        assertThat(c.sourceTimeMillis()).isEqualTo(1700000000000L);
        assertThat(c.position()).isEqualTo("{\"lsn\":1}");
        assertThat(c.document().metadata()).containsEntry("source_url", "https://wiki/x");
    }

    @Test
    void mapsAnEnvelopeWithEmbeddedSchemaAndIntegerKey() throws Exception {
        SourceChange c = mapper.map(raw("""
                {"schema":{"type":"struct"},"payload":{"before":null,"after":{"id":42,"title":null,"body":"b",
                 "acl":[],"tenant":"acme","updated_at":null,"source_url":null},"source":{"ts_ms":5},"op":"r"}}"""));
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

    /** A complete valid row; each malformed case changes one thing. */
    private static String row(String override) {
        return "{\"id\":\"a\",\"title\":\"T\",\"body\":\"b\",\"acl\":[\"group:eng\"],\"tenant\":\"t\","
                + "\"updated_at\":null,\"source_url\":null" + (override.isEmpty() ? "" : "," + override) + "}";
    }

    private static String upsert(String rowJson) {
        return "{\"op\":\"c\",\"source\":{\"ts_ms\":1,\"schema\":\"public\",\"table\":\"documents\"},\"after\":" + rowJson + "}";
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unparsable JSON", "{\"op\":", "unparsable JSON"),
                Arguments.of("not an object", "[1,2]", "not a JSON object"),
                Arguments.of("unknown op", upsert(row("")).replace("\"op\":\"c\"", "\"op\":\"x\""), "unknown op 'x'"),
                Arguments.of("missing op", "{\"after\":" + row("") + "}", "missing op"),
                Arguments.of("null key", upsert(row("\"id\":null")), "missing key column 'id'"),
                Arguments.of("key of wrong type", upsert(row("\"id\":[1]")), "must be text or integer"),
                Arguments.of("missing after", "{\"op\":\"u\",\"before\":null}", "without an 'after' row"),
                Arguments.of("delete w/o before", "{\"op\":\"d\",\"after\":null}", "without a 'before' row"),
                Arguments.of("body too long", upsert(row("\"body\":\"" + "x".repeat(51) + "\"")), "exceeds source.max-body-chars=50"),
                Arguments.of("body of wrong type", upsert(row("\"body\":12")), "column 'body' must be text"),
                Arguments.of("acl of wrong type", upsert(row("\"acl\":{\"a\":1}")), "must be an array or comma-separated text"),
                Arguments.of("acl entry invalid", upsert(row("\"acl\":[\"eng\"]")), "must be 'user:<name>' or 'group:<name>' (or either after 'deny:')"),
                Arguments.of("acl entry non-text", upsert(row("\"acl\":[3]")), "non-text entry"),
                Arguments.of("empty tenant", upsert(row("\"tenant\":\"\"")), "column 'tenant' must not be empty"),
                Arguments.of("bad timestamp", upsert(row("\"updated_at\":\"yesterday\"")), "not an ISO-8601 timestamp"),
                Arguments.of("bad ts_ms", upsert(row("")).replace("\"ts_ms\":1", "\"ts_ms\":\"soon\""), "ts_ms must be an integer"),
                Arguments.of("dropped column", upsert("{\"id\":\"a\",\"title\":\"T\",\"acl\":[],\"tenant\":\"t\",\"updated_at\":null,\"source_url\":null}"),
                        "mapped column 'body' is missing"),
                Arguments.of("unavailable TOAST value", upsert(row("\"body\":\"__debezium_unavailable_value\"")),
                        "set REPLICA IDENTITY FULL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEventsAreRejectedWithAReason(String name, String json, String reason) {
        assertThatThrownBy(() -> mapper.map(raw(json)))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void undecodableEventKeepsItsReason() {
        assertThatThrownBy(() -> mapper.map(RawChange.undecodable("t", "p", "invalid UTF-8 at byte 3")))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("invalid UTF-8");
    }

    @Test
    void otherTablesAreUnmapped() {
        assertThatThrownBy(() -> mapper.map(raw(upsert(row("")).replace("\"table\":\"documents\"", "\"table\":\"orders\""))))
                .isInstanceOf(UnmappedChangeException.class)
                .hasMessageContaining("public.orders");
    }

    @Test
    void unchangedToastValueIsTakenFromTheFullBeforeImage() throws Exception {
        String json = "{\"op\":\"u\",\"source\":{\"ts_ms\":1},\"before\":" + row("\"body\":\"the long body\"")
                + ",\"after\":" + row("\"body\":\"__debezium_unavailable_value\",\"acl\":[\"group:hr\"]") + "}";
        SourceChange c = mapper.map(raw(json));
        assertThat(c.document().body()).isEqualTo("the long body");
        assertThat(c.document().acl()).containsExactly("group:hr");
    }

    @Test
    void commaSeparatedAclIsAccepted() throws Exception {
        assertThat(mapper.map(raw(upsert(row("\"acl\":\"group:eng, user:bob\"")))).document().acl())
                .containsExactly("group:eng", "user:bob");
    }

    @Test
    void tombstoneIsMalformed() {
        assertThatThrownBy(() -> mapper.map(new RawChange("t", "p", null)))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("tombstone");
    }
}
