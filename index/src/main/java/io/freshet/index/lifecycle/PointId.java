package io.freshet.index.lifecycle;

import java.util.Comparator;

/**
 * A commit point of an index generation: checkpoint {@code checkpoint} of the generation's ingest run number
 * {@code run}, written {@code <run>.<checkpoint>} (for example {@code 2.57}). Points order by run, then
 * checkpoint; run 0 checkpoint 0 is the empty generation.
 *
 * @param run the ingest run's number within the generation (1, 2, ...)
 * @param checkpoint the Flink checkpoint id within the run (0: the run's opening commit)
 */
public record PointId(int run, long checkpoint) implements Comparable<PointId> {

    private static final Comparator<PointId> ORDER = Comparator.comparingInt(PointId::run)
            .thenComparingLong(PointId::checkpoint);

    public PointId {
        if (run < 0 || checkpoint < 0) {
            throw new IllegalArgumentException("a commit point is <run>.<checkpoint> with both >= 0; got " + run + "."
                    + checkpoint);
        }
    }

    /** Parses {@code <run>.<checkpoint>}. */
    public static PointId parse(String s) {
        int dot = s.indexOf('.');
        try {
            if (dot > 0) {
                return new PointId(Integer.parseInt(s.substring(0, dot)), Long.parseLong(s.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("a commit point is <run>.<checkpoint>, for example 1.42; got '" + s + "'");
    }

    @Override
    public int compareTo(PointId o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return run + "." + checkpoint;
    }
}
