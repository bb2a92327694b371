package io.freshet.index.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.SearchResult;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.index.write.ChunkIndexWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generations, commit points and owner rollback, written the way the Flink sink writes them (prepared Lucene
 * commits carrying run and checkpoint, published by marker, permissions in the ACL store).
 */
class RollbackTest {

    private static final Principal ALICE = new Principal("alice", Set.of("eng"), "acme");
    private static final Principal BOB = new Principal("bob", Set.of("ops"), "acme");

    @TempDir
    Path dir;

    /** One shard written like the sink writes it. */
    private static final class Shard implements AutoCloseable {
        final IndexRoot root;
        final Generation generation;
        final ChunkIndexWriter writer;
        final AclStore.Writer acl;
        final int run;

        Shard(IndexRoot root) throws Exception {
            this.root = root;
            this.generation = root.generationForIngest(1, "m", "c");
            this.run = root.runSeq(generation, "run-a");
            this.writer = new ChunkIndexWriter(generation.shardDir(0), new ChunkIndexWriter.Options("m", "v1", "c",
                    VectorFormat.HNSW, new RetentionPolicy(root, generation, 0, 20, Duration.ofHours(1), -1), null));
            this.acl = new AclStore.Writer(AclStore.shardDir(root, 0));
            writer.commit(0, "run-a", run);
        }

        void apply(IndexAction a) throws Exception {
            if (a.reconcile()) { // as the sink does
                for (String id : writer.reconcile(a.snapshotStartMillis(), id -> true)) {
                    acl.deleted(id, a.snapshotStartMillis());
                }
            } else {
                writer.apply(a);
            }
            acl.apply(a);
        }

        /** Prepares and publishes checkpoint {@code c}. */
        PointId checkpoint(long c) throws Exception {
            acl.commit();
            long gen = writer.commit(c, "run-a", run);
            generation.publish(0, new PublishedMarker("run-a", run, c, gen, System.currentTimeMillis()));
            return new PointId(run, c);
        }

        /** Publishes checkpoint {@code c} without changes: the marker moves on, the Lucene commit stays. */
        PointId emptyCheckpoint(long c, long luceneGeneration) throws Exception {
            generation.publish(0, new PublishedMarker("run-a", run, c, luceneGeneration, System.currentTimeMillis()));
            return new PointId(run, c);
        }

        @Override
        public void close() throws Exception {
            writer.close();
            acl.close();
        }
    }

    @Test
    void aDocumentASnapshotShowedGoneStaysGoneWhenRolledBackToAPointThatHeldIt() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        try (Shard shard = new Shard(root)) {
            shard.apply(upsert("d1", "v1", List.of("group:eng"), 100));
            shard.apply(upsert("d2", "v1", List.of("group:eng"), 100));
            PointId x = shard.checkpoint(1);
            // capture was down while d2 was deleted; a new snapshot (started at 1000) shows d1 only
            IndexAction d1 = upsert("d1", "v1", List.of("group:eng"), 100);
            shard.apply(new IndexAction("d1", d1.document(), d1.chunks(), "test", "{\"lsn\":1000}", 100, "m", 1000));
            shard.apply(IndexAction.reconcile("test", "{\"lsn\":1001}", 1000));
            shard.checkpoint(2);
            root.rollback(x.toString(), "before the snapshot", "owner", IndexRoot.AfterRollback.PAUSE);
            try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT)) {
                assertThat(searcher.servedPoint()).isEqualTo("g0001@" + x);
                assertThat(ids(searcher.search(SearchRequest.vector(ALICE, unit(0), 10))))
                        .as("d2 is in X's content but gone from the source").containsExactly("d1");
            }
        }
    }

    @Test
    void promotionNeedsAnEvaluationReportThatClearsTheGate() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        try (Shard shard = new Shard(root)) {
            shard.apply(upsert("d1", "v1", List.of("group:eng"), 100));
            PointId p1 = shard.checkpoint(1);
            root.rollback("g0001@" + p1, "make a second generation", "owner", IndexRoot.AfterRollback.REPLAY);
        }
        assertThat(root.manifest().orElseThrow().live()).isEqualTo("g0002");
        Generation g1 = root.generation("g0001");
        QualityGate gate = new QualityGate(true, java.util.Map.of("hybrid", 0.70), 0.01);

        assertThatThrownBy(() -> root.promote("g0001", "no report", "owner", gate))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no evaluation report attached");
        assertThat(root.gate(g1).orElseThrow().passed()).isFalse();

        assertThat(root.attachEvaluation("g0001", report("scifact", 0.65), gate).passed()).isFalse();
        assertThatThrownBy(() -> root.promote("g0001", "below the minimum", "owner", gate))
                .hasMessageContaining("hybrid nDCG@10 0.6500 < minimum 0.7000");

        root.attachEvaluation("g0002", report("scifact", 0.80), gate); // the live generation's
        GateResult drop = root.attachEvaluation("g0001", report("scifact", 0.75), gate);
        assertThat(drop.passed()).as(drop.checks().toString()).isFalse();
        assertThat(drop.summary()).contains("vs live 0.8000");
        GateResult otherData = root.attachEvaluation("g0001", report("nfcorpus", 0.75), gate);
        assertThat(otherData.passed()).as("a report on other data cannot be compared").isFalse();
        assertThat(otherData.summary()).contains("evaluate on the same data");
        com.fasterxml.jackson.databind.node.ObjectNode fewer = (com.fasterxml.jackson.databind.node.ObjectNode) report("scifact", 0.80);
        ((com.fasterxml.jackson.databind.node.ObjectNode) fewer.get("modes")).remove("keyword");
        assertThat(root.attachEvaluation("g0001", fewer, gate).summary()).as("a mode left out")
                .contains("keyword nDCG@10 missing from the report");
        assertThat(root.audit()).as("refused promotions change nothing").hasSize(1);

        root.attachEvaluation("g0001", report("scifact", 0.795), gate);
        root.promote("g0001", "passed the gate", "owner", gate);
        assertThat(root.manifest().orElseThrow().live()).isEqualTo("g0001");
        assertThat(root.gate(g1).orElseThrow().checks()).anyMatch(c -> c.startsWith("ok   hybrid nDCG@10 0.7950 vs live"));
        root.resume("the live generation needs no gate", "owner");
        assertThat(root.audit()).extracting(AuditRecord::action).containsExactly("rollback", "promote", "resume");

        assertThatThrownBy(() -> new QualityGate(true, java.util.Map.of("bm25", 0.5), 0.01)).hasMessageContaining("bm25");
        assertThatThrownBy(() -> new QualityGate(true, java.util.Map.of("hybrid", 1.5), 0.01)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> root.attachEvaluation("g0001", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"x\": 1}"), gate)).hasMessageContaining("modes");
    }

    private static com.fasterxml.jackson.databind.JsonNode report(String dataset, double hybrid) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(String.format(java.util.Locale.ROOT,
                "{\"dataset\": \"%s\", \"split\": \"test\", \"modes\": {\"keyword\": {\"ndcg@10\": 0.66}, "
                        + "\"hybrid\": {\"ndcg@10\": %.4f}}}", dataset, hybrid));
    }

    @Test
    void positionsMergeToTheNewestOverShards() {
        java.util.Map<String, String> merged = new java.util.HashMap<>();
        Generation.mergePositions(merged, java.util.Map.of("t/0", "17", "t/1", "3",
                "debezium", "{\"lsn\":900,\"txId\":5}"));
        Generation.mergePositions(merged, java.util.Map.of("t/0", "9", "t/2", "4",
                "debezium", "{\"lsn\":1200,\"txId\":6}"));
        Generation.mergePositions(merged, java.util.Map.of("debezium", "{\"lsn\":1100,\"txId\":7}"));
        assertThat(merged).containsEntry("t/0", "17").containsEntry("t/1", "3").containsEntry("t/2", "4")
                .containsEntry("debezium", "{\"lsn\":1200,\"txId\":6}");
    }

    @Test
    void aServedPointWithoutItsOwnCommitStaysARollbackTarget() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        try (Shard shard = new Shard(root)) {
            shard.apply(upsert("d1", "v1", List.of("group:eng"), 100));
            shard.checkpoint(1);
            long gen = shard.generation.published(0).orElseThrow().luceneGeneration();
            PointId quiet = shard.emptyCheckpoint(2, gen);
            assertThat(root.served().orElseThrow().point()).isEqualTo(quiet);
            shard.apply(upsert("d2", "v1", List.of("group:eng"), 200));
            shard.checkpoint(3);
            assertThat(shard.generation.point(quiet)).as("once the head, always resolvable").isPresent();
            assertThat(shard.generation.point(new PointId(shard.run, 4))).as("past the head").isEmpty();
            root.rollback(quiet.toString(), "back to the quiet point", "owner", IndexRoot.AfterRollback.PAUSE);
            try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT)) {
                assertThat(ids(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)))).containsExactly("d1");
                assertThat(searcher.servedPoint()).isEqualTo("g0001@" + quiet);
            }
        }
    }

    @Test
    void pointsCarryLineageAndRollbackIsAuditedAndSurvivesARestart() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        try (Shard shard = new Shard(root)) {
            shard.apply(upsert("d1", "v1", List.of("group:eng"), 100));
            PointId p1 = shard.checkpoint(1);
            shard.apply(upsert("d2", "v1", List.of("group:eng"), 200));
            PointId p2 = shard.checkpoint(2);

            List<CommitPoint> points = shard.generation.points();
            assertThat(points).extracting(CommitPoint::id).contains(p1, p2);
            CommitPoint last = points.getLast();
            assertThat(last.documents()).isEqualTo(2);
            assertThat(last.watermarkMillis()).isEqualTo(200);
            assertThat(last.modelVersion()).isEqualTo("v1");
            assertThat(last.chunkerHash()).hasSize(16);
            assertThat(last.positions()).containsKey("debezium");

            assertThatThrownBy(() -> root.rollback("1.99", "bad point", "owner", IndexRoot.AfterRollback.PAUSE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.99");
            assertThatThrownBy(() -> root.rollback(p1.toString(), " ", "owner", IndexRoot.AfterRollback.PAUSE))
                    .hasMessageContaining("reason");
            root.rollback(p1.toString(), "bad deploy", "owner", IndexRoot.AfterRollback.PAUSE);
        }
        IndexRoot restarted = new IndexRoot(dir);
        assertThat(restarted.manifest().orElseThrow().pinned()).isEqualTo("1.1");
        assertThat(restarted.manifest().orElseThrow().ingestion()).isEqualTo(Manifest.Ingestion.PAUSED);
        AuditRecord audit = restarted.audit().getLast();
        assertThat(audit.actor()).isEqualTo("owner");
        assertThat(audit.from()).isEqualTo("g0001");
        assertThat(audit.to()).isEqualTo("g0001@1.1");
        assertThat(audit.reason()).isEqualTo("bad deploy");
        try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(restarted, VectorSearchOptions.DEFAULT)) {
            assertThat(ids(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)))).containsExactly("d1");
            assertThat(searcher.servedPoint()).isEqualTo("g0001@1.1");
        }

        // replay forks the point into a new live generation; the old one stays whole
        IndexRoot.Outcome fork = restarted.rollback("g0001@1.2", "roll forward", "owner", IndexRoot.AfterRollback.REPLAY);
        assertThat(fork.manifest().live()).isEqualTo("g0002");
        assertThat(restarted.generation("g0002").info().forkedFrom()).isEqualTo("g0001@1.2");
        try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(restarted, VectorSearchOptions.DEFAULT)) {
            assertThat(ids(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)))).containsExactlyInAnyOrder("d1", "d2");
            assertThat(searcher.servedPoint()).isEqualTo("g0002@1.2");
        }
        try (FSDirectory d = FSDirectory.open(restarted.generation("g0002").shardDir(0))) {
            assertThat(new CheckIndex(d).checkIndex().clean).isTrue();
        }
    }

    @Test
    void aPermissionRevokedAfterThePointStaysRevokedWhenRolledBackToIt() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        try (Shard shard = new Shard(root)) {
            shard.apply(upsert("d1", "v1", List.of("user:alice", "group:ops"), 100));
            shard.apply(upsert("d2", "v1", List.of("group:eng"), 100));
            PointId x = shard.checkpoint(1);
            // after X: alice loses d1, bob's group is added to d2, and a replayed older change is ignored
            shard.apply(upsert("d1", "v2", List.of("group:ops"), 200));
            shard.apply(upsert("d2", "v2", List.of("group:eng", "group:ops"), 210));
            shard.apply(upsert("d1", "v1", List.of("user:alice", "group:ops"), 100));
            shard.checkpoint(2);

            try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT)) {
                assertThat(ids(searcher.search(SearchRequest.vector(ALICE, unit(0), 10)))).containsExactly("d2");
                for (IndexRoot.AfterRollback after : IndexRoot.AfterRollback.values()) {
                    String target = after == IndexRoot.AfterRollback.PAUSE ? x.toString() : "g0001@" + x;
                    root.rollback(target, "test " + after, "owner", after);
                    searcher.refresh();
                    assertThat(searcher.servedPoint()).endsWith("@" + x);
                    SearchResult alice = searcher.search(SearchRequest.vector(ALICE, unit(0), 10));
                    assertThat(ids(alice)).as("alice after rollback (%s)", after).containsExactly("d2");
                    assertThat(alice.hits()).allMatch(h -> h.contentHash().equals(hash("d2", "v1")), "content of X");
                    // bob's grant came with d2's v2: it never reaches v1, which bob was never allowed to see
                    assertThat(ids(searcher.search(SearchRequest.vector(BOB, unit(0), 10))))
                            .as("bob, granted d2's newer version after X").containsExactly("d1");
                }
            }
        }
    }

    @Test
    void rollbackUnderConcurrentQueriesNeverFailsOrMixesPoints() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        int docs = 30;
        try (Shard shard = new Shard(root)) {
            for (int i = 0; i < docs; i++) {
                shard.apply(upsert("d" + i, "old", List.of("group:eng"), 100));
            }
            PointId old = shard.checkpoint(1);
            for (int i = 0; i < docs; i++) {
                shard.apply(upsert("d" + i, "new", List.of("group:eng"), 200));
            }
            PointId neu = shard.checkpoint(2);
            try (ChunkSearcher searcher = ChunkSearcher.forIndexRoot(root, VectorSearchOptions.DEFAULT)) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger queries = new AtomicInteger();
                ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
                Set<String> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            try {
                                SearchResult r = searcher.search(SearchRequest.vector(ALICE, unit(0), 10));
                                Set<String> versions = r.hits().stream()
                                        .map(h -> h.contentHash().equals(hash(h.documentId(), "old")) ? "old" : "new")
                                        .collect(Collectors.toSet());
                                String expected = r.commitPoint().endsWith("@" + old) ? "old" : "new";
                                served.add(r.commitPoint());
                                if (r.hits().size() != 10 || !versions.equals(Set.of(expected))) {
                                    problems.add(r.commitPoint() + " served " + versions + " in " + r.hits().size() + " hits");
                                }
                                queries.incrementAndGet();
                            } catch (Exception e) {
                                problems.add(e.toString());
                            }
                        }
                    }));
                }
                for (int i = 0; i < 20; i++) {
                    if (i % 2 == 0) {
                        root.rollback(old.toString(), "switch " + i, "owner", IndexRoot.AfterRollback.PAUSE);
                    } else {
                        root.resume("switch " + i, "owner");
                    }
                    searcher.refresh();
                    Thread.sleep(20);
                }
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(problems).isEmpty();
                assertThat(queries.get()).isGreaterThan(20);
                assertThat(served).as("queries ran on both sides of the switches").contains("g0001@" + old, "g0001@" + neu);
                assertThat(root.audit()).hasSize(20);
            }
        }
    }

    private static List<String> ids(SearchResult r) {
        return r.hits().stream().map(ChunkHit::documentId).distinct().toList();
    }

    private static String hash(String id, String version) {
        return new SourceDocument(id, "Title " + id, "body " + version, List.of("group:eng"), "acme", 0).contentHash();
    }

    private static IndexAction upsert(String id, String version, List<String> acl, long time) {
        SourceDocument doc = new SourceDocument(id, "Title " + id, "body " + version, acl, "acme", time);
        return new IndexAction(id, doc, List.of(new EmbeddedChunk(new Chunk(0, "body " + version, 0, ("body " + version).length()), unit(0))),
                "test", "{\"lsn\":" + time + "}", time, "m");
    }

    private static float[] unit(int axis) {
        float[] v = new float[8];
        v[axis] = 1f;
        return v;
    }
}
