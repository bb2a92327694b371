package io.freshet.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.connectors.kafka.KafkaChangeSources;
import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.core.chunk.RecursiveChunker;
import io.freshet.core.chunk.WhitespaceTokenCounter;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.jobs.ingest.ChunkEmbedOperator;
import io.freshet.jobs.ingest.IngestJob;
import io.freshet.jobs.sink.DeadLetterFileSink;
import io.freshet.jobs.sink.LuceneSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission changes never wait behind content queued for a slow embedder: with thousands of content changes
 * waiting for their embedding (taken in by the job, queued for the embedder), each of 100 revocations is enforced
 * in queries within 2 seconds (p99), and a
 * document whose content change was still waiting when its permissions were revoked is indexed with the
 * revoked permissions, never the older ones. The embedder is the real quantized MiniLM, slowed down as a
 * remote embedding service under load would be.
 */
class RevocationUnderBacklogIT {

    private static final String TOPIC = "backlog.public.documents";
    private static final EmbeddingModelId MODEL = EmbeddingModelId.ALL_MINILM_L6_V2_Q;
    private static final int SEEDED = 120;
    private static final int ORDERED = 10;
    private static final int REVOKED = 100;
    private static final int BACKLOG = 3000;
    private static final List<String> BOTH = List.of("group:eng", "group:ops");
    private static final List<String> OPS = List.of("group:ops");
    private static final Principal ENG = new Principal("erin", Set.of("eng"), "acme");
    private static final Principal OPS_USER = new Principal("oscar", Set.of("ops"), "acme");

    @TempDir
    Path dir;

    /** An embedder that takes {@code millisPerInput} longer per input, as a loaded remote one would. */
    record SlowEmbedder(Embedder inner, long millisPerInput) implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            try {
                Thread.sleep(millisPerInput * texts.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.embed(texts);
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public String modelId() {
            return inner.modelId();
        }
    }

    record SlowComponents(long millisPerInput) implements ChunkEmbedOperator.Components {
        @Override
        public Chunker chunker() {
            return new RecursiveChunker(200, 32, new WhitespaceTokenCounter());
        }

        @Override
        public Embedder embedder() {
            return new SlowEmbedder(OnnxEmbedder.onCallerThread(MODEL), millisPerInput);
        }

        @Override
        public String modelVersion() {
            return MODEL.version();
        }
    }

    @Test
    void revocationsAreEnforcedWithinTwoSecondsBehindABacklogAndKeepDocumentOrder() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("RevocationUnderBacklogIT seed=" + seed);
        Random random = new Random(seed);
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            Path indexDir = dir.resolve("index");
            JobClient job = startJob(broker, indexDir);
            try {
                long[] lsn = {0};
                Map<String, SourceDocument> source = new HashMap<>();
                for (int i = 0; i < SEEDED; i++) {
                    send(producer, source, lsn, "seed-" + i, "Seeded note " + token("seed", i) + " " + words(random, 20), BOTH);
                }
                producer.flush();
                try (ChunkSearcher searcher = awaitSearcher(indexDir)) {
                    for (int i = 0; i < SEEDED; i++) {
                        awaitVisible(searcher, ENG, token("seed", i), "seed-" + i, Duration.ofSeconds(120));
                    }
                    // the backlog: thousands of content changes; early on, documents whose new content still waits
                    // when their permissions are revoked
                    for (int i = 0; i < BACKLOG; i++) {
                        send(producer, source, lsn, "bulk-" + i, "Backlogged " + words(random, 30), BOTH);
                        if (i % 20 == 10 && i / 20 < ORDERED) {
                            int o = i / 20;
                            String id = "seed-" + o;
                            String body = "Rewritten note " + token("fresh", o) + " " + words(random, 20);
                            send(producer, source, lsn, id, body, BOTH);
                            send(producer, source, lsn, id, body, OPS);
                        }
                    }
                    producer.flush();
                    // Let the job take the burst in, so the 3,000 changes wait in the embedding queue (about 75 are
                    // embedded meanwhile). A revocation sent right behind the burst also waits for the job to read
                    // and sort the burst: up to about 2 s on 2 cores (BENCHMARKS.md), which is not what this measures.
                    Thread.sleep(3_000);
                    long[] latencies = revokeAndMeasure(producer, searcher, source, lsn);
                    System.out.println("revocation latencies in order of sending (ms): " + Arrays.toString(latencies));
                    int indexedBulk = countVisible(searcher, OPS_USER, "Backlogged", BACKLOG);
                    Arrays.sort(latencies);
                    long p50 = latencies[latencies.length / 2];
                    long p99 = latencies[(int) Math.ceil(latencies.length * 0.99) - 1];
                    System.out.printf("revocation under a backlog of %,d content changes (slow embedder, 2 cores): "
                            + "p50 %d ms, p99 %d ms, max %d ms over %d revocations; %,d of the backlog indexed when the "
                            + "last was enforced%n", BACKLOG, p50, p99, latencies[latencies.length - 1], REVOKED,
                            indexedBulk, BACKLOG);
                    assertThat(indexedBulk).as("the revocations were measured while the backlog waited")
                            .isLessThan(BACKLOG / 2);
                    assertThat(p99).as("p99 revocation latency, ms").isLessThanOrEqualTo(2_000);

                    for (int o = 0; o < ORDERED; o++) { // their new content lands with the revoked permissions
                        String id = "seed-" + o;
                        awaitVisible(searcher, OPS_USER, token("fresh", o), id, Duration.ofSeconds(120));
                        assertThat(ids(searcher, ENG, token("fresh", o))).as(id + " new content, revoked").doesNotContain(id);
                        assertThat(ids(searcher, ENG, token("seed", o))).as(id + " old content, revoked").doesNotContain(id);
                    }
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Revokes group:eng from seeded documents one every 50 ms and returns how long each took to be enforced. */
    private long[] revokeAndMeasure(KafkaProducer<byte[], byte[]> producer, ChunkSearcher searcher,
            Map<String, SourceDocument> source, long[] lsn) throws Exception {
        long[] sentAt = new long[REVOKED];
        long[] latency = new long[REVOKED];
        Arrays.fill(latency, -1);
        int sent = 0;
        int open = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long nextSend = System.nanoTime();
        while ((sent < REVOKED || open > 0) && System.nanoTime() < deadline) {
            if (sent < REVOKED && System.nanoTime() >= nextSend) {
                String id = "seed-" + (ORDERED + sent);
                sentAt[sent] = System.nanoTime();
                send(producer, source, lsn, id, source.get(id).body(), OPS);
                producer.flush();
                sent++;
                open++;
                nextSend += Duration.ofMillis(50).toNanos();
            }
            searcher.refresh();
            for (int r = 0; r < sent; r++) {
                if (latency[r] < 0 && !ids(searcher, ENG, token("seed", ORDERED + r)).contains("seed-" + (ORDERED + r))) {
                    latency[r] = (System.nanoTime() - sentAt[r]) / 1_000_000;
                    open--;
                }
            }
            Thread.sleep(10);
        }
        for (int r = 0; r < REVOKED; r++) {
            if (latency[r] < 0) {
                latency[r] = Long.MAX_VALUE / 2; // never enforced: fails the p99 check
            }
        }
        return latency;
    }

    private static JobClient startJob(KafkaBroker broker, Path indexDir) throws Exception {
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        flink.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
        env.enableCheckpointing(1_000);
        SlowComponents components = new SlowComponents(40);
        new IngestJob(KafkaChangeSources.debeziumJson(broker.bootstrapServers(), List.of(TOPIC), "backlog-it"),
                TableMapping.documentsTable(), components,
                new LuceneSink(indexDir, new LuceneSink.Settings(MODEL.id(), MODEL.version(),
                        new RecursiveChunker(200, 32, t -> 0).describe(), VectorFormat.HNSW, 20, Duration.ofHours(1))),
                new DeadLetterFileSink(indexDir.resolveSibling("dead-letters")), 1, 1)
                .dedup(io.freshet.jobs.ingest.DedupFunction.Policy.of("flag", "flag", 0.8, 3)) // on, as it may be in production
                .build(env);
        return env.executeAsync("revocation-under-backlog");
    }

    private static ChunkSearcher awaitSearcher(Path indexDir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                ChunkSearcher s = ChunkSearcher.forIndexRoot(new IndexRoot(indexDir), VectorSearchOptions.DEFAULT);
                if (s.hasCommit()) {
                    return s;
                }
                s.close();
            } catch (RuntimeException | java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no index commit within 120 s");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitVisible(ChunkSearcher searcher, Principal p, String token, String id, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ids(searcher, p, token).contains(id)) {
            assertThat(System.nanoTime()).as(id + " searchable by " + token).isLessThan(deadline);
            Thread.sleep(100);
            searcher.refresh();
        }
    }

    private static List<String> ids(ChunkSearcher searcher, Principal p, String text) throws Exception {
        return searcher.search(SearchRequest.keyword(p, text, 10)).hits().stream().map(ChunkHit::documentId).toList();
    }

    private static int countVisible(ChunkSearcher searcher, Principal p, String text, int k) throws Exception {
        return (int) searcher.search(SearchRequest.keyword(p, text, k)).hits().stream().map(ChunkHit::documentId)
                .filter(id -> id.startsWith("bulk-")).distinct().count();
    }

    private static String token(String prefix, int i) {
        return prefix + "token" + i + "x";
    }

    private static final String[] WORDS = ("replication failover standby latency checkpoint snapshot quorum ledger "
            + "invoice payroll roadmap incident runbook deploy rollback budget contract audit vendor backlog").split(" ");

    private static String words(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.append('.').toString();
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("linger.ms", 0);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Map<String, SourceDocument> source, long[] lsn,
            String id, String body, List<String> acl) {
        SourceDocument old = source.get(id);
        SourceDocument doc = new SourceDocument(id, "Note " + id, body, acl, "acme", System.currentTimeMillis());
        source.put(id, doc);
        producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
                DebeziumEnvelopes.upsert(old == null ? "c" : "u", old, doc, ++lsn[0], false).getBytes(StandardCharsets.UTF_8)));
    }
}
