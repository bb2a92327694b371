package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Embedder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void hybridAnswerSaysWhatItServedAndHowLongEachStageTook() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b)) {
            fx.indexSampleWorld();
            JsonNode r = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"how long is parental leave?\", \"k\": 3}"));
            assertThat(r.at("/mode").asText()).isEqualTo("hybrid");
            assertThat(r.at("/degraded").size()).isZero();
            JsonNode top = r.at("/hits/0");
            assertThat(top.at("/document_id").asText()).isEqualTo("hr-1");
            assertThat(top.at("/chunk_id").asText()).isEqualTo("hr-1#0");
            assertThat(top.at("/retrievers/keyword/rank").asInt()).isEqualTo(1);
            assertThat(top.at("/retrievers/vector/rank").asInt()).isEqualTo(1);
            assertThat(top.at("/score").asDouble()).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(top.at("/citation/source").asText()).isEqualTo("public.documents");
            assertThat(top.at("/citation/end").asInt()).isPositive();
            assertThat(top.at("/citation/position").asText()).isNotBlank();
            assertThat(top.at("/document_version/updated_at").asText()).isEqualTo("2023-11-14T22:13:20Z");
            assertThat(top.at("/document_version/content_hash").asText()).isNotBlank();
            assertThat(top.at("/metadata/department").asText()).isEqualTo("hr");
            assertThat(top.at("/lineage/chunker").asText()).as("the chunk's own lineage").isEqualTo("test-chunker");
            assertThat(top.at("/lineage/chunker_hash").asText()).hasSize(16);
            assertThat(top.at("/lineage/model").asText()).isNotBlank();
            assertThat(top.at("/lineage/redacted").isArray()).isTrue();
            assertThat(java.time.Instant.parse(top.at("/lineage/ingested_at").asText())).isBeforeOrEqualTo(java.time.Instant.now());
            assertThat(r.at("/served/commit_generation").asLong()).isPositive();
            assertThat(r.at("/served/freshness_watermark").asText()).isEqualTo("2024-07-03T09:46:40Z");
            assertThat(r.at("/served/embedding_model").asText()).isEqualTo("all-minilm-l6-v2");
            for (String stage : List.of("embed", "keyword", "vector", "fuse", "total")) {
                assertThat(r.at("/timings_ms/" + stage).isNumber()).as(stage).isTrue();
            }
            assertThat(r.at("/request_id").asText()).isNotBlank();

            // the other tenant's parental-leave document is never visible, and bob (hr) sees no eng documents
            for (JsonNode h : r.at("/hits")) {
                assertThat(h.at("/document_id").asText()).isEqualTo("hr-1");
            }
            JsonNode eng = ok(fx.retrieve(fx.token("alice", "acme", "eng"), "{\"query\": \"parental leave\", \"k\": 10}"));
            assertThat(ids(eng)).containsExactlyInAnyOrder("eng-1", "eng-2");
        }
    }

    @Test
    void modesAndFiltersOnlyNarrow() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b)) {
            fx.indexSampleWorld();
            String alice = fx.token("alice", "acme", "eng", "hr");
            assertThat(ids(ok(fx.retrieve(alice, "{\"query\": \"deploy pipeline\", \"k\": 10, \"mode\": \"keyword\"}"))))
                    .containsExactly("eng-1");
            JsonNode vec = ok(fx.retrieve(alice, "{\"query\": \"paging escalation\", \"k\": 1, \"mode\": \"vector\"}"));
            assertThat(ids(vec)).containsExactly("eng-2");
            assertThat(vec.at("/hits/0/retrievers/keyword").isMissingNode()).isTrue();
            assertThat(ids(ok(fx.retrieve(alice, "{\"query\": \"leave\", \"k\": 10, \"filters\": "
                    + "{\"attributes\": {\"department\": [\"hr\"]}}}")))).containsExactly("hr-1");
            assertThat(ids(ok(fx.retrieve(alice, "{\"query\": \"leave\", \"k\": 10, \"filters\": "
                    + "{\"updated_after\": \"2024-01-01T00:00:00Z\"}}")))).containsExactlyInAnyOrder("eng-1", "eng-2");
            assertThat(ids(ok(fx.retrieve(alice, "{\"query\": \"leave\", \"k\": 10, \"filters\": "
                    + "{\"sources\": [\"some.other_table\"]}}")))).isEmpty();
            // a filter naming another tenant's attribute value cannot widen anything
            assertThat(ids(ok(fx.retrieve(fx.token("carol", "acme", "finance"), "{\"query\": \"leave\", \"k\": 10, "
                    + "\"filters\": {\"attributes\": {\"department\": [\"hr\"]}}}")))).isEmpty();
        }
    }

    @Test
    void badRequestsGetStableCodes() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b.maxQueryChars(100).maxBodyBytes(4096))) {
            fx.indexSampleWorld();
            String t = fx.token("bob", "acme", "hr");
            Map<String, String> cases = Map.of(
                    "", "invalid_json",
                    "{", "invalid_json",
                    "[1,2]", "invalid_json",
                    "{\"k\": 3}", "invalid_query",
                    "{\"query\": \"   \"}", "invalid_query",
                    "{\"query\": \"" + "x".repeat(101) + "\"}", "query_too_long",
                    "{\"query\": \"q\", \"k\": 0}", "invalid_k",
                    "{\"query\": \"q\", \"k\": 101}", "invalid_k",
                    "{\"query\": \"q\", \"mode\": \"semantic\"}", "invalid_mode",
                    "{\"query\": \"q\", \"filters\": {\"updated_after\": \"yesterday\"}}", "invalid_filter");
            for (var e : cases.entrySet()) {
                HttpResponse<String> r = fx.retrieve(t, e.getKey());
                assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).at("/error/code").asText()).as(e.getKey()).isEqualTo(e.getValue());
            }
            HttpResponse<String> big = fx.retrieve(t, "{\"query\": \"" + "x".repeat(5000) + "\"}");
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(big.body()).at("/error/code").asText()).isEqualTo("body_too_large");
            HttpResponse<String> nowhere = fx.get("/v2/nothing");
            assertThat(nowhere.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(nowhere.body()).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void rateLimitIsPerPrincipalWithRetryAfter() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b.rateLimit(0.5, 3))) {
            fx.indexSampleWorld();
            String bob = fx.token("bob", "acme", "hr");
            for (int i = 0; i < 3; i++) {
                ok(fx.retrieve(bob, "{\"query\": \"leave\"}"));
            }
            HttpResponse<String> limited = fx.retrieve(bob, "{\"query\": \"leave\"}");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(limited.body()).at("/error/code").asText()).isEqualTo("rate_limited");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
            ok(fx.retrieve(fx.token("alice", "acme", "eng"), "{\"query\": \"leave\"}")); // another principal is unaffected
            assertThat(fx.get("/metrics").body()).contains("freshet_retrieve_rate_limited_total 1.0");
        }
    }

    @Test
    void resultCacheNeverCrossesACommitOrAPermissionChange() throws Exception {
        CountingEmbedder counting = new CountingEmbedder(ServiceFixture.MODEL);
        try (ServiceFixture fx = new ServiceFixture(dir, counting, b -> b)) {
            fx.indexSampleWorld();
            String q = "{\"query\": \"on-call  paging\", \"k\": 5}";
            String alice = fx.token("alice", "acme", "eng");
            JsonNode first = ok(fx.retrieve(alice, q));
            JsonNode second = ok(fx.retrieve(alice, "{\"query\": \" on-call paging \", \"k\": 5}"));
            assertThat(first.at("/cached").asBoolean()).isFalse();
            assertThat(second.at("/cached").asBoolean()).as("same normalized query, filter and commit").isTrue();
            assertThat(ids(second)).isEqualTo(ids(first));
            // another caller with other rights misses the cache, but reuses the query embedding
            JsonNode bob = ok(fx.retrieve(fx.token("bob", "acme", "hr"), q));
            assertThat(bob.at("/cached").asBoolean()).isFalse();
            assertThat(counting.calls.get()).isEqualTo(1);
            // a new commit (here: alice loses access to eng-2) is never answered from the old entry
            fx.index("eng-2", "On-call handbook", "The on-call engineer acknowledges pages within five minutes.",
                    List.of("group:sre"), "acme", 1_730_000_000_000L, Map.of());
            fx.commit();
            JsonNode after = ok(fx.retrieve(alice, q));
            assertThat(after.at("/cached").asBoolean()).isFalse();
            assertThat(ids(after)).doesNotContain("eng-2");
            String metrics = fx.get("/metrics").body();
            assertThat(metrics).contains("freshet_cache_hit_ratio{cache=\"results\"}");
            assertThat(metrics).contains("freshet_cache_hit_ratio{cache=\"query_embeddings\"}");
            assertThat(metrics).contains("freshet_retrieve_stage_seconds_bucket{stage=\"vector\"");
        }
    }

    @Test
    void aFailingEmbedderDegradesToKeyword() throws Exception {
        Embedder failing = new FailingEmbedder(() -> {
            throw new IllegalStateException("model crashed");
        });
        try (ServiceFixture fx = new ServiceFixture(dir, failing, b -> b)) {
            fx.indexSampleWorld();
            JsonNode r = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"parental leave\"}"));
            assertThat(r.at("/mode").asText()).isEqualTo("keyword");
            assertThat(r.at("/degraded/0").asText()).isEqualTo("embedding_unavailable");
            assertThat(ids(r)).containsExactly("hr-1");
            JsonNode again = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"parental leave\"}"));
            assertThat(again.at("/cached").asBoolean()).as("degraded answers are not cached").isFalse();
            assertThat(fx.get("/metrics").body()).contains("freshet_retrieve_degraded_total{reason=\"embedding_unavailable\"} 2.0");
        }
    }

    @Test
    void aHangingEmbedderDegradesWithinTheBudget() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Embedder hanging = new FailingEmbedder(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        });
        try (ServiceFixture fx = new ServiceFixture(dir, hanging, b -> b.embedTimeout(Duration.ofMillis(200)))) {
            fx.indexSampleWorld();
            long t0 = System.nanoTime();
            JsonNode r = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"parental leave\", \"mode\": \"vector\"}"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.at("/degraded/0").asText()).isEqualTo("embedding_unavailable");
            assertThat(r.at("/mode").asText()).isEqualTo("keyword");
            assertThat(ids(r)).containsExactly("hr-1");
            assertThat(ms).as("answered soon after the 200 ms budget").isLessThan(5_000);
        }
    }

    @Test
    void anOldCommitIsReportedStale() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b.freshnessBound(Duration.ofMillis(1)))) {
            fx.indexSampleWorld();
            Thread.sleep(20);
            JsonNode r = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"parental leave\"}"));
            assertThat(r.at("/degraded").toString()).contains("stale_index");
            assertThat(r.at("/served/lag_ms").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(ids(r)).containsExactly("hr-1");
        }
    }

    @Test
    void readinessOpenApiAndHealth() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b)) {
            assertThat(fx.get("/readyz").statusCode()).isEqualTo(503);
            assertThat(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"x\"}").statusCode()).isEqualTo(503);
            fx.indexSampleWorld();
            assertThat(fx.get("/readyz").statusCode()).isEqualTo(200);
            assertThat(fx.get("/healthz").statusCode()).isEqualTo(200);
            JsonNode api = JSON.readTree(fx.get("/openapi.json").body());
            assertThat(api.at("/openapi").asText()).isEqualTo("3.1.0");
            assertThat(api.at("/paths").fieldNames()).toIterable().contains(
                    "/v1/retrieve", "/mcp", "/healthz", "/readyz", "/metrics", "/openapi.json");
            // the documented error codes are the ones the service uses
            String doc = api.toString();
            for (String code : List.of("invalid_json", "invalid_query", "query_too_long", "invalid_k", "invalid_mode",
                    "invalid_filter", "missing_token", "invalid_token", "rate_limited", "body_too_large", "not_ready")) {
                assertThat(doc).as(code).contains(code);
            }
        }
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(RetrievalService.REQUEST_ID_HEADER)).isPresent();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/request_id").asText()).isEqualTo(r.headers().firstValue(RetrievalService.REQUEST_ID_HEADER).get());
        // Server-Timing repeats the body's stage timings and adds the whole server-side time
        Map<String, Double> timing = new java.util.HashMap<>();
        for (String metric : r.headers().firstValue("Server-Timing").orElseThrow().split(",\\s*")) {
            String[] parts = metric.split(";dur=");
            timing.put(parts[0], Double.parseDouble(parts[1]));
        }
        assertThat(timing).containsOnlyKeys("embed", "keyword", "vector", "fuse", "retrieval", "app");
        for (String stage : List.of("embed", "keyword", "vector", "fuse")) {
            assertThat(timing.get(stage)).as(stage).isEqualTo(body.at("/timings_ms/" + stage).asDouble());
        }
        assertThat(timing.get("retrieval")).isEqualTo(body.at("/timings_ms/total").asDouble());
        assertThat(timing.get("app")).isGreaterThanOrEqualTo(timing.get("retrieval"));
        return body;
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.at("/hits").forEach(h -> ids.add(h.at("/document_id").asText()));
        return ids;
    }

    /** An embedder that does whatever {@code behaviour} does (fail, hang) instead of embedding. */
    private record FailingEmbedder(Runnable behaviour) implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            behaviour.run();
            throw new IllegalStateException("unreachable");
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public String modelId() {
            return "all-minilm-l6-v2";
        }
    }

    /** The real model, counting how often it is asked. */
    private record CountingEmbedder(Embedder delegate, AtomicInteger calls) implements Embedder {
        CountingEmbedder(Embedder delegate) {
            this(delegate, new AtomicInteger());
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.incrementAndGet();
            return delegate.embed(texts);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public String modelId() {
            return delegate.modelId();
        }
    }
}
