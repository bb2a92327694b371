package io.freshet.app.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Kills and cancels the ingest job at random points while a writer changes the source table, restarts it
 * from the newest retained checkpoint each time, and checks that the index ends equal to the table:
 * 0 missing, 0 duplicate chunks, 0 stale.
 */
class CrashRecoveryIT extends WithSourceDatabase {

    private static final int CYCLES = 6;
    private static final int OPERATIONS = 2_000;
    private static final int DOCUMENTS = 150;
    private static final Duration CONVERGE_DEADLINE = Duration.ofMinutes(4);


    @Test
    void indexEqualsTheTableAfterCancelsAndKills() throws Exception {
        cancelsAndKills();
    }

    /**
     * As above with two chunk-embed subtasks and two shards: a snapshot's marker then reaches each subtask and each
     * shard over keyed exchanges, and each subtask's reconcile speaks only for its own documents.
     */
    @Test
    void indexEqualsTheTableAfterCancelsAndKillsWithTwoEmbeddersAndTwoShards() throws Exception {
        cancelsAndKills("job.embed-parallelism: 2", "index.shards: 2");
    }

    private void cancelsAndKills(String... extraConfig) throws Exception {
        String pinned = System.getenv("FRESHET_TEST_SEED");
        long seed = pinned != null ? Long.parseLong(pinned) : new Random().nextLong();
        System.out.println("CrashRecoveryIT seed=" + seed + " " + String.join(", ", extraConfig));
        Random random = new Random(seed);
        Path config = jobConfig(extraConfig);
        Path indexDir = home.resolve("work/index");

        RandomWriter writer = new RandomWriter(this::connect, seed, OPERATIONS, DOCUMENTS, 60);
        Thread writerThread = startWriter(writer);

        int kills = 0;
        int cancels = 0;
        int resumed = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            var before = io.freshet.app.local.IngestLauncher.latestCheckpoint(home.resolve("work/checkpoints"));
            JobProcess job = JobProcess.start(home, config, home.resolve("job-" + cycle + ".log"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(job::running);
            JobProcess.awaitNewCheckpoint(home.resolve("work/checkpoints"), before, Duration.ofMinutes(2));
            long runMillis = random.nextInt(5_000);
            Thread.sleep(runMillis); // on to a random point after that checkpoint; the writer keeps going
            assertThat(job.alive()).as("job process of cycle %d died on its own:%n%s", cycle, job.output()).isTrue();
            if (job.output().contains("resumed from")) {
                resumed++;
            }
            if (cycle % 2 == 0) {
                job.kill();
                kills++;
            } else {
                job.cancel();
                cancels++;
            }
            System.out.printf("cycle %d: stopped %d ms after a checkpoint, %s; writer at %d/%d%n", cycle, runMillis,
                    cycle % 2 == 0 ? "killed (SIGKILL)" : "cancelled", writer.done.get(), OPERATIONS);
        }
        writerThread.join();
        assertThat(writer.failure).isNull();
        assertThat(resumed).as("runs that resumed from a retained checkpoint").isGreaterThanOrEqualTo(CYCLES - 1);

        JobProcess last = JobProcess.start(home, config, home.resolve("job-final.log"));
        try {
            Map<String, String> table;
            try (Connection c = connect()) {
                table = IndexOracle.table(c);
            }
            IndexOracle.Diff diff = IndexOracle.awaitEqual(table, indexDir, CONVERGE_DEADLINE, "after kills and cancels",
                    () -> writer.saveJournal(home.resolve("journal.txt")));
            System.out.printf("after %d kills and %d cancels (%d resumed from checkpoints): %s%n", kills, cancels,
                    resumed + (last.output().contains("resumed from") ? 1 : 0), diff);
            assertThat(diff.tableDocuments()).isGreaterThan(DOCUMENTS / 2);
        } finally {
            last.cancel();
        }
    }
}
