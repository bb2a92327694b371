package io.freshet.jobs.sink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hooks for crash-safety tests: with the system property {@code freshet.test.halt-at} set to a point's
 * name, the process sends itself {@code SIGKILL} ({@code kill -9}: no shutdown hooks, no flushing, no
 * closing of files) the {@code freshet.test.halt-after}-th time (default 1) it passes that point; where no
 * {@code kill} command exists it halts the JVM. Unset in production.
 */
final class CrashPoints {

    /** In the writer, after the checkpoint's Lucene commit is durable and before the committer publishes it. */
    static final String AFTER_PREPARE = "after-prepare";
    /**
     * In the committer, after it found a commit newer than the published one and before the marker is replaced
     * (a checkpoint in which a shard prepared nothing new passes no such point).
     */
    static final String DURING_COMMIT = "during-commit";

    private static final AtomicInteger PASSES = new AtomicInteger();

    private CrashPoints() {}

    static void maybeHalt(String point) {
        String at = System.getProperty("freshet.test.halt-at");
        if (at != null && at.equals(point)
                && PASSES.incrementAndGet() >= Integer.getInteger("freshet.test.halt-after", 1)) {
            System.err.println("freshet.test.halt-at=" + point + ": kill -9 " + ProcessHandle.current().pid());
            System.err.flush();
            try {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                Thread.sleep(10_000); // the signal is on its way
            } catch (java.io.IOException e) {
                // no kill command: halting skips the same hooks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        }
    }
}
