package io.freshet.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.core.Embedder;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query embeddings under a time budget, with an LRU cache keyed by model id and normalized text. The
 * embedder runs on a small bounded pool so that a hung or failing model never holds a request longer than
 * the budget: the caller gets {@link Optional#empty()} and answers keyword-only.
 */
final class QueryEmbeddings implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEmbeddings.class);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Cache key: the model and the exact text embedded. */
    record Key(String model, String text) {}

    private final Embedder embedder;
    private final String model;
    private final Duration budget;
    private final Cache<Key, float[]> cache;
    private final ThreadPoolExecutor pool;

    QueryEmbeddings(Embedder embedder, String model, Duration budget, int cacheSize) {
        this.embedder = embedder;
        this.model = model;
        this.budget = budget;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "query-embedder-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The text a query is embedded and cached as: Unicode NFKC, whitespace collapsed, trimmed. */
    static String normalize(String query) {
        return WHITESPACE.matcher(Normalizer.normalize(query, Normalizer.Form.NFKC)).replaceAll(" ").trim();
    }

    /** The embedding of the normalized query, or empty when the embedder failed or ran past the budget. */
    Optional<float[]> embed(String normalizedQuery) {
        Key key = new Key(model, normalizedQuery);
        float[] cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Future<float[]> f;
        try {
            f = pool.submit(() -> embedder.embedQuery(normalizedQuery));
        } catch (RejectedExecutionException e) {
            LOG.warn("Query embedder saturated ({} queued); answering keyword-only", pool.getQueue().size());
            return Optional.empty();
        }
        try {
            float[] v = f.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            cache.put(key, v);
            return Optional.of(v);
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.warn("Query embedding exceeded its {} ms budget; answering keyword-only", budget.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("Query embedding failed; answering keyword-only", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    Cache<Key, float[]> cache() {
        return cache;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
