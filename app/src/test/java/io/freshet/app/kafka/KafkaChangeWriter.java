package io.freshet.app.kafka;

import io.freshet.app.recovery.RandomText;
import io.freshet.core.SourceDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays Kafka Connect: writes random Debezium change events (inserts, text and ACL updates, deletes each
 * followed by a tombstone; half with an embedded schema) keyed by document id, and remembers the table
 * state they describe, for the oracle.
 */
final class KafkaChangeWriter implements Runnable {

    private static final String[] ACL = {"group:eng", "group:hr", "group:finance", "user:alice"};

    private final KafkaBroker broker;
    private final String topic;
    private final Random random;
    private final int operations;
    private final int documents;
    private final long pauseNanos;
    final Map<String, SourceDocument> table = new ConcurrentHashMap<>();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;
    private long lsn = 1_000;

    KafkaChangeWriter(KafkaBroker broker, String topic, long seed, int operations, int documents, double opsPerSecond) {
        this.broker = broker;
        this.topic = topic;
        this.random = new Random(seed);
        this.operations = operations;
        this.documents = documents;
        this.pauseNanos = (long) (1e9 / opsPerSecond);
    }

    @Override
    public void run() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
            long next = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                step(producer, i);
                done.incrementAndGet();
                next += pauseNanos;
                RandomText.pace(next);
            }
            producer.flush();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void step(KafkaProducer<byte[], byte[]> producer, int i) throws Exception {
        String id = "doc-" + random.nextInt(documents);
        SourceDocument old = table.get(id);
        boolean withSchema = random.nextBoolean();
        int kind = random.nextInt(10);
        lsn += 1 + random.nextInt(100);
        if (old != null && kind < 2) {
            table.remove(id);
            send(producer, id, DebeziumEnvelopes.delete(old, lsn, withSchema));
            send(producer, id, null); // tombstone, as Debezium writes after a delete
            return;
        }
        String body = old != null && kind < 4 ? old.body() : RandomText.sentence(random) + " op" + i + ".";
        SourceDocument doc = new SourceDocument(id, "Note " + id, body, List.of(ACL[random.nextInt(ACL.length)]),
                old != null ? old.tenant() : (random.nextBoolean() ? "acme" : "globex"), System.currentTimeMillis());
        table.put(id, doc);
        send(producer, id, DebeziumEnvelopes.upsert(old == null ? "c" : "u", old, doc, lsn, withSchema));
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
    }

}
