package io.freshet.connectors.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.ChangeOp;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Interprets a Debezium change-event envelope ({@code before}, {@code after}, {@code op}, {@code source},
 * {@code ts_ms}) as a {@link SourceChange}. Accepts the envelope with or without an embedded schema
 * ({@code {"schema":..., "payload":...}}). Anything it cannot interpret raises a
 * {@link MalformedChangeException} whose message says why, never another exception.
 */
public final class DebeziumChangeMapper implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableMapping mapping;

    public DebeziumChangeMapper(TableMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /** Maps one raw change. */
    public SourceChange map(RawChange raw) throws MalformedChangeException {
        if (raw.valueJson() == null) {
            throw new MalformedChangeException("tombstone (null value) carries no change");
        }
        JsonNode envelope;
        try {
            envelope = JSON.readTree(raw.valueJson());
        } catch (JsonProcessingException e) {
            throw new MalformedChangeException("unparsable JSON: " + e.getOriginalMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedChangeException("change event is not a JSON object");
        }
        if (envelope.has("payload") && envelope.has("schema")) {
            envelope = envelope.get("payload");
            if (envelope == null || !envelope.isObject()) {
                throw new MalformedChangeException("payload is not a JSON object");
            }
        }
        ChangeOp op;
        try {
            op = ChangeOp.fromDebeziumCode(text(envelope, "op"));
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeException(e.getMessage());
        }
        long sourceTime = sourceTime(envelope);
        if (op == ChangeOp.DELETE) {
            JsonNode before = envelope.get("before");
            if (before == null || !before.isObject()) {
                throw new MalformedChangeException("delete without a 'before' row");
            }
            return new SourceChange(op, id(before), null, raw.source(), raw.position(), sourceTime);
        }
        JsonNode after = envelope.get("after");
        if (after == null || !after.isObject()) {
            throw new MalformedChangeException(op + " without an 'after' row");
        }
        String id = id(after);
        try {
            SourceDocument doc = new SourceDocument(
                    id,
                    optionalText(after, mapping.titleColumn()),
                    body(after),
                    acl(after),
                    requiredText(after, mapping.tenantColumn()),
                    updatedAt(after));
            return new SourceChange(op, id, doc, raw.source(), raw.position(), sourceTime);
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeException(e.getMessage());
        }
    }

    private String id(JsonNode row) throws MalformedChangeException {
        JsonNode id = row.get(mapping.idColumn());
        if (id == null || id.isNull()) {
            throw new MalformedChangeException("missing key column '" + mapping.idColumn() + "'");
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new MalformedChangeException("key column '" + mapping.idColumn() + "' must be text or integer; got "
                    + id.getNodeType());
        }
        String value = id.asText();
        if (value.isBlank()) {
            throw new MalformedChangeException("key column '" + mapping.idColumn() + "' is blank");
        }
        return value;
    }

    private String body(JsonNode row) throws MalformedChangeException {
        String body = optionalText(row, mapping.bodyColumn());
        if (body.length() > mapping.maxBodyChars()) {
            throw new MalformedChangeException("body of " + body.length() + " characters exceeds source.max-body-chars="
                    + mapping.maxBodyChars());
        }
        return body;
    }

    private List<String> acl(JsonNode row) throws MalformedChangeException {
        JsonNode acl = row.get(mapping.aclColumn());
        if (acl == null || acl.isNull()) {
            return List.of(); // no entries: nobody may see it
        }
        if (!acl.isArray()) {
            throw new MalformedChangeException("ACL column '" + mapping.aclColumn() + "' must be an array; got "
                    + acl.getNodeType());
        }
        List<String> entries = new ArrayList<>(acl.size());
        for (JsonNode e : acl) {
            if (!e.isTextual()) {
                throw new MalformedChangeException("ACL column '" + mapping.aclColumn() + "' holds a non-text entry");
            }
            entries.add(e.asText());
        }
        return entries;
    }

    private long updatedAt(JsonNode row) throws MalformedChangeException {
        if (mapping.updatedAtColumn().isEmpty()) {
            return 0L;
        }
        JsonNode v = row.get(mapping.updatedAtColumn());
        if (v == null || v.isNull()) {
            return 0L;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(v.asText()).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new MalformedChangeException("column '" + mapping.updatedAtColumn()
                            + "' is not an ISO-8601 timestamp");
                }
            }
        }
        throw new MalformedChangeException("column '" + mapping.updatedAtColumn() + "' must be a timestamp; got "
                + v.getNodeType());
    }

    private static long sourceTime(JsonNode envelope) throws MalformedChangeException {
        JsonNode source = envelope.get("source");
        JsonNode ts = source != null && source.has("ts_ms") ? source.get("ts_ms") : envelope.get("ts_ms");
        if (ts == null || ts.isNull()) {
            return 0L;
        }
        if (!ts.isIntegralNumber()) {
            throw new MalformedChangeException("ts_ms must be an integer; got " + ts.getNodeType());
        }
        return ts.asLong();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String optionalText(JsonNode row, String column) throws MalformedChangeException {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new MalformedChangeException("column '" + column + "' must be text; got " + v.getNodeType());
        }
        return v.asText();
    }

    private static String requiredText(JsonNode row, String column) throws MalformedChangeException {
        String v = optionalText(row, column);
        if (v.isBlank()) {
            throw new MalformedChangeException("column '" + column + "' must not be empty");
        }
        return v;
    }
}
