package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceDocument;
import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.PublishedMarker;
import io.freshet.index.lifecycle.RetentionPolicy;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.index.write.ChunkIndexWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner-only index admin API over a real index root with two published commit points. */
class IndexAdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Writes d1 at point 1.1 and d2 at point 1.2 the way the sink does (prepared commit, then published). */
    private IndexRoot twoPoints() throws Exception {
        IndexRoot root = new IndexRoot(dir.resolve("index"));
        Generation g = root.generationForIngest(1, ServiceFixture.MODEL.modelId(), "test-chunker");
        int run = root.runSeq(g, "run-a");
        try (ChunkIndexWriter writer = new ChunkIndexWriter(g.shardDir(0), new ChunkIndexWriter.Options(
                        ServiceFixture.MODEL.modelId(), "v1", "test-chunker", VectorFormat.HNSW,
                        new RetentionPolicy(root, g, 0, 20, Duration.ofHours(1), -1), null));
                AclStore.Writer acl = new AclStore.Writer(AclStore.shardDir(root, 0))) {
            writer.commit(0, "run-a", run);
            for (int c = 1; c <= 2; c++) {
                IndexAction action = upsert("d" + c, "Parental leave policy number " + c, c * 100L);
                writer.apply(action);
                acl.apply(action);
                acl.commit();
                long gen = writer.commit(c, "run-a", run);
                g.publish(0, new PublishedMarker("run-a", run, c, gen, System.currentTimeMillis()));
            }
        }
        return root;
    }

    private static IndexAction upsert(String id, String body, long time) {
        SourceDocument doc = new SourceDocument(id, "Policy " + id, body, List.of("group:hr"), "acme", time);
        float[] v = ServiceFixture.MODEL.embed(List.of(body)).get(0);
        return new IndexAction(id, doc, List.of(new EmbeddedChunk(new Chunk(0, body, 0, body.length()), v)),
                "public.documents", "{\"lsn\":" + time + "}", time, ServiceFixture.MODEL.modelId());
    }

    @Test
    void onlyOwnersOperateAndEveryOperationIsAuditedAndServedAtOnce() throws Exception {
        IndexRoot root = twoPoints();
        try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT);
                ServiceFixture fx = new ServiceFixture(dir, searcher, b -> b.ownerRole("index-owner"))) {
            Map<String, String> owner = bearer(fx.key.mint("olivia", List.of("hr"), "acme", List.of("index-owner"),
                    Duration.ofMinutes(5)));
            Map<String, String> reader = bearer(fx.token("bob", "acme", "hr"));

            // identity first: no token 401, a valid caller without the role 403; neither changes anything
            assertError(fx.get(IndexAdmin.INDEX), 401, "missing_token");
            assertError(fx.get(IndexAdmin.INDEX, reader), 403, "forbidden");
            assertError(fx.post(IndexAdmin.ROLLBACK, reader, "{\"to\": \"1.1\", \"reason\": \"x\"}"), 403, "forbidden");
            assertThat(root.audit()).isEmpty();

            JsonNode list = ok(fx.get(IndexAdmin.INDEX, owner));
            assertThat(list.at("/served").asText()).isEqualTo("g0001@1.2");
            assertThat(list.at("/manifest/ingestion").asText()).isEqualTo("running");
            JsonNode points = list.at("/generations/0/points");
            assertThat(points.findValuesAsText("id")).contains("1.1", "1.2");
            JsonNode last = points.get(points.size() - 1);
            assertThat(last.at("/documents").asLong()).isEqualTo(2);
            assertThat(last.at("/embedding_model_version").asText()).isEqualTo("v1");
            assertThat(last.at("/chunker_hash").asText()).isNotEmpty();
            assertThat(last.at("/positions/debezium").asText()).contains("200");

            // bad input: 400 naming the value, nothing audited
            assertError(fx.post(IndexAdmin.ROLLBACK, owner, "{\"to\": \"1.99\", \"reason\": \"x\"}"), 400, "invalid_argument",
                    "1.99");
            assertError(fx.post(IndexAdmin.ROLLBACK, owner, "{\"to\": \"1.1\", \"reason\": \" \"}"), 400, "invalid_argument",
                    "reason");
            assertError(fx.post(IndexAdmin.ROLLBACK, owner, "{\"to\": \"1.1\", \"reason\": \"x\", \"ingestion\": \"later\"}"),
                    400, "invalid_argument", "later");
            assertError(fx.post(IndexAdmin.ROLLBACK, owner, "{\"reason\": \"x\"}"), 400, "invalid_argument", "'to'");
            assertError(fx.post(IndexAdmin.PROMOTE, owner, "{\"generation\": \"g0042\", \"reason\": \"x\"}"), 400,
                    "invalid_argument", "g0042");
            assertError(fx.post(IndexAdmin.RESUME, owner, "{\"reason\": "), 400, "invalid_json");
            assertThat(root.audit()).isEmpty();

            // pause rollback: pinned at once, the reader sees the old content only
            JsonNode rolled = ok(fx.post(IndexAdmin.ROLLBACK, owner,
                    "{\"to\": \"1.1\", \"reason\": \"bad deploy\", \"ingestion\": \"pause\"}"));
            assertThat(rolled.at("/served").asText()).isEqualTo("g0001@1.1");
            assertThat(rolled.at("/manifest/ingestion").asText()).isEqualTo("paused");
            assertThat(rolled.at("/audit/actor").asText()).isEqualTo("http:olivia@acme");
            assertThat(rolled.at("/audit/reason").asText()).isEqualTo("bad deploy");
            JsonNode answer = ok(fx.retrieve(fx.token("bob", "acme", "hr"), "{\"query\": \"parental leave\", \"mode\": \"keyword\"}"));
            assertThat(answer.at("/served/commit_point").asText()).isEqualTo("g0001@1.1");
            assertThat(answer.at("/hits").findValuesAsText("document_id")).containsExactly("d1");

            // resume, then a replay rollback forks a new live generation
            assertThat(ok(fx.post(IndexAdmin.RESUME, owner, "{\"reason\": \"fixed\"}")).at("/served").asText())
                    .isEqualTo("g0001@1.2");
            JsonNode fork = ok(fx.post(IndexAdmin.ROLLBACK, owner, "{\"to\": \"g0001@1.1\", \"reason\": \"replay from 1.1\"}"));
            assertThat(fork.at("/manifest/live").asText()).isEqualTo("g0002");
            assertThat(fork.at("/served").asText()).isEqualTo("g0002@1.1");
            assertThat(fork.at("/audit/ingestion").asText()).isEqualTo("replay");

            // promoting back to g0001 needs an evaluation report that clears the gate (default: required)
            assertError(fx.post(IndexAdmin.PROMOTE, owner, "{\"generation\": \"g0001\", \"reason\": \"back\"}"), 409,
                    "conflict", "did not pass the quality gate", "no evaluation report attached");
            JsonNode g1 = ok(fx.get(IndexAdmin.INDEX, owner)).at("/generations/0");
            assertThat(g1.at("/id").asText()).isEqualTo("g0001");
            assertThat(g1.at("/gate/passed").asBoolean(true)).isFalse();

            JsonNode audit = ok(fx.get(IndexAdmin.AUDIT, owner)).at("/audit");
            assertThat(audit.findValuesAsText("action")).containsExactly("rollback", "resume", "rollback");
            assertThat(root.audit()).hasSize(3);
            assertThat(fx.get("/metrics").body()).contains("route=\"/v1/admin/index/rollback\"");
        }
    }

    @Test
    void theAdminApiIsOffOverAPlainIndexAndWithoutAnOwnerRole() throws Exception {
        IndexRoot root = twoPoints();
        try (ServiceFixture fx = new ServiceFixture(dir.resolve("plain"), ServiceFixture.MODEL, b -> b.ownerRole("index-owner"))) {
            Map<String, String> owner = bearer(fx.key.mint("olivia", List.of(), "acme", List.of("index-owner"),
                    Duration.ofMinutes(5)));
            assertError(fx.get(IndexAdmin.INDEX, owner), 404, "admin_disabled");
        }
        try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT);
                ServiceFixture fx = new ServiceFixture(dir, searcher, b -> b.ownerRole(""))) {
            Map<String, String> owner = bearer(fx.key.mint("olivia", List.of(), "acme", List.of("index-owner"),
                    Duration.ofMinutes(5)));
            assertError(fx.post(IndexAdmin.RESUME, owner, "{\"reason\": \"x\"}"), 404, "admin_disabled", "owner-role");
        }
        assertThat(root.audit()).isEmpty();
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String... inMessage) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/error/code").asText()).as(r.body()).isEqualTo(code);
        for (String s : inMessage) {
            assertThat(body.at("/error/message").asText()).contains(s);
        }
    }
}
