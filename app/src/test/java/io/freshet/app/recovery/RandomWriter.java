package io.freshet.app.recovery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Applies random inserts, updates (text, ACL or both) and deletes to the documents table, all derived from
 * one seed. Connection failures (the database being restarted) are retried, so every operation counts.
 */
final class RandomWriter implements Runnable {

    private static final String[] GROUPS = {"group:eng", "group:hr", "group:finance", "group:sales", "user:alice"};

    private static final int MAX_RETRIES = 600;
    private final Supplier<Connection> connections;
    private final Random random;
    private final int operations;
    private final int documents;
    private final long pauseNanos;
    final AtomicInteger done = new AtomicInteger();
    /** Every applied operation, for diagnosing a failed oracle: "time op id". */
    final java.util.List<String> journal = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger retries = new AtomicInteger();
    volatile Throwable failure;

    RandomWriter(Supplier<Connection> connections, long seed, int operations, int documents, double opsPerSecond) {
        this.connections = connections;
        this.random = new Random(seed);
        this.operations = operations;
        this.documents = documents;
        this.pauseNanos = (long) (1e9 / opsPerSecond);
    }

    /** Writes the journal to {@code file}, for diagnosing a failed oracle. */
    void saveJournal(java.nio.file.Path file) {
        try {
            java.nio.file.Files.write(file, journal);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void run() {
        try {
            Connection c = null;
            long next = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                String id = "doc-" + random.nextInt(documents);
                int kind = random.nextInt(10);
                String body = RandomText.sentence(random) + " op" + i + ".";
                List<String> acl = acl();
                while (true) {
                    try {
                        if (c == null) {
                            c = connections.get();
                        }
                        apply(c, id, kind, body, acl);
                        break;
                    } catch (SQLException | RuntimeException e) {
                        // the database is restarting: reconnect and retry the same operation
                        retries.incrementAndGet();
                        if (retries.get() > MAX_RETRIES) {
                            throw e;
                        }
                        if (c != null) {
                            try {
                                c.close();
                            } catch (SQLException ignored) {
                                // already broken
                            }
                            c = null;
                        }
                        Thread.sleep(200); // back off before reconnecting
                    }
                }
                journal.add(System.currentTimeMillis() + " #" + i + " " + (kind < 2 ? "delete" : kind < 4 ? "acl" : "upsert") + " " + id);
                done.incrementAndGet();
                next += pauseNanos;
                RandomText.pace(next);
            }
            if (c != null) {
                c.close();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void apply(Connection c, String id, int kind, String body, List<String> acl) throws SQLException {
        if (kind < 2) {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM documents WHERE id = ?")) {
                st.setString(1, id);
                st.executeUpdate();
            }
        } else if (kind < 4) {
            try (PreparedStatement st = c.prepareStatement("UPDATE documents SET acl = ?, updated_at = now() WHERE id = ?")) {
                st.setArray(1, c.createArrayOf("text", acl.toArray()));
                st.setString(2, id);
                st.executeUpdate();
            }
        } else {
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO documents (id, title, body, acl, tenant) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, acl = EXCLUDED.acl,
                      updated_at = now()""")) {
                st.setString(1, id);
                st.setString(2, "Note " + id);
                st.setString(3, body);
                st.setArray(4, c.createArrayOf("text", acl.toArray()));
                st.setString(5, random.nextBoolean() ? "acme" : "globex");
                st.executeUpdate();
            }
        }
    }


    private List<String> acl() {
        List<String> acl = new ArrayList<>();
        acl.add(GROUPS[random.nextInt(GROUPS.length)]);
        if (random.nextBoolean()) {
            acl.add(GROUPS[random.nextInt(GROUPS.length)]);
        }
        return acl;
    }
}
