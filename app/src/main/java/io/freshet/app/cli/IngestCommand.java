package io.freshet.app.cli;

import io.freshet.app.config.LocalOptions;
import io.freshet.app.local.IngestLauncher;
import io.freshet.app.local.IngestSupervisor;
import io.freshet.jobs.config.SourceOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code freshet ingest}: runs only the ingest job, against an existing PostgreSQL, on a local Flink
 * cluster. It resumes from the newest retained checkpoint by default ({@code job.restore}); Ctrl-C or
 * SIGTERM cancels the job and keeps its checkpoints.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the ingest job against an existing PostgreSQL (source.postgres.*), resuming from the newest checkpoint.")
public final class IngestCommand implements Callable<Integer> {

    /** How long the main thread waits for the shutdown hook to print its last line. */
    private static final long HOOK_WAIT_SECONDS = 60;

    @Mixin
    ConfigMixin configOptions;

    @Override
    public Integer call() throws Exception {
        Configuration config;
        IngestLauncher.Postgres pg;
        Optional<Path> restore;
        Path workDir;
        try {
            config = configOptions.load();
            workDir = ConfigMixin.home().resolve(config.get(LocalOptions.WORK_DIR)).toAbsolutePath().normalize();
            pg = IngestLauncher.configuredPostgres(config);
            restore = IngestLauncher.restorePoint(config, workDir);
        } catch (IllegalArgumentException e) {
            System.err.println("freshet ingest: " + e.getMessage());
            return 2;
        }
        IngestSupervisor ingest = IngestSupervisor.start(config, workDir, pg, restore);
        String from = pg == null ? "Kafka topics " + config.get(SourceOptions.KAFKA_TOPICS)
                : pg.host() + ":" + pg.port() + "/" + pg.database();
        System.out.println("freshet: ingest job " + ingest.job().map(j -> j.getJobID().toString()).orElse("(paused)") + " running against " + from + (restore.map(p -> ", resumed from " + p).orElse(", from the start"))
                + "; index " + IngestLauncher.indexDir(config, workDir));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean cancelling = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cancelling.set(true);
            ingest.close();
            System.out.println("freshet: ingest job cancelled; checkpoints kept in " + IngestLauncher.checkpointsDir(workDir));
            stopped.countDown();
            LogManager.shutdown();
        }, "freshet-shutdown"));
        try {
            ingest.failure().get();
        } catch (ExecutionException e) {
            if (!cancelling.get()) {
                System.err.println("freshet: the ingest job failed: " + e.getCause().getMessage());
                return 1;
            }
        }
        stopped.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS); // let the shutdown hook finish its message
        return 0;
    }
}
