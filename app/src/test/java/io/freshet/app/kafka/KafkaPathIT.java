package io.freshet.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.app.config.FreshetConfig;
import io.freshet.app.local.IngestLauncher;
import io.freshet.app.recovery.IndexOracle;
import io.freshet.app.recovery.JobProcess;
import io.freshet.core.SourceDocument;
import io.freshet.index.lifecycle.IndexRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka path against a real in-process broker: crash recovery under the same oracle, and poison events. */
class KafkaPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void indexEqualsTheChangeStreamAfterCancelsAndKills() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("KafkaPathIT seed=" + seed);
        Random random = new Random(seed);
        String topic = "dbserver1.public.documents";
        broker.createTopic(topic, 2);
        Path home = Files.createDirectories(dir.resolve("crash"));
        Path config = jobConfig(home, topic);

        KafkaChangeWriter writer = new KafkaChangeWriter(broker, topic, seed, 1_500, 120, 60);
        Thread writerThread = new Thread(writer, "kafka-writer");
        writerThread.start();
        int resumed = 0;
        for (int cycle = 0; cycle < 5; cycle++) {
            var before = IngestLauncher.latestCheckpoint(home.resolve("work/checkpoints"));
            JobProcess job = JobProcess.start(home, config, home.resolve("job-" + cycle + ".log"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(job::running);
            JobProcess.awaitNewCheckpoint(home.resolve("work/checkpoints"), before, Duration.ofMinutes(2));
            Thread.sleep(random.nextInt(5_000)); // on to a random point after that checkpoint; the writer goes on
            assertThat(job.alive()).as("job of cycle %d died:%n%s", cycle, job.output()).isTrue();
            resumed += job.output().contains("resumed from") ? 1 : 0;
            if (cycle % 2 == 0) {
                job.kill();
            } else {
                job.cancel();
            }
            System.out.printf("kafka cycle %d: %s; writer at %d%n", cycle, cycle % 2 == 0 ? "killed" : "cancelled",
                    writer.done.get());
        }
        writerThread.join();
        assertThat(writer.failure).isNull();
        assertThat(resumed).as("runs resumed from a checkpoint; last run said:%n%s",
                Files.readString(home.resolve("job-4.log"))).isGreaterThanOrEqualTo(4);

        Map<String, String> expected = new TreeMap<>();
        writer.table.forEach((id, d) -> expected.put(id, d.contentHash()));
        JobProcess last = JobProcess.start(home, config, home.resolve("job-final.log"));
        try {
            IndexOracle.Diff diff = IndexOracle.awaitEqual(expected, home.resolve("work/index"), Duration.ofMinutes(4),
                    "kafka path after kills and cancels", () -> {});
            System.out.printf("kafka path after 3 kills and 2 cancels: %s%n", diff);
        } finally {
            last.cancel();
        }
    }

    @Test
    void poisonEventsAreDeadLetteredAndTheJobNeverRestarts() throws Exception {
        String topic = "poison.public.documents";
        String deadLetterTopic = "poison-dead-letters";
        broker.createTopic(topic, 1);
        broker.createTopic(deadLetterTopic, 1);
        Random random = new Random(7);
        List<byte[]> poison = poison(random);
        assertThat(poison).hasSize(100);
        Map<String, String> expected = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
            int p = 0;
            for (int i = 0; i < 200; i++) {
                SourceDocument doc = new SourceDocument("ok-" + i, "Valid " + i, "A valid note about the ledger, number " + i + ".",
                        List.of("group:eng"), "acme", 1_700_000_000_000L);
                expected.put(doc.id(), doc.contentHash());
                producer.send(new ProducerRecord<>(topic, doc.id().getBytes(StandardCharsets.UTF_8),
                        DebeziumEnvelopes.upsert("c", null, doc, 10 + i, i % 2 == 0).getBytes(StandardCharsets.UTF_8)));
                if (i % 2 == 1) {
                    producer.send(new ProducerRecord<>(topic, ("bad-" + p).getBytes(StandardCharsets.UTF_8), poison.get(p++)));
                }
            }
            producer.flush();
        }

        Path home = Files.createDirectories(dir.resolve("poison"));
        Configuration config = FreshetConfig.fromMap(Map.of(
                "local.work-dir", home.toString(),
                "source.kind", "kafka",
                "source.kafka.bootstrap-servers", broker.bootstrapServers(),
                "source.kafka.topics", topic,
                "source.max-body-chars", "5000",
                "job.dead-letter-topic", deadLetterTopic,
                "job.restart-strategy", "none",
                "job.checkpoint-interval", "500ms"), "test");
        JobClient job = IngestLauncher.launch(config, home, null, Optional.empty());
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> IndexOracle.compare(expected, home.resolve("index")).clean());
            List<JsonNode> letters = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(broker.consumerConfig("dlq-reader"))) {
                consumer.subscribe(List.of(deadLetterTopic));
                await().atMost(Duration.ofMinutes(1)).until(() -> {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        letters.add(JSON.readTree(r.value()));
                    }
                    return letters.size() >= 100;
                });
            }
            assertThat(letters).hasSize(100).allSatisfy(l -> {
                assertThat(l.get("reason").asText()).isNotBlank();
                assertThat(l.get("position").asText()).contains("\"topic\":\"" + topic + "\"");
                assertThat(l.get("failed_at").asText()).isNotBlank();
            });
            assertThat(letters.stream().map(l -> l.get("position").asText()).distinct()).hasSize(100);
            System.out.println("poison reasons: " + letters.stream().map(l -> l.get("reason").asText().replaceAll("\\d+", "N"))
                    .distinct().sorted().toList());
            assertThat(job.getJobStatus().get().isTerminalState())
                    .as("restart strategy is 'none': any failure would have ended the job").isFalse();
        } finally {
            IngestLauncher.cancel(job);
        }
    }

    /**
     * Owner rollback with replay on the Kafka path, two shards: the rolled-back point is served at once, the
     * ingest job restarts from the Kafka offsets recorded in that point, re-applies every change since, and the
     * index converges to the change stream again; changes sent after the rollback land too.
     */
    @Test
    void rollbackReplaysFromTheRecordedOffsetsAndConverges() throws Exception {
        String topic = "replay.public.documents";
        broker.createTopic(topic, 2);
        Path home = Files.createDirectories(dir.resolve("replay"));
        Path config = jobConfig(home, topic, "index.shards: 2");
        Path indexDir = home.resolve("work/index");
        Map<String, SourceDocument> source = new TreeMap<>();
        long[] lsn = {100};
        JobProcess job = JobProcess.start(home, config, home.resolve("job.log"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(job::running);
            for (int i = 0; i < 60; i++) {
                upsert(producer, topic, source, lsn, "a-" + i, "First version of note " + i + " about the ledger.");
            }
            awaitIndexEquals(source, indexDir, "phase A");
            IndexRoot root = new IndexRoot(indexDir);
            String x = root.served().orElseThrow().toString();
            Map<String, String> atX = hashes(source);

            for (int i = 0; i < 30; i++) {
                upsert(producer, topic, source, lsn, "a-" + i, "Second version of note " + i + ", after the point.");
            }
            for (int i = 30; i < 40; i++) {
                SourceDocument old = source.remove("a-" + i);
                send(producer, topic, old.id(), DebeziumEnvelopes.delete(old, ++lsn[0], false));
                send(producer, topic, old.id(), null);
            }
            for (int i = 0; i < 20; i++) {
                upsert(producer, topic, source, lsn, "b-" + i, "A note written after the point, number " + i + ".");
            }
            awaitIndexEquals(source, indexDir, "phase B");

            int code = new picocli.CommandLine(new io.freshet.app.cli.FreshetCli()).execute("index", "rollback",
                    "--index", indexDir.toString(), "--to", x, "--reason", "replay test", "--actor", "it");
            assertThat(code).isZero();
            IndexRoot.Served served = root.served().orElseThrow();
            assertThat(served.generation().id()).as("replay forks a new live generation").isEqualTo("g0002");
            assertThat(served.generation().info().forkedFrom()).isEqualTo(x);
            assertThat(served.generation().info().replayPositions()).containsKeys(topic + "/0", topic + "/1");
            IndexOracle.Diff rolledBack = IndexOracle.compare(atX, indexDir);
            System.out.printf("right after rollback to %s (served %s): %s%n", x, served, rolledBack);
            assertThat(rolledBack.clean()).as("the point's content is served at once: %s", rolledBack).isTrue();

            // the restarted job re-applies what came after the point; new changes land as well
            for (int i = 0; i < 10; i++) {
                upsert(producer, topic, source, lsn, "c-" + i, "A note sent after the rollback, number " + i + ".");
            }
            awaitIndexEquals(source, indexDir, "after replay");
            assertThat(root.served().orElseThrow().point().run()).as("served by the new run").isGreaterThan(1);
            assertThat(job.alive()).as("the job process follows the rollback:%n%s", job.output()).isTrue();
            assertThat(job.output()).as("the new run starts at the point's offsets, not the topic's start")
                    .contains("Starting a new ingest run on g0002 (epoch 2) from positions {")
                    .contains(topic + "/0=");
        } finally {
            job.cancel();
        }
    }

    /** A {@code freshet ingest} configuration reading {@code topic}, checkpointing every 500 ms, plus {@code extra} lines. */
    private static Path jobConfig(Path home, String topic, String... extra) throws java.io.IOException {
        List<String> lines = new ArrayList<>(List.of(
                "local.work-dir: " + home.resolve("work"),
                "source.kind: kafka",
                "source.kafka.bootstrap-servers: " + broker.bootstrapServers(),
                "source.kafka.topics: " + topic,
                "job.checkpoint-interval: 500ms"));
        lines.addAll(List.of(extra));
        return Files.writeString(home.resolve("freshet.yaml"), String.join("\n", lines) + "\n");
    }

    private static void upsert(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, SourceDocument> source,
            long[] lsn, String id, String body) throws Exception {
        SourceDocument old = source.get(id);
        SourceDocument doc = new SourceDocument(id, "Note " + id, body, List.of("group:eng"), "acme",
                System.currentTimeMillis());
        source.put(id, doc);
        send(producer, topic, id, DebeziumEnvelopes.upsert(old == null ? "c" : "u", old, doc, ++lsn[0], false));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static Map<String, String> hashes(Map<String, SourceDocument> source) {
        Map<String, String> out = new TreeMap<>();
        source.forEach((id, d) -> out.put(id, d.contentHash()));
        return out;
    }

    private static void awaitIndexEquals(Map<String, SourceDocument> source, Path indexDir, String phase) {
        IndexOracle.awaitEqual(hashes(source), indexDir, Duration.ofMinutes(2), phase, () -> {});
    }

    /** 100 malformed events of ten kinds. */
    private static List<byte[]> poison(Random random) {
        List<byte[]> out = new ArrayList<>();
        String validRow = "{\"id\":\"x\",\"title\":\"t\",\"body\":\"b\",\"acl\":[\"group:eng\"],\"tenant\":\"acme\",\"updated_at\":null}";
        String src = "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ms\":1}";
        for (int i = 0; i < 10; i++) {
            out.add(("{\"op\":\"c\",\"after\":" + i).getBytes(StandardCharsets.UTF_8)); // unparsable
            out.add(("{\"op\":\"c\"," + src + ",\"after\":" + validRow.replace("\"id\":\"x\",", "") + "}").getBytes(StandardCharsets.UTF_8)); // no key
            out.add(("{\"op\":\"t\"," + src + ",\"after\":" + validRow + "}").getBytes(StandardCharsets.UTF_8)); // unknown op
            out.add(("{\"op\":\"c\"," + src + ",\"after\":" + validRow.replace("\"body\":\"b\"", "\"body\":\"" + "y".repeat(6000) + "\"") + "}")
                    .getBytes(StandardCharsets.UTF_8)); // body over the limit
            byte[] bad = ("{\"op\":\"c\"," + src + ",\"after\":" + validRow + "}").getBytes(StandardCharsets.UTF_8);
            bad[bad.length - 5] = (byte) 0xFF; // invalid UTF-8
            out.add(bad);
            out.add(("{\"op\":\"c\"," + src + ",\"after\":" + validRow.replace("[\"group:eng\"]", "42") + "}").getBytes(StandardCharsets.UTF_8)); // wrong type
            out.add(("{\"op\":\"c\"," + src + ",\"after\":" + validRow.replace("\"body\":\"b\",", "") + "}").getBytes(StandardCharsets.UTF_8)); // dropped column
            out.add(("{\"op\":\"c\"," + src + ",\"after\":" + validRow.replace("\"tenant\":\"acme\"", "\"tenant\":\"\"") + "}").getBytes(StandardCharsets.UTF_8)); // empty tenant
            out.add(("{\"op\":\"d\"," + src + ",\"before\":null,\"after\":null}").getBytes(StandardCharsets.UTF_8)); // delete without key
            out.add(("[" + random.nextInt() + "]").getBytes(StandardCharsets.UTF_8)); // not an object
        }
        return out;
    }
}
