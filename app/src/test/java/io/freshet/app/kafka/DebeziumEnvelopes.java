package io.freshet.app.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.core.SourceDocument;
import java.time.Instant;

/**
 * Debezium JSON change events as Kafka Connect's JsonConverter writes them for the PostgreSQL connector,
 * with ({@code schemas.enable=true}) or without the embedded schema.
 */
final class DebeziumEnvelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DebeziumEnvelopes() {}

    static String upsert(String op, SourceDocument before, SourceDocument after, long lsn, boolean withSchema) {
        ObjectNode payload = JSON.createObjectNode();
        payload.set("before", before == null ? null : row(before));
        payload.set("after", row(after));
        return envelope(payload, op, lsn, withSchema);
    }

    static String delete(SourceDocument before, long lsn, boolean withSchema) {
        ObjectNode payload = JSON.createObjectNode();
        payload.set("before", row(before));
        payload.putNull("after");
        return envelope(payload, "d", lsn, withSchema);
    }

    private static String envelope(ObjectNode payload, String op, long lsn, boolean withSchema) {
        long now = System.currentTimeMillis();
        payload.set("source", JSON.createObjectNode()
                .put("version", "3.6.1.Final").put("connector", "postgresql").put("name", "dbserver1")
                .put("ts_ms", now).put("snapshot", "false").put("db", "app").put("schema", "public")
                .put("table", "documents").put("txId", lsn / 10).put("lsn", lsn));
        payload.put("op", op);
        payload.put("ts_ms", now + 3);
        if (!withSchema) {
            return payload.toString();
        }
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.set("schema", JSON.createObjectNode().put("type", "struct").put("optional", false)
                .put("name", "dbserver1.public.documents.Envelope").put("version", 2));
        wrapped.set("payload", payload);
        return wrapped.toString();
    }

    private static ObjectNode row(SourceDocument d) {
        ObjectNode row = JSON.createObjectNode()
                .put("id", d.id()).put("title", d.title()).put("body", d.body()).put("tenant", d.tenant())
                .put("updated_at", Instant.ofEpochMilli(d.updatedAtMillis()).toString());
        d.acl().forEach(row.putArray("acl")::add);
        return row;
    }
}
