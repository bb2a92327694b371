package io.freshet.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;

/**
 * A token bucket per principal (tenant and subject): {@code burst} requests at once, refilled at
 * {@code perSecond}. A request over the limit is refused with 429 and {@code Retry-After}.
 */
final class RateLimiter {

    private final double perSecond;
    private final int burst;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    /** Takes one request from {@code principal}'s bucket, or throws a 429 {@link ApiException}. */
    void acquire(Principal principal) {
        if (!enabled()) {
            return;
        }
        Bucket bucket = buckets.get(principal.tenant() + "\u0000" + principal.subject(), k -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
            throw new ApiException(429, "rate_limited", "more than " + perSecond + " requests/s (burst " + burst
                    + ") for " + principal.subject() + "; retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }

    private Bucket newBucket() {
        // refill in milli-requests so that fractional rates (0.5/s) are exact
        long perThousandSeconds = Math.max(1, Math.round(perSecond * 1000));
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perThousandSeconds, Duration.ofSeconds(1000)))
                .build();
    }
}
