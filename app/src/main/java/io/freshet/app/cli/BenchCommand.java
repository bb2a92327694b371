package io.freshet.app.cli;

import io.freshet.app.bench.ChangeLatencyBench;
import io.freshet.app.bench.IngestThroughputBench;
import io.freshet.app.bench.KnnCostBench;
import io.freshet.app.bench.LoadClient;
import io.freshet.app.bench.ServingBench;
import io.freshet.app.bench.SyntheticCorpus;
import io.freshet.index.schema.VectorFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet bench change-latency}: Freshet's own load tools. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a Freshet benchmark.",
        subcommands = {BenchCommand.ChangeLatency.class, BenchCommand.BuildIndex.class, BenchCommand.Serving.class,
            BenchCommand.IngestThroughput.class, BenchCommand.KnnCost.class})
public final class BenchCommand {

    /** {@code out}, or {@code bench/results/<name>-<date>.json} under the Freshet home. */
    private static Path resultFile(Path out, String name) {
        return out != null ? out : ConfigMixin.home().resolve("bench/results/" + name + "-" + LocalDate.now() + ".json");
    }

    /** True when {@code index} is a directory; otherwise says so for {@code bench <command>}. */
    private static boolean isIndex(String command, Path index) {
        if (Files.isDirectory(index)) {
            return true;
        }
        System.err.println("freshet bench " + command + ": --index " + index + " is not a directory; build it with "
                + "'bench build-index'");
        return false;
    }

    /** Builds the synthetic index the serving benchmark searches. */
    @Command(name = "build-index", mixinStandardHelpOptions = true,
            description = "Build a synthetic chunk index (384-dim clustered vectors, BM25 text, ACLs of 1/10/50% selectivity).")
    static final class BuildIndex implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Index directory (replaced).")
        Path dir;

        @Option(names = "--chunks", defaultValue = "1000000", description = "Chunks (default ${DEFAULT-VALUE}).")
        int chunks;

        @Option(names = "--vector-format", defaultValue = "int8-hnsw", description = "hnsw or int8-hnsw (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--threads", defaultValue = "2", description = "Indexing threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--segments", defaultValue = "2", description = "Merge to this many segments (default ${DEFAULT-VALUE}).")
        int segments;

        @Override
        public Integer call() throws Exception {
            VectorFormat vf;
            try {
                vf = VectorFormat.parse(format);
            } catch (IllegalArgumentException e) {
                System.err.println("freshet bench build-index: --vector-format: " + e.getMessage());
                return 2;
            }
            if (chunks < 1 || threads < 1 || segments < 1) {
                System.err.println("freshet bench build-index: --chunks, --threads and --segments must be >= 1");
                return 2;
            }
            ServingBench.build(dir, chunks, vf, threads, segments);
            return 0;
        }
    }

    /** Open-loop load against the retrieval service over a synthetic index, compared with raw Lucene. */
    @Command(name = "serving", mixinStandardHelpOptions = true,
            description = "Retrieval latency per stage at fixed request rates, raw-Lucene ratio and vector recall@10 per filter.")
    static final class Serving implements Callable<Integer> {
        @Option(names = "--index", required = true, description = "Index built by 'bench build-index'.")
        Path index;

        @Option(names = "--rates", split = ",", defaultValue = "50,200", description = "Requests/s (default ${DEFAULT-VALUE}).")
        List<Integer> rates;

        @Option(names = "--selectivities", split = ",", defaultValue = "1,10,50", description = "Percent visible (default ${DEFAULT-VALUE}).")
        List<Integer> selectivities;

        @Option(names = "--duration", defaultValue = "PT30S", description = "Measured period per run (default ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--warmup", defaultValue = "PT10S", description = "Warm-up per principal (default ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--rescore", defaultValue = "2", description = "Full-precision rescoring oversample; 1 = off (default ${DEFAULT-VALUE}).")
        double rescore;

        @Option(names = "--segment-parallel", arity = "1", defaultValue = "true", description = "Search segments in parallel (default ${DEFAULT-VALUE}).")
        boolean segmentParallel;

        @Option(names = "--recall-queries", defaultValue = "200", description = "Queries for recall@10 (default ${DEFAULT-VALUE}).")
        int recallQueries;

        @Option(names = "--load-process", arity = "1", defaultValue = "true",
                description = "Generate the load from a separate JVM (default ${DEFAULT-VALUE}); false runs it in the service's JVM.")
        boolean loadProcess;

        @Option(names = "--load-client", defaultValue = "raw",
                description = "The load generator's HTTP client: raw (HTTP/1.1 on blocking sockets, the least CPU per "
                        + "request), apache (Apache HttpClient 5) or jdk (java.net.http) (default ${DEFAULT-VALUE}).")
        String loadClient;

        @Option(names = "--out", description = "Result file (default bench/results/serving-<date>.json).")
        Path out;

        @Override
        public Integer call() throws Exception {
            LoadClient.Kind client;
            try {
                client = LoadClient.Kind.parse(loadClient);
            } catch (IllegalArgumentException e) {
                System.err.println("freshet bench serving: --load-client: " + e.getMessage());
                return 2;
            }
            for (int s : selectivities) {
                if (Arrays.stream(SyntheticCorpus.SELECTIVITIES).noneMatch(x -> x == s)) {
                    System.err.println("freshet bench serving: --selectivities: " + s + " is not one of 1, 10, 50");
                    return 2;
                }
            }
            if (rates.stream().anyMatch(r -> r < 1 || r > 5000)) {
                System.err.println("freshet bench serving: --rates must be in [1, 5000]; got " + rates);
                return 2;
            }
            if (!isIndex("serving", index)) {
                return 2;
            }
            Path file = resultFile(out, "serving");
            ServingBench.run(new ServingBench.Options(index, rates, selectivities,
                    duration, warmup, rescore, segmentParallel, recallQueries, loadProcess, client, file));
            return 0;
        }
    }

    /** CPU per filtered kNN through the graph and exactly, by how many chunks the filter admits. */
    @Command(name = "knn-cost", mixinStandardHelpOptions = true,
            description = "CPU per vector and hybrid search, graph against exact scoring, and the graph's recall@10, "
                    + "for filters of different sizes over a 'bench build-index' index.")
    static final class KnnCost implements Callable<Integer> {
        @Option(names = "--index", required = true, description = "Index built by 'bench build-index'.")
        Path index;

        @Option(names = "--filters", split = ",", defaultValue = "1,50:0.04,50:0.06,50:0.08,50:0.1,10:0.7,10,50",
                description = "SELECTIVITY[:FRACTION]: a principal seeing 1, 10 or 50% of the chunks, narrowed by update "
                        + "time to the first FRACTION of them (default ${DEFAULT-VALUE}).")
        List<String> filters;

        @Option(names = "--queries", defaultValue = "200", description = "Queries per filter and round (default ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--rounds", defaultValue = "2", description = "Interleaved rounds (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--out", description = "Result file (default bench/results/knn-cost-<date>.json).")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<KnnCostBench.FilterSpec> specs;
            try {
                specs = filters.stream().map(KnnCostBench.FilterSpec::parse).toList();
            } catch (IllegalArgumentException e) {
                System.err.println("freshet bench knn-cost: --filters: " + e.getMessage());
                return 2;
            }
            if (queries < 1 || rounds < 1) {
                System.err.println("freshet bench knn-cost: --queries and --rounds must be >= 1");
                return 2;
            }
            if (!isIndex("knn-cost", index)) {
                return 2;
            }
            Path file = resultFile(out, "knn-cost");
            KnnCostBench.run(index, specs, queries, rounds, file);
            return 0;
        }
    }

    /** End-to-end ingest rate against the embedder alone on the same texts. */
    @Command(name = "ingest-throughput", mixinStandardHelpOptions = true,
            description = "Ingest job rate (parse, chunk-embed, Lucene sink) against the embedder alone on the same chunk texts.")
    static final class IngestThroughput implements Callable<Integer> {
        @Option(names = "--documents", defaultValue = "1500", description = "Synthetic documents (default ${DEFAULT-VALUE}).")
        int documents;

        @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Embedding model (default ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--seed", defaultValue = "7", description = "Corpus seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", description = "Result file (default bench/results/ingest/throughput-<date>.json).")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (documents < 10 || documents > 1_000_000 || rounds < 1 || rounds > 20) {
                System.err.println("freshet bench ingest-throughput: --documents must be in [10, 1000000] and --rounds in "
                        + "[1, 20]; got " + documents + " and " + rounds);
                return 2;
            }
            io.freshet.embedding.EmbeddingModelId id;
            try {
                id = io.freshet.embedding.EmbeddingModelId.of(model);
            } catch (IllegalArgumentException e) {
                System.err.println("freshet bench ingest-throughput: --model: " + e.getMessage());
                return 2;
            }
            Path file = resultFile(out, "ingest/throughput");
            Path work = Files.createTempDirectory("freshet-ingest-bench");
            IngestThroughputBench.Result r = IngestThroughputBench.run(id, documents, rounds, work, seed, System.out);
            IngestThroughputBench.write(r, file);
            System.out.printf("median: embedder alone %.1f docs/s, pipeline %.1f docs/s, ratio %.3f (with the job's "
                    + "start: %.3f) -> %s%n", r.medianEmbedder(), r.medianPipeline(), r.medianRatio(),
                    r.medianRatioWithStart(), file);
            return 0;
        }
    }

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
            Path file = resultFile(out, "change-latency");
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
