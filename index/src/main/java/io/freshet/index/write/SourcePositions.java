package io.freshet.index.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Source positions as recorded in commit lineage ({@link io.freshet.index.schema.CommitData#positions()}):
 * one entry per source partition, holding the position of the newest change applied from it. A Kafka change
 * ({@code {"topic":..,"partition":..,"offset":..}}) is kept under {@code topic/partition} as its offset; any
 * other position (a Debezium connector offset: LSN, transaction) under {@value #DEBEZIUM} as delivered.
 */
public final class SourcePositions {

    /** Key of a Debezium connector offset. */
    public static final String DEBEZIUM = "debezium";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SourcePositions() {}

    /** Records {@code position} in {@code positions} under its partition's key. */
    public static void record(Map<String, String> positions, String position) {
        if (position == null || position.isEmpty()) {
            return;
        }
        JsonNode node = parse(position);
        if (isKafka(node)) {
            positions.put(node.get("topic").asText() + "/" + node.get("partition").asInt(), node.get("offset").asText());
        } else {
            positions.put(DEBEZIUM, position);
        }
    }

    /** The key {@link #record} keeps {@code position} under: {@code topic/partition}, or {@value #DEBEZIUM}. */
    public static String partitionKey(String position) {
        JsonNode node = position == null ? null : parse(position);
        return isKafka(node) ? node.get("topic").asText() + "/" + node.get("partition").asInt() : DEBEZIUM;
    }

    private static boolean isKafka(JsonNode node) {
        return node != null && node.hasNonNull("topic") && node.hasNonNull("partition") && node.hasNonNull("offset");
    }

    /** The Kafka offset recorded under {@code key} ({@code topic/partition}), if that is a Kafka entry. */
    public static OptionalLong kafkaOffset(Map<String, String> positions, String key) {
        if (key.equals(DEBEZIUM) || !positions.containsKey(key)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(positions.get(key)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Where the Debezium offset under {@value #DEBEZIUM} lies in the source's change order, to pick the newest
     * of several: the PostgreSQL {@code lsn}; empty when the offset has none (offsets of other connectors are
     * not compared, since their fields order changes differently).
     */
    public static OptionalLong debeziumOrder(Map<String, String> positions) {
        String offset = positions.get(DEBEZIUM);
        JsonNode node = offset == null ? null : parse(offset);
        if (node == null) {
            return OptionalLong.empty();
        }
        return node.hasNonNull("lsn") && node.get("lsn").canConvertToLong()
                ? OptionalLong.of(node.get("lsn").asLong()) : OptionalLong.empty();
    }

    private static JsonNode parse(String s) {
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
