package io.freshet.app.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshet.app.config.FreshetConfig;
import io.freshet.app.local.DocumentsTable;
import io.freshet.app.local.IngestLauncher;
import io.freshet.app.local.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the captured table is idle and another table fills the WAL, heartbeats keep the replication slot's
 * confirmed position moving (so PostgreSQL can recycle WAL); without the heartbeat table it stands still.
 */
class SlotAdvanceIT {

    private static final long WAL_WRITTEN = 4L << 20;

    @TempDir
    Path home;

    @Test
    void heartbeatsAdvanceTheSlotWhileTheCapturedTableIsIdle() throws Exception {
        long withHeartbeats = lagAfterUnrelatedWrites(home.resolve("with"), "public.freshet_heartbeat");
        long without = lagAfterUnrelatedWrites(home.resolve("without"), "");
        System.out.printf("slot lag after %d MB of unrelated WAL: %d B with heartbeat table, %d B without%n",
                WAL_WRITTEN >> 20, withHeartbeats, without);
        assertThat(withHeartbeats).isLessThan(256 * 1024);
        assertThat(without).as("control: no heartbeat table").isGreaterThan(WAL_WRITTEN / 2);
    }

    private long lagAfterUnrelatedWrites(Path dir, String heartbeatTable) throws Exception {
        try (LocalPostgres pg = DocumentsTable.startDatabase(dir.resolve("logs"), "freshet")) {
            try (Connection c = pg.connect("freshet"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE unrelated (id serial PRIMARY KEY, payload text)");
                st.execute("INSERT INTO documents (id, title, body, acl, tenant) VALUES ('d1', 't', 'b', '{group:eng}', 'acme')");
            }
            Configuration config = FreshetConfig.fromMap(Map.of(
                    "job.checkpoint-interval", "500ms",
                    "source.postgres.heartbeat-interval", "1s",
                    "source.postgres.heartbeat-table", heartbeatTable), "test");
            JobClient job = IngestLauncher.launch(config, dir.resolve("work"),
                    new IngestLauncher.Postgres("127.0.0.1", pg.port(), "freshet", LocalPostgres.SUPERUSER, ""),
                    Optional.empty());
            try (Connection c = pg.connect("freshet"); Statement st = c.createStatement()) {
                await().atMost(Duration.ofMinutes(2)).until(() -> lag(st) >= 0 && lag(st) < 64 * 1024);
                long start = walPosition(st);
                while (walPosition(st) - start < WAL_WRITTEN) {
                    st.execute("INSERT INTO unrelated (payload) SELECT repeat(md5(random()::text), 20) FROM generate_series(1, 500)");
                }
                if (heartbeatTable.isEmpty()) {
                    Thread.sleep(8_000); // give the control the same time the heartbeats get below
                    return lag(st);
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> lag(st) < 256 * 1024);
                return lag(st);
            } finally {
                IngestLauncher.cancel(job);
            }
        }
    }

    private static long walPosition(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long lag(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots")) {
            return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
        }
    }
}
