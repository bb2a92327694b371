package io.freshet.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;

/** Closing on a thread interrupted as Flink interrupts a cancelled task's. */
public final class CancelledThread {

    private CancelledThread() {}

    /**
     * Closes {@code closeable} on an interrupted thread: it must not throw (a throwing close fails the whole task
     * manager) and must keep the interrupt.
     */
    public static void close(Closeable closeable) throws IOException {
        Thread.currentThread().interrupt();
        try {
            closeable.close();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
