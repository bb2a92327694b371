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
 * @param snapshotStartMillis for a row read by a snapshot: when that snapshot started (source clock, epoch ms),
 *     which identifies it; 0 for a streamed change
 * @param snapshotCompleted true for the marker the source emits after the last row of a snapshot: every
 *     indexed document the snapshot did not read, and no later change wrote, no longer exists at the source
 */
public record RawChange(
        String source,
        String position,
        String valueJson,
        String decodeError,
        long snapshotStartMillis,
        boolean snapshotCompleted) {
    public RawChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        if (decodeError != null && valueJson != null) {
            throw new IllegalArgumentException("an undecodable event carries no JSON");
        }
        if (snapshotCompleted && (valueJson != null || snapshotStartMillis <= 0)) {
            throw new IllegalArgumentException("a snapshot-completed marker carries only the snapshot's start");
        }
    }

    /** A decoded event (or a tombstone when {@code valueJson} is null). */
    public RawChange(String source, String position, String valueJson) {
        this(source, position, valueJson, null, 0L, false);
    }

    /** An event whose bytes could not be decoded. */
    public static RawChange undecodable(String source, String position, String reason) {
        return new RawChange(source, position, null, Objects.requireNonNull(reason, "reason"), 0L, false);
    }

    /** A row read by the snapshot that started at {@code snapshotStartMillis}. */
    public static RawChange snapshotRow(String source, String position, String valueJson, long snapshotStartMillis) {
        return new RawChange(source, position, valueJson, null, snapshotStartMillis, false);
    }

    /** The marker after the last row of the snapshot that started at {@code snapshotStartMillis}. */
    public static RawChange snapshotCompleted(String source, String position, long snapshotStartMillis) {
        return new RawChange(source, position, null, null, snapshotStartMillis, true);
    }

    /** True for a tombstone: no value and no decoding problem (Kafka's marker after a delete). */
    public boolean isTombstone() {
        return valueJson == null && decodeError == null && !snapshotCompleted;
    }
}
