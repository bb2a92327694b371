package io.freshet.core;

import java.util.Objects;

/**
 * One change event exactly as a change stream delivered it, before Freshet interprets it.
 *
 * <p>Both the direct Debezium source and (later) the Kafka path emit this type, so that mapping a
 * Debezium envelope to a {@link SourceChange} lives in one place and a malformed event can be
 * dead-lettered with its original bytes.
 *
 * @param source where the event came from, e.g. {@code postgres:public.documents}
 * @param position the source position of the event (a PostgreSQL LSN, a Kafka partition/offset), for lineage
 * @param valueJson the Debezium change-event envelope as JSON, with or without embedded schema; {@code null}
 *     for a tombstone or an event that could not be decoded
 * @param decodeError why the event's bytes could not be decoded (e.g. invalid UTF-8), or {@code null}
 */
public record RawChange(String source, String position, String valueJson, String decodeError) {
    public RawChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        if (decodeError != null && valueJson != null) {
            throw new IllegalArgumentException("an undecodable event carries no JSON");
        }
    }

    /** A decoded event (or a tombstone when {@code valueJson} is null). */
    public RawChange(String source, String position, String valueJson) {
        this(source, position, valueJson, null);
    }

    /** An event whose bytes could not be decoded. */
    public static RawChange undecodable(String source, String position, String reason) {
        return new RawChange(source, position, null, Objects.requireNonNull(reason, "reason"));
    }

    /** True for a tombstone: no value and no decoding problem (Kafka's marker after a delete). */
    public boolean isTombstone() {
        return valueJson == null && decodeError == null;
    }
}
