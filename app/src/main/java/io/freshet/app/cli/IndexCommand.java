package io.freshet.app.cli;

import io.freshet.app.config.LocalOptions;
import io.freshet.app.local.IngestLauncher;
import io.freshet.index.lifecycle.AuditRecord;
import io.freshet.index.lifecycle.CommitPoint;
import io.freshet.index.lifecycle.GateResult;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.Manifest;
import io.freshet.index.lifecycle.QualityGate;
import io.freshet.jobs.config.IndexOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code freshet index}: what the index serves and owner operations on it. Exit codes: 0 done, 2 bad
 * arguments (the message names the bad value), 1 the operation failed.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "List generations and commit points; roll back, promote, resume.",
        subcommands = {IndexCommand.ListCommand.class, IndexCommand.RollbackCommand.class,
                IndexCommand.PromoteCommand.class, IndexCommand.ResumeCommand.class, IndexCommand.AuditCommand.class})
public final class IndexCommand {

    /** Where the index root is: {@code --index DIR}, else the configured {@code index.dir}. */
    static final class RootOptions {
        @Mixin
        ConfigMixin configOptions;

        @Option(names = "--index", description = "Index root (default: index.dir under local.work-dir).")
        Path index;

        @Option(names = "--actor", description = "Who is acting, for the audit log (default: $USER).")
        String actor;

        private Configuration config;

        private Configuration config() throws java.io.IOException {
            if (config == null) {
                config = configOptions.load();
            }
            return config;
        }

        IndexRoot root() throws java.io.IOException {
            if (index != null) {
                return new IndexRoot(index);
            }
            Path workDir = ConfigMixin.home().resolve(config().get(LocalOptions.WORK_DIR)).toAbsolutePath().normalize();
            return new IndexRoot(IngestLauncher.indexDir(config(), workDir));
        }

        /** The promotion quality gate of the configuration ({@code index.gate.*}). */
        QualityGate gate() throws java.io.IOException {
            return IndexOptions.gate(config());
        }

        String actor() {
            return actor != null ? actor : "cli:" + System.getProperty("user.name", "unknown");
        }
    }

    /** Runs an operation, turning bad arguments into exit 2 with the message. */
    @FunctionalInterface
    interface Op {
        int run() throws Exception;
    }

    static int run(String name, Op op) {
        try {
            return op.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("freshet index " + name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("freshet index " + name + ": failed: " + e);
            return 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Generations and their commit points with lineage, counts, watermark and time.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        RootOptions options;

        @Override
        public Integer call() {
            return run("list", () -> {
                IndexRoot root = options.root();
                Optional<Manifest> manifest = root.manifest();
                if (manifest.isEmpty()) {
                    System.out.println("no index at " + root.dir() + " yet (the ingest job creates it)");
                    return 0;
                }
                Manifest m = manifest.get();
                System.out.println("index " + root.dir());
                System.out.println("live " + m.live() + (m.pinned() != null ? " pinned at " + m.pinned() : " (newest point)")
                        + ", ingestion " + m.ingestion().name().toLowerCase() + ", epoch " + m.epoch());
                for (Generation g : root.generations()) {
                    var info = g.info();
                    System.out.printf("%n%s%s  shards %d  model %s  chunker %s  created %s%s%n", g.id(),
                            g.id().equals(m.live()) ? " [live]" : "", info.shards(), info.model(), info.chunker(),
                            Instant.ofEpochMilli(info.createdAtMillis()),
                            info.forkedFrom() == null ? "" : "  forked from " + info.forkedFrom());
                    Optional<GateResult> gate = root.gate(g);
                    System.out.println("  quality gate: " + gate.map(r -> r.summary() + " (checked "
                            + Instant.ofEpochMilli(r.checkedAtMillis()) + ")").orElse("not evaluated"));
                    gate.ifPresent(r -> r.checks().forEach(c -> System.out.println("    " + c)));
                    List<CommitPoint> points = g.points();
                    if (points.isEmpty()) {
                        System.out.println("  (no published commit point)");
                    }
                    System.out.printf("  %-10s %-24s %8s %8s %-24s %s%n", "point", "committed", "docs", "chunks",
                            "watermark", "positions");
                    for (CommitPoint p : points) {
                        System.out.printf("  %-10s %-24s %8d %8d %-24s %s%n", p.id(), Instant.ofEpochMilli(p.committedAtMillis()),
                                p.documents(), p.chunks(), p.watermarkMillis() > 0 ? Instant.ofEpochMilli(p.watermarkMillis()) : "-",
                                p.positions());
                    }
                }
                return 0;
            });
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Switch live traffic to an earlier commit point or another generation, atomically.")
    static final class RollbackCommand implements Callable<Integer> {
        @Mixin
        RootOptions options;

        @Option(names = "--to", required = true,
                description = "g0002 (its newest point), g0002@1.57, or 1.57 (a point of the live generation).")
        String to;

        @Option(names = "--reason", required = true, description = "Why; recorded in the audit log.")
        String reason;

        @Option(names = "--ingestion", defaultValue = "replay",
                description = "replay (default): fork the point and re-ingest from its source positions; pause: pin and stop ingestion.")
        String ingestion;

        @Override
        public Integer call() {
            return run("rollback", () -> {
                IndexRoot.Outcome o = options.root().rollback(to, reason, options.actor(),
                        IndexRoot.AfterRollback.of(ingestion));
                print(o.audit());
                return 0;
            });
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make a generation live at its newest point once its evaluation report (freshet eval "
                    + "--generation) clears the quality gate (index.gate.*); ingestion continues it.")
    static final class PromoteCommand implements Callable<Integer> {
        @Mixin
        RootOptions options;

        @Parameters(index = "0", description = "The generation, e.g. g0002.")
        String generation;

        @Option(names = "--reason", required = true, description = "Why; recorded in the audit log.")
        String reason;

        @Override
        public Integer call() {
            return run("promote", () -> {
                print(options.root().promote(generation, reason, options.actor(), options.gate()).audit());
                return 0;
            });
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Unpin the live generation and restart ingestion from its newest point.")
    static final class ResumeCommand implements Callable<Integer> {
        @Mixin
        RootOptions options;

        @Option(names = "--reason", required = true, description = "Why; recorded in the audit log.")
        String reason;

        @Override
        public Integer call() {
            return run("resume", () -> {
                print(options.root().resume(reason, options.actor()).audit());
                return 0;
            });
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Every owner operation, oldest first.")
    static final class AuditCommand implements Callable<Integer> {
        @Mixin
        RootOptions options;

        @Override
        public Integer call() {
            return run("audit", () -> {
                for (AuditRecord r : options.root().audit()) {
                    print(r);
                }
                return 0;
            });
        }
    }

    private static void print(AuditRecord r) {
        System.out.println(Instant.ofEpochMilli(r.atMillis()) + "  " + r.actor() + "  " + r.action() + "  " + r.from()
                + " -> " + r.to() + "  ingestion " + r.ingestion() + "  reason: " + r.reason());
    }
}
