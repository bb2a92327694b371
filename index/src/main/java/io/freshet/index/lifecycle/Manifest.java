package io.freshet.index.lifecycle;

import java.util.Objects;

/**
 * Which generation is live, stored as {@code manifest.json} in the index root and replaced atomically.
 *
 * @param live the live generation: the one served and the one ingestion writes
 * @param pinned the commit point of the live generation the service is pinned to; {@code null} serves the
 *     newest published point
 * @param ingestion whether the ingest job runs
 * @param epoch bumped by every owner operation; an ingest job started under an older epoch restarts under
 *     the new one (from the live generation's replay positions), never from its own older checkpoints
 * @param updatedAtMillis when the manifest was last written
 */
public record Manifest(String live, String pinned, Ingestion ingestion, long epoch, long updatedAtMillis) {

    /** What the ingest job does. */
    public enum Ingestion {
        /** The job writes the live generation. */
        RUNNING,
        /** The job is stopped; the service keeps serving what it serves. */
        PAUSED
    }

    public Manifest {
        Objects.requireNonNull(live, "live");
        ingestion = Objects.requireNonNullElse(ingestion, Ingestion.RUNNING);
    }

    /** The pinned point, parsed; null when not pinned. */
    public PointId pinnedPoint() {
        return pinned == null ? null : PointId.parse(pinned);
    }
}
