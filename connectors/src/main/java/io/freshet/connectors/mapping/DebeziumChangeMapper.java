package io.freshet.connectors.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * Interprets a Debezium change-event envelope ({@code before}, {@code after}, {@code op}, {@code source},
 * {@code ts_ms}) as a {@link SourceChange}. Accepts the envelope with or without an embedded schema
 * ({@code {"schema":..., "payload":...}}). Anything it cannot interpret raises a
 * {@link MalformedChangeException} whose message says why, never another exception; a change of another
 * table raises {@link UnmappedChangeException}.
 *
 * <p>Schema changes: a mapped column missing from a row (renamed or dropped) is rejected with a reason
 * naming it, never read as empty. A column Debezium reports as unavailable (PostgreSQL's unchanged TOAST
 * value) is taken from the {@code before} image when the table has {@code REPLICA IDENTITY FULL}, and
 * rejected otherwise.
 */
public final class DebeziumChangeMapper implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debezium's default {@code unavailable.value.placeholder}. */
    static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

    private final TableMapping mapping;

    public DebeziumChangeMapper(TableMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /** Maps one raw change. */
    public SourceChange map(RawChange raw) throws MalformedChangeException, UnmappedChangeException {
        if (raw.snapshotCompleted()) {
            return SourceChange.snapshotCompleted(raw.source(), raw.position(), raw.snapshotStartMillis());
        }
        if (raw.decodeError() != null) {
            throw new MalformedChangeException(raw.decodeError());
        }
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
        checkTable(envelope.get("source"));
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
            return new SourceChange(op, id(before), null, raw.source(), raw.position(), sourceTime, 0L);
        }
        JsonNode after = envelope.get("after");
        if (after == null || !after.isObject()) {
            throw new MalformedChangeException(op + " without an 'after' row");
        }
        after = resolveUnavailable(after, envelope.get("before"));
        String id = id(after);
        try {
            SourceDocument doc = new SourceDocument(
                    id,
                    optionalText(after, mapping.titleColumn()),
                    body(after),
                    acl(after),
                    requiredText(after, mapping.tenantColumn()),
                    updatedAt(after),
                    metadata(after));
            return new SourceChange(op, id, doc, raw.source(), raw.position(), sourceTime, raw.snapshotStartMillis());
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeException(e.getMessage());
        }
    }

    private void checkTable(JsonNode source) throws UnmappedChangeException {
        if (source == null || !source.isObject() || !source.hasNonNull("table")) {
            return; // no source block: trust the topic the event came from
        }
        String table = source.get("table").asText();
        String schema = source.hasNonNull("schema") ? source.get("schema").asText() + "." + table : null;
        String db = source.hasNonNull("db") ? source.get("db").asText() + "." + table : null;
        String wanted = mapping.table();
        if (!wanted.equals(table) && !wanted.equals(schema) && !wanted.equals(db)) {
            throw new UnmappedChangeException(schema != null ? schema : db != null ? db : table);
        }
    }

    /**
     * Checks that every mapped column is present, and fills values Debezium marks unavailable (unchanged
     * TOAST) from the before image.
     */
    private JsonNode resolveUnavailable(JsonNode after, JsonNode before) throws MalformedChangeException {
        ObjectNode resolved = null;
        for (String column : mapping.mappedColumns()) {
            JsonNode v = after.get(column);
            if (v == null) {
                throw new MalformedChangeException("mapped column '" + column + "' is missing from the change event "
                        + "(renamed or dropped?); update source.columns.* to the table's new schema");
            }
            if (v.isTextual() && v.asText().equals(UNAVAILABLE_VALUE)) {
                JsonNode old = before != null && before.isObject() ? before.get(column) : null;
                if (old == null || (old.isTextual() && old.asText().equals(UNAVAILABLE_VALUE))) {
                    throw new MalformedChangeException("column '" + column + "' is unavailable in the change event "
                            + "(unchanged TOAST value); set REPLICA IDENTITY FULL on the table");
                }
                if (resolved == null) {
                    resolved = ((ObjectNode) after).deepCopy();
                }
                resolved.set(column, old);
            }
        }
        return resolved != null ? resolved : after;
    }

    private Map<String, String> metadata(JsonNode row) {
        if (mapping.metadataColumns().isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new TreeMap<>();
        for (String column : mapping.metadataColumns()) {
            JsonNode v = row.get(column);
            if (v != null && !v.isNull()) {
                m.put(column, v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return m;
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
        if (acl.isTextual()) { // comma-separated text
            return java.util.Arrays.stream(acl.asText().split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
        }
        if (!acl.isArray()) {
            throw new MalformedChangeException("ACL column '" + mapping.aclColumn()
                    + "' must be an array or comma-separated text; got " + acl.getNodeType());
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
