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
 * @param valueJson the Debezium change-event envelope as JSON without embedded schema; {@code null} for a
 *     tombstone
 */
public record RawChange(String source, String position, String valueJson) {
    public RawChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
    }
}
