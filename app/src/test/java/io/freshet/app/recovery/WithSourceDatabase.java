package io.freshet.app.recovery;

import io.freshet.app.local.DocumentsTable;
import io.freshet.app.local.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the recovery tests that run {@code freshet ingest} processes against a real PostgreSQL: one database
 * with the documents table per test, in a home directory kept when the test fails (logs, journal).
 */
abstract class WithSourceDatabase {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    LocalPostgres postgres;

    @BeforeEach
    void startDatabase() throws Exception {
        postgres = DocumentsTable.startDatabase(home.resolve("logs"), "freshet");
    }

    @AfterEach
    void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Writes {@code freshet.yaml} in the home directory for {@code freshet ingest} against this database,
     * checkpointing every 500 ms and resuming from the newest checkpoint, plus {@code extra} lines.
     */
    Path jobConfig(String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "local.work-dir: " + home.resolve("work"),
                "source.postgres.port: " + postgres.port(),
                "job.checkpoint-interval: 500ms",
                "job.restore: latest"));
        lines.addAll(List.of(extra));
        return Files.writeString(home.resolve("freshet.yaml"), String.join("\n", lines) + "\n");
    }

    /** Starts {@code writer} on its own thread. */
    static Thread startWriter(RandomWriter writer) {
        Thread t = new Thread(writer, "random-writer");
        t.start();
        return t;
    }

    Connection connect() {
        try {
            return postgres.connect("freshet");
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
