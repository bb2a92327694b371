package io.freshet.jobs.sink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hooks for crash-safety tests: with the system property {@code freshet.test.halt-at} set to a point's
 * name, the JVM halts (as {@code kill -9} would stop it: no shutdown hooks, no flushing) the
 * {@code freshet.test.halt-after}-th time (default 1) it passes that point. Unset in production.
 */
final class CrashPoints {

    /** In the writer, after the checkpoint's Lucene commit is durable and before the committer publishes it. */
    static final String AFTER_PREPARE = "after-prepare";
    /** In the committer, after it found the commit and before the marker is replaced. */
    static final String DURING_COMMIT = "during-commit";

    private static final AtomicInteger PASSES = new AtomicInteger();

    private CrashPoints() {}

    static void maybeHalt(String point) {
        String at = System.getProperty("freshet.test.halt-at");
        if (at != null && at.equals(point)
                && PASSES.incrementAndGet() >= Integer.getInteger("freshet.test.halt-after", 1)) {
            System.err.println("freshet.test.halt-at=" + point + ": halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
