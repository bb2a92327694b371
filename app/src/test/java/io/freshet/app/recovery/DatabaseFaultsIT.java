package io.freshet.app.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshet.app.config.FreshetConfig;
import io.freshet.app.local.DocumentsTable;
import io.freshet.app.local.IngestLauncher;
import io.freshet.app.local.LocalPostgres;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database faults mid-stream: the walsender serving Debezium is killed with pg_terminate_backend (twice)
 * and PostgreSQL is restarted while a writer changes the table. The index must end equal to the table.
 */
class DatabaseFaultsIT {

    private static final int OPERATIONS = 1_200;
    private static final int DOCUMENTS = 120;

    @TempDir
    Path home;

    private LocalPostgres postgres;
    private JobClient job;

    @BeforeEach
    void start() throws Exception {
        postgres = DocumentsTable.startDatabase(home.resolve("logs"), "freshet");
    }

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            IngestLauncher.cancel(job);
        }
        postgres.close();
    }

    @Test
    void indexEqualsTheTableAfterWalsenderKillsAndARestart() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("DatabaseFaultsIT seed=" + seed);
        Configuration config = FreshetConfig.fromMap(Map.of("job.checkpoint-interval", "500ms"), "test");
        Path workDir = home.resolve("work");
        job = IngestLauncher.launch(config, workDir,
                new IngestLauncher.Postgres("127.0.0.1", postgres.port(), "freshet", LocalPostgres.SUPERUSER, ""),
                Optional.empty());
        await().atMost(Duration.ofMinutes(1)).until(() -> activeWalsenders() == 1);

        RandomWriter writer = new RandomWriter(this::connect, seed, OPERATIONS, DOCUMENTS, 60);
        Thread writerThread = new Thread(writer, "random-writer");
        writerThread.start();

        for (int fault = 0; fault < 3; fault++) {
            int at = (fault + 1) * OPERATIONS / 4;
            await().atMost(Duration.ofMinutes(2)).until(() -> writer.done.get() >= at);
            if (fault < 2) {
                await().atMost(Duration.ofMinutes(1)).until(() -> activeWalsenders() == 1);
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE active");
                }
                System.out.printf("walsender terminated at write %d%n", writer.done.get());
            } else {
                postgres.restart();
                System.out.printf("PostgreSQL restarted at write %d%n", writer.done.get());
            }
        }
        writerThread.join();
        assertThat(writer.failure).isNull();

        Map<String, String> table;
        try (Connection c = connect()) {
            table = IndexOracle.table(c);
        }
        IndexOracle.Diff diff = IndexOracle.awaitEqual(table, IngestLauncher.indexDir(config, workDir),
                Duration.ofMinutes(4), "after database faults", () -> {});
        System.out.printf("after 2 walsender kills and 1 restart (writer retried %d times): %s%n",
                writer.retries.get(), diff);
        assertThat(job.getJobStatus().get().isTerminalState()).as("the job survives the faults").isFalse();
    }

    private int activeWalsenders() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE active")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection connect() {
        try {
            return postgres.connect("freshet");
        } catch (SQLException e) {
            throw new UncheckedIOException(new java.io.IOException(e));
        }
    }
}
