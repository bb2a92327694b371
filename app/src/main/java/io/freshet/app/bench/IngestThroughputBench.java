package io.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.RawChange;
import io.freshet.core.chunk.ChunkerSpec;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.ModelTokenCounter;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.schema.VectorFormat;
import io.freshet.jobs.ingest.ChangeEmbedder;
import io.freshet.jobs.ingest.DefaultComponents;
import io.freshet.jobs.ingest.IngestJob;
import io.freshet.jobs.sink.DeadLetterFileSink;
import io.freshet.jobs.sink.LuceneSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * End-to-end ingest rate against the embedder alone on the same texts. The pipeline is the production ingest
 * job (parse, chunk-embed with its batcher, the Lucene sink with its commits) in a local Flink, reading
 * Debezium change events of synthetic documents from a bounded source; the embedder alone embeds the same
 * chunk inputs, chunked by the same chunker, in batches of the same size on one thread. After an unmeasured
 * warm-up run of the pipeline, rounds interleave the two, and each round's ratio is pipeline rate / embedder
 * rate. The pipeline's rate is taken from the source's first record to the job's end (its last commit
 * included), and also with the job's start (local Flink cluster, job deployment) included.
 */
public final class IngestThroughputBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = ("replication failover standby latency checkpoint snapshot quorum ledger "
            + "invoice payroll roadmap incident runbook deploy rollback budget contract audit vendor backlog "
            + "customer onboarding security review retention policy schema migration index shard commit").split(" ");

    private IngestThroughputBench() {}

    /**
     * One round: documents per second through each, and their ratio; the pipeline's rate from its first record,
     * and with the job's start included.
     */
    public record Round(int round, double embedderDocsPerSecond, double pipelineDocsPerSecond, double ratio,
            double pipelineWithStartDocsPerSecond, double ratioWithStart, double jobStartSeconds) {}

    /** What was measured. */
    public record Result(String model, int documents, int chunks, List<Round> rounds, double medianEmbedder,
            double medianPipeline, double medianRatio, double medianRatioWithStart) {}

    /** When the source handed out its first record, in this JVM (the local job runs here). */
    private static final AtomicLong FIRST_RECORD_NANOS = new AtomicLong();

    /** A pipeline run: its rate from the first record, its rate with the job's start, and the start's seconds. */
    private record PipelineRun(double docsPerSecond, double withStartDocsPerSecond, double startSeconds) {}

    /** Runs {@code rounds} interleaved rounds over {@code documents} synthetic documents. */
    public static Result run(EmbeddingModelId model, int documents, int rounds, Path workDir, long seed, PrintStream progress)
            throws Exception {
        List<String[]> rows = documents(documents, seed);
        ChunkerSpec chunking = ChunkerSpec.recursive(200, 32);
        Chunker chunker = chunking.create(new ModelTokenCounter());
        List<String> inputs = new ArrayList<>();
        for (String[] row : rows) {
            for (Chunk c : chunker.split(row[2])) {
                inputs.add(ChangeEmbedder.embeddingInput(row[1], c));
            }
        }
        progress.printf("ingest throughput: %,d documents, %,d chunks, %s, %d rounds%n", rows.size(), inputs.size(),
                model.id(), rounds);
        Embedder embedder = OnnxEmbedder.onCallerThread(model);
        embedder.embed(inputs.subList(0, Math.min(64, inputs.size()))); // load the model once, outside the timings
        // warm the JVM and Flink up (class loading, JIT) on a slice, outside the timings
        pipeline(model, chunking, rows.subList(0, Math.min(100, rows.size())), workDir.resolve("warm-up"));
        List<Round> out = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            double alone = embedderAlone(embedder, inputs, rows.size());
            PipelineRun p = pipeline(model, chunking, rows, workDir.resolve("round-" + r));
            out.add(new Round(r, alone, p.docsPerSecond(), p.docsPerSecond() / alone, p.withStartDocsPerSecond(),
                    p.withStartDocsPerSecond() / alone, p.startSeconds()));
            progress.printf("round %d: embedder alone %.1f docs/s, pipeline %.1f docs/s, ratio %.3f (with the job's "
                    + "%.1f s start: %.1f docs/s, ratio %.3f)%n", r, alone, p.docsPerSecond(), p.docsPerSecond() / alone,
                    p.startSeconds(), p.withStartDocsPerSecond(), p.withStartDocsPerSecond() / alone);
        }
        return new Result(model.id(), rows.size(), inputs.size(), out,
                median(out.stream().mapToDouble(Round::embedderDocsPerSecond).toArray()),
                median(out.stream().mapToDouble(Round::pipelineDocsPerSecond).toArray()),
                median(out.stream().mapToDouble(Round::ratio).toArray()),
                median(out.stream().mapToDouble(Round::ratioWithStart).toArray()));
    }

    private static double embedderAlone(Embedder embedder, List<String> inputs, int documents) {
        long start = System.nanoTime();
        for (int i = 0; i < inputs.size(); i += IngestJob.DEFAULT_EMBEDDING.batching().maxBatchInputs()) {
            embedder.embed(inputs.subList(i, Math.min(inputs.size(), i + IngestJob.DEFAULT_EMBEDDING.batching().maxBatchInputs())));
        }
        return documents / ((System.nanoTime() - start) / 1e9);
    }

    /** Runs the ingest job over the rows to the end of its bounded input; documents per second of its run. */
    private static PipelineRun pipeline(EmbeddingModelId model, ChunkerSpec chunking, List<String[]> rows, Path dir)
            throws Exception {
        Files.createDirectories(dir);
        List<String> events = new ArrayList<>(rows.size());
        long lsn = 1000;
        for (String[] row : rows) {
            events.add(envelope(row, lsn += 16));
        }
        FIRST_RECORD_NANOS.set(0);
        GeneratorFunction<Long, RawChange> generate = i -> {
            if (i == 0) {
                FIRST_RECORD_NANOS.compareAndSet(0, System.nanoTime());
            }
            return change(events, i);
        };
        DataGeneratorSource<RawChange> source = new DataGeneratorSource<>(generate, events.size(),
                RateLimiterStrategy.noOp(), TypeInformation.of(RawChange.class));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        env.enableCheckpointing(1_000);
        DefaultComponents components = new DefaultComponents(model, chunking);
        new IngestJob(source, TableMapping.documentsTable(), components,
                new LuceneSink(dir.resolve("index"), new LuceneSink.Settings(model.id(), model.version(),
                        components.chunkerDescription(), VectorFormat.HNSW, 20, Duration.ofHours(1))),
                new DeadLetterFileSink(dir.resolve("dead-letters")), 1, 1).build(env);
        long start = System.nanoTime();
        env.execute("ingest-throughput");
        long end = System.nanoTime();
        deleteTree(dir);
        long first = FIRST_RECORD_NANOS.get();
        if (first == 0) {
            throw new IllegalStateException("the source handed out no record");
        }
        return new PipelineRun(rows.size() / ((end - first) / 1e9), rows.size() / ((end - start) / 1e9),
                (first - start) / 1e9);
    }

    private static RawChange change(List<String> events, long i) {
        return new RawChange("bench.public.documents", "{\"lsn\":" + (1000 + 16 * (i + 1)) + "}", events.get((int) i),
                null, 0L, false);
    }

    private static String envelope(String[] row, long lsn) {
        ObjectNode after = JSON.createObjectNode().put("id", row[0]).put("title", row[1]).put("body", row[2])
                .put("tenant", "bench").put("updated_at", Instant.ofEpochMilli(1_700_000_000_000L + lsn).toString());
        after.putArray("acl").add(row[3]);
        ObjectNode payload = JSON.createObjectNode();
        payload.putNull("before");
        payload.set("after", after);
        payload.set("source", JSON.createObjectNode().put("connector", "postgresql").put("name", "bench")
                .put("ts_ms", 1_700_000_000_000L + lsn).put("snapshot", "false").put("db", "bench")
                .put("schema", "public").put("table", "documents").put("lsn", lsn));
        payload.put("op", "c");
        payload.put("ts_ms", 1_700_000_000_000L + lsn);
        return payload.toString();
    }

    /** id, title, body (two or three paragraphs of 40 to 120 words), ACL entry. */
    static List<String[]> documents(int n, long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder body = new StringBuilder();
            int paragraphs = 2 + random.nextInt(2);
            for (int p = 0; p < paragraphs; p++) {
                int words = 40 + random.nextInt(81);
                for (int w = 0; w < words; w++) {
                    body.append(w == 0 ? "" : random.nextInt(12) == 0 ? ". " : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                body.append(p + 1 < paragraphs ? ".\n\n" : ".");
            }
            out.add(new String[] {"doc-" + i, "Note " + i + " on " + WORDS[random.nextInt(WORDS.length)], body.toString(),
                "group:g" + random.nextInt(10)});
        }
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes {@code r} as JSON. */
    public static void write(Result r, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), r);
    }
}
