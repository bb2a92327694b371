package io.freshet.app.cli;

import io.freshet.app.local.LocalStack;
import io.freshet.index.search.IndexStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code freshet up}: runs the whole pipeline on embedded defaults, shows ingest progress, prints how to
 * query the service, and runs until Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run Freshet locally: embedded PostgreSQL with a sample corpus, Debezium, Flink, Lucene and the retrieval service.")
public final class UpCommand implements Callable<Integer> {

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** Stop waiting for the initial ingest when nothing new became searchable for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);

    @Mixin
    ConfigMixin configOptions;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path home = ConfigMixin.home();
        Configuration config;
        try {
            config = configOptions.load();
        } catch (IllegalArgumentException e) {
            System.err.println("freshet up: " + e.getMessage());
            return 2;
        }

        long started = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(config, home, step -> out.println("freshet: " + step));
        } catch (Exception e) {
            System.err.println("freshet up: could not start: " + rootMessage(e));
            System.err.println("            details are in " + home.resolve(".freshet/logs/freshet.log"));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            shuttingDown.set(true);
            out.println();
            out.println("freshet: shutting down...");
            stack.close();
            out.println("freshet: stopped.");
            stopped.countDown();
            LogManager.shutdown();
        }, "freshet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (!awaitInitialIngest(stack, started, shuttingDown)) {
            return shuttingDown.get() ? 0 : 1;
        }
        if (!shuttingDown.get()) {
            printUsage(stack);
        }
        // Run until Ctrl-C (the hook closes everything) or until the job fails.
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (!shuttingDown.get() && stack.jobResult().isCompletedExceptionally()) {
                System.err.println("freshet: the ingest job failed; see " + stack.workDir().resolve("logs/freshet.log"));
                return 1;
            }
        }
        return 0;
    }

    private boolean awaitInitialIngest(LocalStack stack, long started, AtomicBoolean shuttingDown) throws Exception {
        long total = stack.sampleDocuments();
        if (total == 0) {
            return true;
        }
        long ingestStart = System.nanoTime();
        long lastDocs = -1;
        long lastProgress = System.nanoTime();
        boolean tty = System.console() != null;
        while (true) {
            if (shuttingDown.get()) {
                return false;
            }
            if (stack.jobResult().isCompletedExceptionally()) {
                out.println();
                System.err.println("freshet: the ingest job failed; see " + stack.workDir().resolve("logs/freshet.log"));
                return false;
            }
            IndexStats s;
            try {
                s = stack.searcher().stats();
            } catch (IOException | RuntimeException e) {
                if (shuttingDown.get()) {
                    return false; // the searcher closed under us: Ctrl-C during the initial ingest
                }
                throw e;
            }
            double secs = (System.nanoTime() - ingestStart) / 1e9;
            double rate = s.documents() / Math.max(secs, 1e-3);
            String eta = s.documents() == 0 ? "?" : Math.round((total - s.documents()) / Math.max(rate, 1e-3)) + "s";
            String line = String.format("freshet: ingest %d/%d documents searchable, %d chunks, %.1f docs/s, ETA %s",
                    s.documents(), total, s.chunks(), rate, s.documents() >= total ? "0s" : eta);
            if (tty) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if (s.documents() != lastDocs) {
                out.println(line);
            }
            if (s.documents() >= total) {
                if (tty) {
                    out.println();
                }
                out.printf("freshet: %d documents searchable in %.1f s (%.1f s since start)%n", s.documents(), secs,
                        (System.nanoTime() - started) / 1e9);
                return true;
            }
            if (s.documents() != lastDocs) {
                lastDocs = s.documents();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                out.println();
                out.println("freshet: ingest made no progress for " + STALL_TIMEOUT.toMinutes()
                        + " minutes; serving what is indexed. See " + stack.workDir().resolve("logs/freshet.log"));
                return true;
            }
            Thread.sleep(PROGRESS_INTERVAL.toMillis()); // progress display cadence
        }
    }

    private void printUsage(LocalStack stack) {
        String url = stack.serviceUri() + "/v1/retrieve";
        out.println();
        out.println("Freshet is running. Retrieval service: " + url);
        out.println("PostgreSQL: psql-compatible at 127.0.0.1:" + stack.postgres().port() + ", database "
                + stack.database() + ", user postgres (JDBC " + stack.postgres().jdbcUrl(stack.database()) + ")");
        out.println();
        out.println("Callers present a bearer token. Mint development tokens, signed with this profile's own key:");
        out.println("  BOB=$(./freshet token --user bob --groups hr,all-staff --tenant acme)");
        out.println("  ALICE=$(./freshet token --user alice --groups eng,all-staff --tenant acme)");
        out.println();
        out.println("Ask as bob (group hr), who may read the parental leave policy:");
        out.println(curl(url, "BOB", "How many weeks of paid parental leave do we get?"));
        out.println();
        out.println("Ask the same as alice (group eng), who may not; her hits hold no HR policy:");
        out.println(curl(url, "ALICE", "How many weeks of paid parental leave do we get?"));
        out.println();
        out.println("API description: " + stack.serviceUri() + "/openapi.json   MCP: " + stack.serviceUri() + "/mcp   "
                + "metrics: " + stack.serviceUri() + "/metrics");
        out.println();
        out.println("Change a row in PostgreSQL and it is searchable about a second later. Ctrl-C stops everything.");
    }

    private static String curl(String url, String tokenVariable, String query) {
        return "  curl -s " + url + " \\\n"
                + "    -H 'Content-Type: application/json' -H \"Authorization: Bearer $" + tokenVariable + "\" \\\n"
                + "    -d '{\"query\": \"" + query + "\", \"k\": 3}'";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
