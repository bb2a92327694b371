package io.freshet.app.local;

import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ingest job as the index manifest says, and follows owner operations: when the manifest's epoch
 * changes (a rollback, promote or resume), the running job is cancelled and, unless ingestion is paused, a new
 * run starts on the live generation from its replay positions: Kafka offsets of the commit point it continues,
 * or, for PostgreSQL (whose replication slot cannot rewind), a fresh snapshot that converges the index to the
 * table. A run never resumes from checkpoints taken under an older epoch.
 */
public final class IngestSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestSupervisor.class);
    private static final String EPOCH_FILE = "freshet-epoch";

    private final Configuration config;
    private final Path workDir;
    private final IngestLauncher.Postgres pg;
    private final IndexRoot root;
    private final CompletableFuture<Void> failure = new CompletableFuture<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-supervisor");
        t.setDaemon(true);
        return t;
    });
    private JobClient job;
    private long epoch = -1;
    private boolean closed;

    private IngestSupervisor(Configuration config, Path workDir, IngestLauncher.Postgres pg) {
        this.config = config;
        this.workDir = workDir;
        this.pg = pg;
        this.root = new IndexRoot(IngestLauncher.indexDir(config, workDir));
    }

    /** Starts the job (resuming from {@code restore} when it was taken under the current epoch) and follows the manifest. */
    public static IngestSupervisor start(Configuration config, Path workDir, IngestLauncher.Postgres pg,
            Optional<Path> restore) throws Exception {
        IngestSupervisor s = new IngestSupervisor(config, workDir, pg);
        s.launch(restore);
        s.poller.scheduleWithFixedDelay(s::follow, 1, 1, TimeUnit.SECONDS);
        return s;
    }

    /** Completes exceptionally when a job fails (not when the supervisor cancels it). */
    public CompletableFuture<Void> failure() {
        return failure;
    }

    /** The running job, if any (none while ingestion is paused). */
    public synchronized Optional<JobClient> job() {
        return Optional.ofNullable(job);
    }

    private synchronized void launch(Optional<Path> restore) throws Exception {
        Optional<Manifest> manifest = root.manifest();
        long current = manifest.map(Manifest::epoch).orElse(1L);
        epoch = current;
        if (manifest.isPresent() && manifest.get().ingestion() == Manifest.Ingestion.PAUSED) {
            LOG.info("Ingestion is paused (index manifest epoch {}); `freshet index resume` restarts it", current);
            job = null;
            return;
        }
        boolean sameEpoch = manifest.isEmpty() || recordedEpoch() == current;
        Optional<Path> from = sameEpoch ? restore : Optional.empty();
        Map<String, String> replay = Map.of();
        if (from.isEmpty() && manifest.isPresent()) {
            Generation live = root.generation(manifest.get().live());
            replay = live.info().replayPositions();
            LOG.info("Starting a new ingest run on {} (epoch {}) from {}", live.id(), current,
                    replay.isEmpty() ? "the source's start" : "positions " + replay);
        }
        JobClient started = IngestLauncher.launch(config, workDir, pg, from, replay, current);
        Files.createDirectories(IngestLauncher.checkpointsDir(workDir));
        Files.writeString(IngestLauncher.checkpointsDir(workDir).resolve(EPOCH_FILE), Long.toString(current));
        job = started;
        started.getJobExecutionResult().whenComplete((r, e) -> {
            synchronized (IngestSupervisor.this) {
                if (e != null && job == started && !closed) {
                    failure.completeExceptionally(e);
                }
            }
        });
    }

    private long recordedEpoch() {
        try {
            return Long.parseLong(Files.readString(IngestLauncher.checkpointsDir(workDir).resolve(EPOCH_FILE)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void follow() {
        try {
            Optional<Manifest> m = root.manifest();
            JobClient stale;
            synchronized (this) {
                if (closed || m.isEmpty() || m.get().epoch() == epoch) {
                    return;
                }
                LOG.info("Index manifest changed (epoch {} -> {}): restarting ingestion", epoch, m.get().epoch());
                stale = job;
                job = null;
            }
            if (stale != null) {
                IngestLauncher.cancel(stale);
            }
            synchronized (this) {
                if (!closed) {
                    launch(Optional.empty());
                }
            }
        } catch (Exception e) {
            LOG.warn("Could not follow the index manifest; will retry", e);
        }
    }

    @Override
    public void close() {
        JobClient running;
        synchronized (this) {
            closed = true;
            running = job;
            job = null;
        }
        poller.shutdownNow();
        if (running != null) {
            IngestLauncher.cancel(running);
        }
    }
}
