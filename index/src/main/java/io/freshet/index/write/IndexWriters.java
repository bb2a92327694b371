package io.freshet.index.write;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.ThreadInterruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing Lucene writers that never commit on close. */
public final class IndexWriters {

    private static final Logger LOG = LoggerFactory.getLogger(IndexWriters.class);

    private IndexWriters() {}

    /**
     * Closes {@code writer}, discarding what it did not commit, also on a thread that was interrupted: Flink
     * interrupts a cancelled task's thread, where Lucene's close would throw {@code ThreadInterruptedException}
     * and a file operation would close the channel that holds the write lock. The interrupt is set again
     * afterwards. A writer whose lock an earlier interrupt took cannot roll back cleanly, nor can one interrupted
     * again while closing; what it did not commit is discarded all the same and the next writer opens the last
     * commit, so that is logged, not thrown: a throwing close fails the whole task manager.
     *
     * @param what names the index in the log line
     */
    public static void closeDiscarding(IndexWriter writer, String what) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            writer.close();
        } catch (AlreadyClosedException | ClosedChannelException | ThreadInterruptedException e) {
            // the lock's channel closed by an earlier interrupt, or a new interrupt during the close
            interrupted |= e instanceof ThreadInterruptedException;
            LOG.warn("{}: closed after an interrupt (a cancelled task?); changes it did not commit are discarded, "
                    + "the next writer opens its last commit: {}", what, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
