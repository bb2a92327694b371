package io.freshet.jobs.ingest;

import io.freshet.core.Embedder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Embeds requests from many documents in micro-batches, off the caller's thread: a batch closes when it holds
 * {@link Settings#maxBatchInputs} inputs or {@link Settings#maxWait} after its first request arrived, whichever
 * is first. Each embedder call has a {@link Settings#timeout}; a failed or timed-out batch is tried again with
 * exponential backoff up to {@link Settings#attempts} times, and if it still fails every request in it is tried
 * on its own (same policy), so one input the embedder cannot take fails only its own request. Callbacks run on
 * the batcher's thread. Free of Flink ({@link ChunkEmbedOperator} drives it).
 *
 * <p>Never pays twice for one input: an input that occurs more than once in a batch is embedded once, and the
 * vectors of the last {@link Settings#cacheSize} distinct inputs embedded are kept (keyed by the input's
 * SHA-256), so a copy of a document with the same title, shared boilerplate and a change that comes back soon
 * after are not embedded again by this batcher (one per chunk-embed subtask). The cache lives on the batcher's thread; it holds about 1.6 KB per entry
 * at 384 dimensions (16 MB at the default 10,000).
 *
 * <p>A call that hangs past its timeout is abandoned, not killed: its thread ends when the embedder returns.
 */
public final class EmbeddingBatcher implements AutoCloseable {

    /**
     * @param maxBatchInputs inputs per embedder call (a request larger than this is one call of its own)
     * @param maxWait how long a batch waits for more requests once it has one
     * @param timeout how long one embedder call may take
     * @param attempts calls per batch (and per request, once a batch failed) before giving up; at least 1
     * @param backoff wait after the first failed call, doubled after each further one
     * @param cacheSize distinct inputs whose vectors are kept for reuse; 0 keeps none
     */
    public record Settings(int maxBatchInputs, Duration maxWait, Duration timeout, int attempts, Duration backoff,
            int cacheSize) implements java.io.Serializable {

        /** Inputs whose vectors are kept by default. */
        public static final int DEFAULT_CACHE_SIZE = 10_000;

        /** Settings with the default cache. */
        public Settings(int maxBatchInputs, Duration maxWait, Duration timeout, int attempts, Duration backoff) {
            this(maxBatchInputs, maxWait, timeout, attempts, backoff, DEFAULT_CACHE_SIZE);
        }

        public Settings {
            if (cacheSize < 0) {
                throw new IllegalArgumentException("embedding.cache-size must be >= 0; got " + cacheSize);
            }
            if (maxBatchInputs < 1) {
                throw new IllegalArgumentException("embedding.batch-size must be >= 1; got " + maxBatchInputs);
            }
            nonNegative("embedding.batch-wait", maxWait);
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("embedding.timeout must be positive; got " + timeout);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("embedding.attempts must be >= 1; got " + attempts);
            }
            nonNegative("embedding.retry-backoff", backoff);
        }

        private static void nonNegative(String key, Duration d) {
            if (Objects.requireNonNull(d, key).isNegative()) {
                throw new IllegalArgumentException(key + " must not be negative; got " + d);
            }
        }
    }

    /** Receives a request's vectors, one per input in order, or why it failed for good. */
    public interface Callback {
        void done(List<float[]> vectors, Throwable failure);
    }

    /** A request; its inputs are made on the batcher's thread, once, when it is first looked at. */
    private static final class Request {
        private final Supplier<List<String>> make;
        private final Callback callback;
        private List<String> inputs;
        private Throwable failure;

        Request(Supplier<List<String>> make, Callback callback) {
            this.make = make;
            this.callback = callback;
        }

        /** The inputs, made now if not yet; empty when making them failed ({@link #failure}). */
        List<String> inputs() {
            if (inputs == null) {
                try {
                    inputs = List.copyOf(make.get());
                } catch (RuntimeException e) {
                    failure = e;
                    inputs = List.of();
                }
            }
            return inputs;
        }

        Callback callback() {
            return callback;
        }
    }

    /** The backoff never grows past this. */
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final Embedder embedder;
    private final Settings settings;
    private final LinkedBlockingDeque<Request> queue = new LinkedBlockingDeque<>();
    private final ExecutorService calls;
    private final Thread dispatcher;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong embedded = new AtomicLong();
    /** Vectors by input key, least recently used first; used on the dispatcher thread only. */
    private final LinkedHashMap<InputKey, float[]> cache;
    private volatile boolean closed;

    /** An input's SHA-256, cut to 128 bits. */
    private record InputKey(long high, long low) {
        static InputKey of(String input) {
            byte[] d;
            try {
                d = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
            ByteBuffer b = ByteBuffer.wrap(d);
            return new InputKey(b.getLong(), b.getLong());
        }
    }

    public EmbeddingBatcher(Embedder embedder, Settings settings, String name) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.settings = Objects.requireNonNull(settings, "settings");
        int capacity = settings.cacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InputKey, float[]> eldest) {
                return size() > capacity;
            }
        };
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::run, name);
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /**
     * Queues the inputs {@code make} returns, called on the batcher's thread when the request is batched (so
     * costly preparation such as chunking stays off the caller's thread); {@code callback} is called once, on
     * the batcher's thread, with the failure if {@code make} threw.
     */
    public void submit(Supplier<List<String>> make, Callback callback) {
        if (closed) {
            throw new IllegalStateException("embedding batcher is closed");
        }
        queue.add(new Request(Objects.requireNonNull(make, "make"), Objects.requireNonNull(callback, "callback")));
    }

    /** Calls tried again after a failure or timeout. */
    public long retries() {
        return retries.get();
    }

    /** Calls abandoned at their timeout. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Inputs answered from the cache or by another copy in the same batch, not by the embedder. */
    public long cacheHits() {
        return cacheHits.get();
    }

    /** Inputs the embedder was given (each call's inputs, retries not counted again). */
    public long embedded() {
        return embedded.get();
    }

    private void run() {
        while (!closed) {
            List<Request> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                embed(batch);
            } catch (InterruptedException e) {
                return; // closed; the operator redoes unfinished work after its restore
            } catch (Throwable t) { // never die silently: every request of the batch hears of it
                for (Request r : batch) {
                    deliver(r, null, t);
                }
            }
        }
    }

    private List<Request> nextBatch() throws InterruptedException {
        Request first = queue.take();
        List<Request> batch = new ArrayList<>();
        batch.add(first);
        int inputs = first.inputs().size();
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (inputs < settings.maxBatchInputs()) {
            long left = deadline - System.nanoTime();
            Request next = left > 0 ? queue.pollFirst(left, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) {
                break;
            }
            if (inputs + next.inputs().size() > settings.maxBatchInputs()) {
                queue.offerFirst(next); // it starts the next batch
                break;
            }
            batch.add(next);
            inputs += next.inputs().size();
        }
        return batch;
    }

    private void embed(List<Request> all) throws InterruptedException {
        List<Request> batch = new ArrayList<>(all.size());
        for (Request r : all) {
            if (r.inputs().isEmpty()) { // nothing to embed, or making the inputs failed
                deliver(r, r.failure == null ? List.of() : null, r.failure);
            } else {
                batch.add(r);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        // each distinct input once: from the cache, or from one embedder call for all the others
        Map<InputKey, float[]> vectors = new HashMap<>();
        Map<InputKey, String> missing = new LinkedHashMap<>();
        List<List<InputKey>> keys = new ArrayList<>(batch.size());
        for (Request r : batch) {
            List<InputKey> ks = new ArrayList<>(r.inputs().size());
            keys.add(ks);
            for (String input : r.inputs()) {
                InputKey key = InputKey.of(input);
                ks.add(key);
                if (!vectors.containsKey(key) && !missing.containsKey(key)) {
                    float[] known = cache.get(key);
                    if (known != null) {
                        vectors.put(key, known);
                    } else {
                        missing.put(key, input);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> fresh;
            try {
                fresh = callWithRetries(List.copyOf(missing.values()));
            } catch (EmbeddingFailure e) {
                if (batch.size() == 1) {
                    deliver(batch.get(0), null, e.getCause());
                    return;
                }
                for (Request r : batch) { // find the request the embedder cannot take
                    try {
                        deliver(r, callWithRetries(r.inputs()), null);
                    } catch (EmbeddingFailure alone) {
                        deliver(r, null, alone.getCause());
                    }
                }
                return;
            }
            int i = 0;
            for (InputKey key : missing.keySet()) {
                float[] v = fresh.get(i++);
                vectors.put(key, v);
                if (settings.cacheSize() > 0) {
                    cache.put(key, v); // callers get copies (below), never this array
                }
            }
        }
        for (int r = 0; r < batch.size(); r++) {
            List<float[]> out = new ArrayList<>(keys.get(r).size());
            for (InputKey key : keys.get(r)) {
                out.add(vectors.get(key).clone());
            }
            deliver(batch.get(r), out, null);
        }
        long inputs = batch.stream().mapToLong(r -> r.inputs().size()).sum();
        cacheHits.addAndGet(inputs - missing.size());
    }

    private static void deliver(Request r, List<float[]> vectors, Throwable failure) {
        try {
            r.callback().done(vectors == null ? null : List.copyOf(vectors), failure);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EmbeddingBatcher.class).warn("an embedding callback failed", e);
        }
    }

    /** Thrown by {@link #callWithRetries} when every attempt failed; the cause is the last failure. */
    private static final class EmbeddingFailure extends Exception {
        EmbeddingFailure(Throwable cause) {
            super(cause);
        }
    }

    private List<float[]> callWithRetries(List<String> inputs) throws EmbeddingFailure, InterruptedException {
        Throwable last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            if (attempt > 1) {
                retries.incrementAndGet();
                long backoff = Math.min(MAX_BACKOFF_MILLIS, settings.backoff().toMillis() << Math.min(attempt - 2, 20));
                Thread.sleep(backoff);
            }
            if (attempt == 1) {
                embedded.addAndGet(inputs.size());
            }
            Future<List<float[]>> call = calls.submit(() -> embedder.embed(inputs));
            try {
                List<float[]> vectors = call.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
                check(inputs, vectors);
                return vectors;
            } catch (TimeoutException e) {
                call.cancel(true);
                timeouts.incrementAndGet();
                last = new TimeoutException("embedding " + inputs.size() + " inputs took longer than " + settings.timeout());
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw new EmbeddingFailure(new RuntimeException("gave up after " + settings.attempts() + " attempts: "
                + describe(last), last));
    }

    private void check(List<String> inputs, List<float[]> vectors) {
        if (vectors == null || vectors.size() != inputs.size()) {
            throw new IllegalStateException("the embedder returned " + (vectors == null ? "null" : vectors.size() + " vectors")
                    + " for " + inputs.size() + " inputs");
        }
        for (float[] v : vectors) {
            if (v == null || v.length != embedder.dimension()) {
                throw new IllegalStateException("the embedder returned a vector of "
                        + (v == null ? "null" : v.length + " dimensions") + "; expected " + embedder.dimension());
            }
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m));
    }

    /** Stops embedding; queued requests get no callback (their changes are still in the operator's state). */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        calls.shutdownNow();
        queue.clear();
    }
}
