package io.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.app.config.FreshetConfig;
import io.freshet.app.local.LocalStack;
import io.freshet.app.config.ServingOptions;
import io.freshet.serving.identity.LocalSigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton on real components: embedded PostgreSQL, Debezium, a Flink MiniCluster, Lucene and
 * the HTTP service. Every change is made through SQL and observed through {@code POST /v1/retrieve}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    private static LocalStack stack;
    private static final List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(FreshetConfig.fromMap(Map.of(
                "serving.port", "0",
                "source.sample-corpus", "false",
                "redaction.sources", "public.documents:redact",
                "dedup.exact", "link",
                "dedup.near", "skip",
                "serving.admin.owner-role", "index-owner",
                "job.checkpoint-interval", "500ms"), "test"), home, step -> System.out.println("[stack] " + step));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (!latenciesMs.isEmpty()) {
            List<Long> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            System.out.printf("change-to-searchable latency over %d changes: median %d ms, max %d ms, all %s%n",
                    sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted);
        }
    }

    @Test
    @Order(1)
    void insertedDocumentsBecomeSearchableOnlyToPermittedCallers() throws Exception {
        upsert("t-runbook", "Failover runbook", "To fail over, promote the standby replica with pg_promote and "
                + "repoint the connection pooler at the new primary.", List.of("group:sre"), "testco");
        upsert("t-salary", "Salary bands 2026", "Engineering salary bands rise four percent; the review "
                + "cycle closes in March.", List.of("group:hr", "user:carol"), "testco");
        upsert("t-other", "Globex failover", "Globex promotes its standby replica in the other region.",
                List.of("group:sre"), "othertenant");

        awaitHit("dave", "sre", "testco", "promote the standby replica", "t-runbook", "pg_promote");
        awaitHit("carol", "", "testco", "salary bands", "t-salary", "four percent");
        assertThat(docIds(retrieve("dave", "sre", "testco", "salary bands review", 10)))
                .as("sre may not see HR's salary bands").doesNotContain("t-salary").contains("t-runbook");
        // t-other may land in a later checkpoint than the two above: wait for it, then check nothing else shows
        awaitHit("gina", "sre", "othertenant", "promote the standby replica", "t-other", "Globex");
        assertThat(docIds(retrieve("gina", "sre", "othertenant", "promote the standby replica", 10)))
                .as("another tenant sees only its own documents").containsOnly("t-other");
    }

    @Test
    @Order(2)
    void anUpdateReplacesTheOldText() throws Exception {
        upsert("t-runbook", "Failover runbook", "Failover is now automatic: Patroni elects a new leader and "
                + "HAProxy follows it within thirty seconds.", List.of("group:sre"), "testco");
        awaitHit("dave", "sre", "testco", "how does failover work", "t-runbook", "Patroni");
        JsonNode hits = retrieve("dave", "sre", "testco", "promote the standby replica with pg_promote", 10);
        for (JsonNode h : hits) {
            assertThat(h.get("text").asText()).doesNotContain("pg_promote");
        }
    }

    @Test
    @Order(3)
    void anAclChangeAloneChangesWhoCanSeeTheDocument() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = stack.postgres().connect(stack.database());
                PreparedStatement st = c.prepareStatement("UPDATE documents SET acl = ?, updated_at = now() WHERE id = ?")) {
            st.setArray(1, c.createArrayOf("text", new Object[] {"group:dba"}));
            st.setString(2, "t-runbook");
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(docIds(retrieve("erin", "dba", "testco", "failover", 10))).contains("t-runbook");
            assertThat(docIds(retrieve("dave", "sre", "testco", "failover", 10))).doesNotContain("t-runbook");
        });
        latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(4)
    void aDeleteRemovesTheDocument() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = stack.postgres().connect(stack.database());
                PreparedStatement st = c.prepareStatement("DELETE FROM documents WHERE id = ?")) {
            st.setString(1, "t-runbook");
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(docIds(retrieve("erin", "dba", "testco", "failover", 10))).doesNotContain("t-runbook"));
        latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(5)
    void latencyFromRowChangeToSearchable() throws Exception {
        for (int i = 0; i < 5; i++) {
            String marker = "zebracode" + i;
            upsert("t-lat-" + i, "Latency probe " + i, "The probe carries the marker " + marker + ".",
                    List.of("group:sre"), "testco");
            awaitHit("dave", "sre", "testco", "latency probe marker " + marker, "t-lat-" + i, marker);
        }
    }

    @Test
    @Order(6)
    void anAclOnlyUpdateOfALargeBodyKeepsTheBody() throws Exception {
        StringBuilder body = new StringBuilder();
        java.util.Random random = new java.util.Random(42); // incompressible text, so PostgreSQL stores it out of line (TOAST)
        while (body.length() < 40_000) {
            body.append(Long.toString(random.nextLong(), 36)).append(random.nextInt(8) == 0 ? ".\n\n" : " ");
        }
        body.append("The quokka clause closes the document.");
        upsert("t-large", "Large handbook", body.toString(), List.of("group:sre"), "testco");
        awaitHit("dave", "sre", "testco", "quokka clause", "t-large", "quokka");
        try (Connection c = stack.postgres().connect(stack.database());
                PreparedStatement st = c.prepareStatement("UPDATE documents SET acl = ? WHERE id = ?")) {
            st.setArray(1, c.createArrayOf("text", new Object[] {"group:legal"}));
            st.setString(2, "t-large");
            st.executeUpdate();
        }
        awaitHit("erin", "legal", "testco", "quokka clause", "t-large", "quokka");
        assertThat(docIds(retrieve("dave", "sre", "testco", "quokka clause", 10))).doesNotContain("t-large");
    }

    @Test
    @Order(7)
    void aMalformedRowIsDeadLetteredAndTheStreamGoesOn() throws Exception {
        upsert("t-bad-acl", "Bad ACL", "This row names a group without its prefix.", List.of("sre"), "testco");
        upsert("t-after-bad", "After the bad row", "The walrus memo follows the malformed row.", List.of("group:sre"), "testco");
        awaitHit("dave", "sre", "testco", "walrus memo", "t-after-bad", "walrus");
        Path deadLetters = stack.workDir().resolve("dead-letters");
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<JsonNode> letters = new ArrayList<>();
            try (var files = java.nio.file.Files.list(deadLetters)) {
                for (Path f : files.toList()) {
                    for (String line : java.nio.file.Files.readAllLines(f)) {
                        letters.add(JSON.readTree(line));
                    }
                }
            }
            assertThat(letters).anySatisfy(l -> {
                assertThat(l.get("reason").asText()).contains("'sre'").contains("user:<name>");
                assertThat(l.get("payload").asText()).contains("t-bad-acl");
                assertThat(l.get("position").asText()).contains("lsn");
                assertThat(l.get("failed_at").asText()).isNotBlank();
            });
        });
    }

    @Test
    @Order(8)
    void badRequestsGetJsonErrors() throws Exception {
        HttpResponse<String> noIdentity = post("{\"query\":\"x\"}", Map.of());
        assertThat(noIdentity.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noIdentity.body()).at("/error/code").asText()).isEqualTo("missing_token");
        Map<String, String> dave = identity("dave", "sre", "testco");
        assertThat(errorCode(post("{not json", dave))).isEqualTo("400:invalid_json");
        assertThat(errorCode(post("{\"query\":\"\"}", dave))).isEqualTo("400:invalid_query");
        assertThat(errorCode(post("{\"query\":\"x\",\"k\":0}", dave))).isEqualTo("400:invalid_k");
        assertThat(errorCode(post("{\"query\":\"x\",\"k\":1000}", dave))).isEqualTo("400:invalid_k");
        assertThat(errorCode(post("{\"query\":\"" + "x".repeat(5000) + "\"}", dave))).isEqualTo("400:query_too_long");
    }

    /**
     * An owner rolls back over the admin API: the point is served at once; ingestion restarts on a fork of it
     * and, PostgreSQL's slot being unable to rewind, re-snapshots the table, so the index converges again.
     */
    @Test
    @Order(9)
    void anOwnerRollsBackOverHttpAndIngestionConvergesToTheTableAgain() throws Exception {
        upsert("rb-1", "Rollback probe", "The first text of the quokka rollback probe.", List.of("group:eng"), "acme");
        awaitHit("alice", "eng", "acme", "quokka rollback probe", "rb-1", "first text");
        Map<String, String> owner = bearer(LocalSigningKey.load(ServingOptions.localKeyDir(stack.workDir())
                .resolve(LocalSigningKey.FILE)).mint("olivia", List.of(), "acme", List.of("index-owner"), Duration.ofMinutes(10)));
        assertThat(admin("GET", "/v1/admin/index", null, identity("alice", "eng", "acme")).statusCode()).isEqualTo(403);
        String x = JSON.readTree(admin("GET", "/v1/admin/index", null, owner).body()).get("served").asText();

        upsert("rb-1", "Rollback probe", "The second text of the quokka rollback probe.", List.of("group:eng"), "acme");
        upsert("rb-2", "Rollback sibling", "A quokka sibling written after the point.", List.of("group:eng"), "acme");
        awaitHit("alice", "eng", "acme", "quokka rollback probe", "rb-1", "second text");
        awaitHit("alice", "eng", "acme", "quokka sibling", "rb-2", "sibling");

        HttpResponse<String> rolled = admin("POST", "/v1/admin/index/rollback",
                "{\"to\": \"" + x + "\", \"reason\": \"end-to-end rollback\"}", owner);
        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(rolled.body());
        String point = x.substring(x.indexOf('@'));
        assertThat(outcome.at("/served").asText()).as("a fork of %s is served", x).endsWith(point)
                .isNotEqualTo(x);
        assertThat(outcome.at("/audit/actor").asText()).isEqualTo("http:olivia@acme");
        JsonNode atX = retrieve("alice", "eng", "acme", "quokka rollback probe", 10);
        assertThat(StreamSupport.stream(atX.spliterator(), false).filter(h -> h.get("document_id").asText().equals("rb-1"))
                .map(h -> h.get("text").asText()).toList())
                .as("right after the rollback: the content of %s", x)
                .isNotEmpty().allMatch(t -> t.contains("first text"));

        // the re-snapshot brings back what came after the point (not a change latency: not recorded)
        awaitServed("alice", "eng", "acme", "quokka rollback probe", "rb-1", "second text");
        awaitServed("alice", "eng", "acme", "quokka sibling", "rb-2", "sibling");
    }

    @Test
    @Order(10)
    void personalDataIsRedactedBeforeItIsEmbeddedOrIndexed() throws Exception {
        upsert("pii-1", "Wombat vendor contact", "Reach the wombat vendor at sales.lead@wombat-supplies.example or "
                + "+1 415 555 2671; pay with card 4111 1111 1111 1111.", List.of("group:eng"), "acme");
        awaitHit("alice", "eng", "acme", "wombat vendor contact", "pii-1", "[EMAIL]");
        JsonNode hit = StreamSupport.stream(retrieve("alice", "eng", "acme", "wombat vendor contact", 10).spliterator(), false)
                .filter(h -> h.get("document_id").asText().equals("pii-1")).findFirst().orElseThrow();
        assertThat(hit.get("text").asText()).contains("[EMAIL]", "[PHONE]", "[CARD]")
                .doesNotContain("wombat-supplies.example").doesNotContain("4111").doesNotContain("2671");
        assertThat(hit.at("/metadata/freshet.redacted").asText()).isEqualTo("email,phone,card");
    }

    @Test
    @Order(11)
    void exactCopiesAreServedAsOneHitThatListsTheCopiesTheCallerMaySee() throws Exception {
        String body = "The numbat grant committee meets on the first Tuesday; submit proposals two weeks ahead.";
        upsert("dup-1", "Numbat grants", body, List.of("group:eng"), "acme");
        upsert("dup-2", "Numbat grants", body, List.of("group:eng"), "acme");
        upsert("dup-3", "Numbat grants", body, List.of("group:hr"), "acme"); // other viewers: never linked
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode hits = retrieve("alice", "eng", "acme", "numbat grant committee", 10);
            assertThat(docIds(hits)).as("%s", hits).contains("dup-1").doesNotContain("dup-2", "dup-3");
            JsonNode hit = StreamSupport.stream(hits.spliterator(), false)
                    .filter(h -> h.get("document_id").asText().equals("dup-1")).findFirst().orElseThrow();
            assertThat(hit.get("duplicates")).as("%s", hit).isNotNull();
            assertThat(hit.get("duplicates").get(0).asText()).isEqualTo("dup-2");
            assertThat(hit.at("/metadata/freshet.duplicate").isMissingNode()).as("the canonical is no copy").isTrue();
        });
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode hits = retrieve("harry", "hr", "acme", "numbat grant committee", 10);
            assertThat(docIds(hits)).contains("dup-3").doesNotContain("dup-1", "dup-2");
            assertThat(StreamSupport.stream(hits.spliterator(), false)
                    .filter(h -> h.get("document_id").asText().equals("dup-3")).findFirst().orElseThrow()
                    .has("duplicates")).as("hr sees no copy of its own").isFalse();
        });
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> admin(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.serviceUri() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void upsert(String id, String title, String body, List<String> acl, String tenant) throws Exception {
        try (Connection c = stack.postgres().connect(stack.database());
                PreparedStatement st = c.prepareStatement("""
                        INSERT INTO documents (id, title, body, acl, tenant) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
                          acl = EXCLUDED.acl, tenant = EXCLUDED.tenant, updated_at = now()""")) {
            st.setString(1, id);
            st.setString(2, title);
            st.setString(3, body);
            st.setArray(4, c.createArrayOf("text", acl.toArray()));
            st.setString(5, tenant);
            st.executeUpdate();
        }
    }

    /** Waits until a hit of {@code docId} whose text contains {@code text} is served; records the latency. */
    private static void awaitHit(String user, String groups, String tenant, String query, String docId, String text) {
        long t0 = System.nanoTime();
        awaitServed(user, groups, tenant, query, docId, text);
        latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
    }

    /** Waits until a hit of {@code docId} whose text contains {@code text} is served. */
    private static void awaitServed(String user, String groups, String tenant, String query, String docId, String text) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode hits = retrieve(user, groups, tenant, query, 10);
            assertThat(StreamSupport.stream(hits.spliterator(), false)
                    .anyMatch(h -> h.get("document_id").asText().equals(docId) && h.get("text").asText().contains(text)))
                    .as("%s sees %s containing '%s' in %s", user, docId, text, hits)
                    .isTrue();
        });
    }

    private static JsonNode retrieve(String user, String groups, String tenant, String query, int k) throws Exception {
        HttpResponse<String> r = post(JSON.writeValueAsString(Map.of("query", query, "k", k)),
                identity(user, groups, tenant));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue(body.get("request_id").asText());
        return body.get("hits");
    }

    private static List<String> docIds(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.get("document_id").asText()));
        return ids;
    }

    private static Map<String, String> identity(String user, String groups, String tenant) throws Exception {
        LocalSigningKey key = LocalSigningKey.load(
                ServingOptions.localKeyDir(stack.workDir()).resolve(LocalSigningKey.FILE));
        String token = key.mint(user, List.of(groups.split(",")), tenant, Duration.ofMinutes(10));
        return Map.of("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.serviceUri() + "/v1/retrieve"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorCode(HttpResponse<String> r) throws Exception {
        return r.statusCode() + ":" + JSON.readTree(r.body()).at("/error/code").asText();
    }
}
