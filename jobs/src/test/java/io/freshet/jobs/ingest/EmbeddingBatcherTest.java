package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Embedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EmbeddingBatcherTest {

    /** Each vector is {input length, call number}; the first {@code hangs} calls hang for 5 s. */
    static final class RecordingEmbedder implements Embedder {
        final AtomicInteger calls = new AtomicInteger();
        final List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        final int hangs;

        RecordingEmbedder(int hangs) {
            this.hangs = hangs;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            int call = calls.incrementAndGet();
            sizes.add(texts.size());
            seen.addAll(texts);
            if (call <= hangs) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return texts.stream().map(t -> new float[] {t.length(), call}).toList();
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public String modelId() {
            return "recording";
        }
    }

    @Test
    void requestsOfManyDocumentsShareCallsUpToTheBatchSize() throws Exception {
        RecordingEmbedder embedder = new RecordingEmbedder(0);
        var settings = new EmbeddingBatcher.Settings(32, Duration.ofMillis(200), Duration.ofSeconds(5), 1, Duration.ZERO);
        Map<Integer, List<float[]>> results = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(100);
        try (var batcher = new EmbeddingBatcher(embedder, settings, "test")) {
            for (int i = 0; i < 100; i++) {
                int n = i;
                batcher.submit(() -> List.of("x".repeat(n + 1), "y".repeat(n + 1)), (vectors, failure) -> {
                    results.put(n, vectors);
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(results).hasSize(100);
        for (Map.Entry<Integer, List<float[]>> e : results.entrySet()) {
            assertThat(e.getValue()).hasSize(2).allSatisfy(v -> assertThat((int) v[0]).isEqualTo(e.getKey() + 1));
        }
        assertThat(embedder.sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(32));
        assertThat(embedder.calls.get()).as("200 inputs in batches of up to 32").isBetween(7, 12);
    }

    @Test
    void aHungCallIsAbandonedAtItsTimeoutAndTriedAgain() throws Exception {
        RecordingEmbedder embedder = new RecordingEmbedder(1);
        var settings = new EmbeddingBatcher.Settings(8, Duration.ZERO, Duration.ofMillis(200), 3, Duration.ofMillis(10));
        CountDownLatch done = new CountDownLatch(1);
        List<float[]> got = new ArrayList<>();
        try (var batcher = new EmbeddingBatcher(embedder, settings, "test")) {
            long start = System.nanoTime();
            batcher.submit(() -> List.of("abc"), (vectors, failure) -> {
                assertThat(failure).isNull();
                got.addAll(vectors);
                done.countDown();
            });
            assertThat(done.await(3, TimeUnit.SECONDS)).as("well before the hung call returns").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(batcher.timeouts()).isEqualTo(1);
            assertThat(batcher.retries()).isEqualTo(1);
        }
        assertThat(got).hasSize(1);
        assertThat(got.get(0)[1]).as("from the second call").isEqualTo(2f);
    }

    /** Submits one request and waits for its vectors. */
    private static List<float[]> embedNow(EmbeddingBatcher batcher, List<String> inputs) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        List<float[]> got = java.util.Collections.synchronizedList(new ArrayList<>());
        batcher.submit(() -> inputs, (vectors, failure) -> {
            got.addAll(vectors);
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        return got;
    }

    @Test
    void anInputIsEmbeddedOnceAcrossDocumentsInABatchAndAcrossBatches() throws Exception {
        RecordingEmbedder embedder = new RecordingEmbedder(0);
        var settings = new EmbeddingBatcher.Settings(32, Duration.ofMillis(300), Duration.ofSeconds(5), 1, Duration.ZERO);
        List<String> seen = embedder.seen;
        try (var batcher = new EmbeddingBatcher(embedder, settings, "test")) {
            CountDownLatch both = new CountDownLatch(2);
            List<List<float[]>> results = java.util.Collections.synchronizedList(new ArrayList<>());
            for (List<String> doc : List.of(List.of("shared text", "first own"), List.of("second own", "shared text"))) {
                batcher.submit(() -> doc, (vectors, failure) -> {
                    results.add(vectors);
                    both.countDown();
                });
            }
            assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).as("two documents in one batch share the input's one embedding")
                    .containsExactly("shared text", "first own", "second own");
            List<float[]> copy = embedNow(batcher, List.of("second own", "shared text"));
            assertThat(seen).as("a later copy comes from the cache").hasSize(3);
            assertThat(copy.get(1)).containsExactly("shared text".length(), 1f);
            copy.get(1)[0] = -1; // a caller's copy: the cached vector stays as it was
            assertThat(embedNow(batcher, List.of("shared text")).get(0)).containsExactly("shared text".length(), 1f);
            assertThat(batcher.cacheHits()).isEqualTo(4);
            assertThat(batcher.embedded()).isEqualTo(3);
        }
        var uncached = new EmbeddingBatcher.Settings(32, Duration.ZERO, Duration.ofSeconds(5), 1, Duration.ZERO, 0);
        try (var batcher = new EmbeddingBatcher(embedder, uncached, "test")) {
            embedNow(batcher, List.of("shared text"));
            embedNow(batcher, List.of("shared text"));
            assertThat(seen).as("cache-size 0 keeps nothing").hasSize(5);
        }
    }

    @Test
    void settingsNameTheBadValue() {
        assertThatThrownBy(() -> new EmbeddingBatcher.Settings(0, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO))
                .hasMessageContaining("embedding.batch-size").hasMessageContaining("0");
        assertThatThrownBy(() -> new EmbeddingBatcher.Settings(1, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO))
                .hasMessageContaining("embedding.timeout");
        assertThatThrownBy(() -> new EmbeddingBatcher.Settings(1, Duration.ZERO, Duration.ofSeconds(1), 0, Duration.ZERO))
                .hasMessageContaining("embedding.attempts");
        assertThatThrownBy(() -> new EmbeddingBatcher.Settings(1, Duration.ofMillis(-1), Duration.ofSeconds(1), 1, Duration.ZERO))
                .hasMessageContaining("embedding.batch-wait");
        assertThatThrownBy(() -> new EmbeddingBatcher.Settings(1, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO, -1))
                .hasMessageContaining("embedding.cache-size");
    }
}
