package io.freshet.app.recovery;

import io.freshet.app.cli.FreshetCli;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code freshet ingest} in its own JVM, so a test can cancel it or kill it with SIGKILL. */
public final class JobProcess {

    private final Process process;
    private final Path log;

    private JobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code freshet ingest --config config} with this JVM's class path and module flags. */
    public static JobProcess start(Path home, Path config, Path log) throws IOException {
        return start(home, config, log, List.of());
    }

    /** As {@link #start(Path, Path, Path)}, with extra JVM options such as {@code -Dfreshet.test.halt-at=...}. */
    public static JobProcess start(Path home, Path config, Path log, List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-XX:+IgnoreUnrecognized")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Dfreshet.home=" + home, FreshetCli.class.getName(), "ingest", "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JobProcess(p, log);
    }

    /** True once the job reported it is running. */
    public boolean running() throws IOException {
        return process.isAlive() && Files.readString(log).contains("freshet: ingest job");
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits for the process to end by itself; its exit code, or -1 when still alive at the deadline, in which case
     * it is killed, so a failing test leaves no job running.
     */
    public int awaitExit(java.time.Duration deadline) throws InterruptedException {
        if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    /**
     * Waits until a checkpoint newer than {@code before} completed under {@code checkpoints}, so the run made
     * durable progress before the test stops it at a random point after that.
     */
    public static java.util.Optional<Path> awaitNewCheckpoint(Path checkpoints, java.util.Optional<Path> before,
            java.time.Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            java.util.Optional<Path> now = io.freshet.app.local.IngestLauncher.latestCheckpoint(checkpoints);
            if (now.isPresent() && !now.equals(before)) {
                return now;
            }
            Thread.sleep(100); // polling the checkpoint directory of another process
        }
        throw new AssertionError("no new checkpoint under " + checkpoints + " within " + deadline);
    }

    /** SIGTERM: the CLI cancels the job without a savepoint and exits. */
    public void cancel() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: the JVM dies wherever it is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }
}
