package io.freshet.app.cli;

import io.freshet.app.bench.ChangeLatencyBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet bench change-latency}: Freshet's own load tools. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a Freshet benchmark.",
        subcommands = BenchCommand.ChangeLatency.class)
public final class BenchCommand {

    /** Change-to-searchable latency at a steady change rate. */
    @Command(name = "change-latency", mixinStandardHelpOptions = true,
            description = "Change-to-searchable latency at a steady rate of row changes (embedded PostgreSQL + ingest job).")
    static final class ChangeLatency implements Callable<Integer> {
        @Mixin
        ConfigMixin configOptions;

        @Option(names = "--rate", defaultValue = "20", description = "Row changes per second (default ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--duration", defaultValue = "PT60S", description = "Measured period, ISO-8601 (default ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--quiet", defaultValue = "PT20S", description = "Idle period before the final slot-lag reading (default ${DEFAULT-VALUE}).")
        Duration quiet;

        @Option(names = "--out", description = "Result file (default bench/results/change-latency-<date>.json).")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (rate <= 0 || rate > 10_000) {
                System.err.println("freshet bench: --rate must be in (0, 10000]; got " + rate);
                return 2;
            }
            Path work = Files.createTempDirectory("freshet-bench-");
            ChangeLatencyBench.Result r = ChangeLatencyBench.run(rate, duration, quiet, work, configOptions.load());
            Path file = out != null ? out
                    : ConfigMixin.home().resolve("bench/results/change-latency-" + LocalDate.now() + ".json");
            ChangeLatencyBench.write(r, file);
            System.out.println("change-to-searchable latency at " + rate + " changes/s for " + duration.toSeconds() + " s: "
                    + r.latenciesMs().size() + " changes, p50 " + r.percentile(50) + " ms, p95 " + r.percentile(95)
                    + " ms, p99 " + r.percentile(99) + " ms, max " + r.percentile(100)
                    + " ms; unseen " + r.unseen() + "; slot lag " + r.slotLagAtEndBytes() + " B at end, "
                    + r.slotLagBytes() + " B after " + quiet.toSeconds() + " s idle");
            System.out.println("written to " + file);
            return 0;
        }

    }
}
