package io.freshet.serving;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's Prometheus metrics: per-stage latency histograms, request counts by mode and status,
 * degraded answers by reason, rate-limited requests, and hit ratios of both caches.
 */
final class ServiceMetrics implements AutoCloseable {

    /** Stages timed for every retrieval. */
    static final String[] STAGES = {"embed", "keyword", "vector", "fuse", "total"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Map<String, Counter> degraded = new ConcurrentHashMap<>();
    private final Map<String, Counter> responses = new ConcurrentHashMap<>();
    private final Counter rateLimited;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServiceMetrics() {
        for (String stage : STAGES) {
            stages.put(stage, Timer.builder("freshet.retrieve.stage")
                    .description("Time per retrieval stage")
                    .tag("stage", stage)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(0).plusNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry));
        }
        rateLimited = Counter.builder("freshet.retrieve.rate_limited").description("Requests refused with 429")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    void monitor(Cache<?, ?> cache, String name) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
        Gauge.builder("freshet.cache.hit_ratio", cache, c -> {
            var s = c.stats();
            return s.requestCount() == 0 ? Double.NaN : s.hitRate();
        }).tag("cache", name).description("Hits over lookups since start").register(registry);
    }

    void stage(String stage, long nanos) {
        stages.get(stage).record(Duration.ofNanos(nanos));
    }

    void degraded(String reason) {
        degraded.computeIfAbsent(reason, r -> Counter.builder("freshet.retrieve.degraded")
                .description("Answers that degraded, by reason").tag("reason", r).register(registry)).increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void response(String route, int status) {
        responses.computeIfAbsent(route + " " + status, k -> Counter.builder("freshet.http.responses")
                .description("HTTP responses by route and status").tag("route", route)
                .tag("status", Integer.toString(status)).register(registry)).increment();
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
