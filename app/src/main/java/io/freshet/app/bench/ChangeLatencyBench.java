package io.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.freshet.app.config.FreshetConfig;
import io.freshet.app.local.DocumentsTable;
import io.freshet.app.local.IngestLauncher;
import io.freshet.app.local.LocalPostgres;
import io.freshet.core.SourceDocument;
import io.freshet.index.schema.ChunkSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * Measures change-to-searchable latency: an embedded PostgreSQL and the ingest job run as in production,
 * a writer commits inserts and updates at a steady rate, and a watcher reopens the index every few
 * milliseconds and records when each change's exact version (its content hash) becomes searchable.
 */
public final class ChangeLatencyBench {

    private static final Duration WATCH_INTERVAL = Duration.ofMillis(10);

    /**
     * The outcome.
     *
     * @param latenciesMs one per change, sorted
     * @param unseen changes not searchable by the end
     * @param slotLagBytes WAL between the server's current position and the slot's confirmed position, after
     *     a quiet period
     */
    /** Index of the {@code p}-th percentile (nearest rank) in a sorted sample of {@code size} values. */
    public static int nearestRank(int size, double p) {
        return Math.max(0, Math.min(size - 1, (int) Math.ceil(p / 100.0 * size) - 1));
    }

    public record Result(double rate, Duration duration, List<Long> latenciesMs, int unseen, long slotLagBytes,
            long slotLagAtEndBytes) {
        /** The {@code p}-th percentile latency (nearest rank), or -1 when nothing was measured. */
        public long percentile(double p) {
            if (latenciesMs.isEmpty()) {
                return -1;
            }
            return latenciesMs.get(nearestRank(latenciesMs.size(), p));
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate_per_s", rate);
            m.put("duration_s", duration.toSeconds());
            m.put("changes", latenciesMs.size() + unseen);
            m.put("unseen", unseen);
            m.put("p50_ms", percentile(50));
            m.put("p95_ms", percentile(95));
            m.put("p99_ms", percentile(99));
            m.put("max_ms", percentile(100));
            m.put("slot_lag_at_end_bytes", slotLagAtEndBytes);
            m.put("slot_lag_after_quiet_bytes", slotLagBytes);
            return m;
        }
    }

    private record Pending(String id, String hash, long committedNanos) {}

    private ChangeLatencyBench() {}

    /** Runs the benchmark in {@code workDir} (created fresh). */
    public static Result run(double rate, Duration duration, Duration quiet, Path workDir, Configuration base)
            throws Exception {
        Files.createDirectories(workDir);
        Map<String, String> settings = new LinkedHashMap<>(base.toMap());
        settings.put("local.work-dir", workDir.toString());
        Configuration config = FreshetConfig.fromMap(settings, "bench");
        try (LocalPostgres pg = DocumentsTable.startDatabase(workDir.resolve("logs"), "freshet")) {
            JobClient job = IngestLauncher.launch(config, workDir,
                    new IngestLauncher.Postgres("127.0.0.1", pg.port(), "freshet", LocalPostgres.SUPERUSER, ""),
                    Optional.empty());
            Path indexDir = IngestLauncher.indexDir(config, workDir);
            try (Connection c = pg.connect("freshet")) {
                Random random = new Random(42);
                Map<String, Pending> pending = new ConcurrentHashMap<>();
                List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean stop = new AtomicBoolean();
                Thread watcher = new Thread(() -> watch(indexDir, pending, latencies, stop), "latency-watcher");
                watcher.start();
                // warm-up: the first change starts the pipeline (model load, first checkpoint)
                write(c, random, "warmup", pending, 0);
                long warmDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (!pending.isEmpty() && System.nanoTime() < warmDeadline) {
                    Thread.sleep(50); // waiting for the warm-up change to become searchable
                }
                latencies.clear();
                long interval = (long) (1e9 / rate);
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                int n = 0;
                for (long next = start; next < end; next += interval) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // open-loop pacing
                    }
                    write(c, random, "doc-" + random.nextInt(200), pending, n++);
                }
                long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!pending.isEmpty() && System.nanoTime() < drainDeadline) {
                    Thread.sleep(50); // letting the last changes land
                }
                stop.set(true);
                watcher.join();
                long lagAtEnd = slotLag(c);
                Thread.sleep(quiet.toMillis()); // an idle period: heartbeats should keep the slot advancing
                long lagAfterQuiet = slotLag(c);
                List<Long> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                return new Result(rate, duration, sorted, pending.size(), lagAfterQuiet, lagAtEnd);
            } finally {
                IngestLauncher.cancel(job);
            }
        }
    }

    private static void write(Connection c, Random random, String id, Map<String, Pending> pending, int n)
            throws SQLException {
        String body = "Change " + n + " of " + id + ": " + Long.toString(random.nextLong(), 36)
                + " the ledger reconciliation moved to the new close calendar.";
        List<String> acl = List.of(random.nextBoolean() ? "group:eng" : "group:finance");
        SourceDocument doc = new SourceDocument(id, "Bench " + id, body, acl, "acme", 0);
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO documents (id, title, body, acl, tenant) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, acl = EXCLUDED.acl,
                  updated_at = now()""")) {
            st.setString(1, id);
            st.setString(2, doc.title());
            st.setString(3, doc.body());
            st.setArray(4, c.createArrayOf("text", acl.toArray()));
            st.setString(5, doc.tenant());
            st.executeUpdate();
        }
        pending.put(id, new Pending(id, doc.contentHash(), System.nanoTime())); // a newer change supersedes
    }

    private static void watch(Path indexDir, Map<String, Pending> pending, List<Long> latencies, AtomicBoolean stop) {
        DirectoryReader reader = null;
        try (FSDirectory dir = FSDirectory.open(Files.createDirectories(indexDir))) {
            while (!stop.get()) {
                if (reader == null) {
                    try {
                        reader = DirectoryReader.open(dir);
                    } catch (IndexNotFoundException e) {
                        Thread.sleep(WATCH_INTERVAL.toMillis());
                        continue;
                    }
                } else {
                    DirectoryReader next = DirectoryReader.openIfChanged(reader);
                    if (next == null) {
                        Thread.sleep(WATCH_INTERVAL.toMillis()); // polling the index for new commits
                        continue;
                    }
                    reader.close();
                    reader = next;
                }
                long now = System.nanoTime();
                IndexSearcher searcher = new IndexSearcher(reader);
                for (Pending p : List.copyOf(pending.values())) {
                    BooleanQuery q = new BooleanQuery.Builder()
                            .add(new TermQuery(new Term(ChunkSchema.DOC_ID, p.id())), BooleanClause.Occur.FILTER)
                            .add(new TermQuery(new Term(ChunkSchema.CONTENT_HASH, p.hash())), BooleanClause.Occur.FILTER)
                            .build();
                    if (searcher.count(q) > 0 && pending.remove(p.id(), p)) {
                        latencies.add((now - p.committedNanos()) / 1_000_000);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // closing at the end of the run
                }
            }
        }
    }

    private static long slotLag(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Writes the result as JSON. */
    public static void write(Result r, Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "change-to-searchable latency");
        json.put("when", Instant.now().toString());
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", JDK "
                + Runtime.version());
        json.put("summary", r.summary());
        json.put("latencies_ms", r.latenciesMs());
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
