package io.freshet.app.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.PublishedMarker;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two-phase sink under {@code kill -9} at its two dangerous moments, on a two-shard index: after a
 * shard's Lucene commit is prepared and before it is published ({@code after-prepare}), and inside the
 * committer, after it found the commit and before the published marker is replaced ({@code during-commit}).
 * The job process kills itself there with SIGKILL (the sink's {@code CrashPoints} hook) while a writer keeps
 * changing the table. Then, with nothing running: every shard's newest commit passes Lucene's CheckIndex, a
 * prepared commit is newer than the published one, and the published point opens. A restarted job resumes
 * from the last completed checkpoint and the index converges to the table.
 */
class CommitCrashIT extends WithSourceDatabase {

    private static final int OPERATIONS = 800;
    private static final int DOCUMENTS = 80;
    /** What the job logs when its initial snapshot is done and it streams changes. */
    private static final String SNAPSHOT_DONE = "DebeziumSourceReader - Snapshot started at";


    @ParameterizedTest(name = "kill -9 {0}")
    @ValueSource(strings = {"after-prepare", "during-commit"})
    void theLastCommitStaysCompleteAndTheJobRecovers(String point) throws Exception {
        long seed = new Random().nextLong();
        System.out.println("CommitCrashIT " + point + " seed=" + seed);
        Path config = jobConfig("index.shards: 2");
        Path indexDir = home.resolve("work/index");
        RandomWriter writer = new RandomWriter(this::connect, seed, OPERATIONS, DOCUMENTS, 40);
        seedDocuments(20); // the snapshot holds documents, so every published commit does
        // the 6th pass: three checkpoints of two shards, so both shards have published one. At the 4th (the second
        // checkpoint's) a shard's publication of the first could still be on its way, and it had none
        JobProcess crashing = JobProcess.start(home, config, home.resolve("job-crash.log"),
                List.of("-Dfreshet.test.halt-at=" + point, "-Dfreshet.test.halt-after=6"));
        // write once the job streams (its snapshot is done): writes finished before then land in the snapshot, and a
        // snapshot alone commits too rarely to reach the kill point. On a busy machine the snapshot started 25-30 s
        // after the job was running, by when the writer had finished
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> crashing.running() && crashing.output().contains(SNAPSHOT_DONE));
        } catch (RuntimeException e) {
            crashing.kill();
            throw e;
        }
        Thread writerThread = startWriter(writer);
        int exit = crashing.awaitExit(Duration.ofMinutes(3));
        assertThat(exit).as("the job killed itself at %s:%n%s", point, crashing.output()).isEqualTo(137);
        assertThat(crashing.output()).contains("freshet.test.halt-at=" + point + ": kill -9");

        // nothing runs now: what the kill left on disk
        IndexRoot root = new IndexRoot(indexDir);
        Generation live = root.live().orElseThrow();
        assertThat(live.info().shards()).isEqualTo(2);
        boolean preparedNotPublished = false;
        for (int shard = 0; shard < 2; shard++) {
            try (Directory d = FSDirectory.open(live.shardDir(shard))) {
                CheckIndex.Status status;
                try (CheckIndex check = new CheckIndex(d)) {
                    status = check.checkIndex();
                }
                assertThat(status.clean).as("CheckIndex of shard %d after kill -9 %s", shard, point).isTrue();
                List<Generation.ShardCommit> commits = Generation.commits(d);
                long newest = commits.getLast().data().checkpointId();
                int s = shard;
                PublishedMarker published = live.published(shard).orElseThrow(() -> new AssertionError(
                        "shard " + s + " published nothing before the kill -9 " + point));
                assertThat(commits).as("the published commit of shard %d is still there", shard)
                        .anyMatch(c -> c.commit().getGeneration() == published.luceneGeneration());
                preparedNotPublished |= commits.getLast().data().runId().equals(published.runId())
                        && newest > published.checkpoint();
            }
        }
        assertThat(preparedNotPublished).as("the kill left a prepared commit that was never published").isTrue();
        try (var served = root.openServed().orElseThrow()) {
            assertThat(served.numDocs()).as("the published point opens").isGreaterThan(0);
        }

        JobProcess recovered = JobProcess.start(home, config, home.resolve("job-recover.log"));
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(recovered::running);
            writerThread.join();
            assertThat(writer.failure).isNull();
            Map<String, String> table;
            try (Connection c = connect()) {
                table = IndexOracle.table(c);
            }
            IndexOracle.Diff diff = IndexOracle.awaitEqual(table, indexDir, Duration.ofMinutes(3),
                    "after kill -9 " + point, () -> writer.saveJournal(home.resolve("journal.txt")));
            assertThat(recovered.output()).as("the restarted job resumed from the last completed checkpoint")
                    .contains("resumed from");
            System.out.printf("kill -9 %s: recovered, %s%n", point, diff);
        } finally {
            recovered.cancel();
        }
    }

    /** Inserts {@code n} documents the random writer never touches (ids {@code seed-<i>}). */
    private void seedDocuments(int n) throws java.sql.SQLException {
        try (Connection c = connect(); java.sql.PreparedStatement st = c.prepareStatement(
                "INSERT INTO documents (id, title, body, acl, tenant) VALUES (?, ?, ?, ?, 'acme')")) {
            for (int i = 0; i < n; i++) {
                st.setString(1, "seed-" + i);
                st.setString(2, "Seed " + i);
                st.setString(3, "A document that was there before the job started, number " + i + ".");
                st.setArray(4, c.createArrayOf("text", new String[] {"group:eng"}));
                st.executeUpdate();
            }
        }
    }
}
