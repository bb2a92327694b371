package io.freshet.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.schema.CommitData;
import io.freshet.index.schema.TextAnalysis;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.search.SearchFilters;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.SearchResult;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.index.write.ChunkIndexWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HybridSearchTest {

    @TempDir
    Path dir;

    private static final Principal ALICE = new Principal("alice", Set.of("eng"), "acme");

    @ParameterizedTest
    @EnumSource(VectorFormat.class)
    void keywordVectorAndHybridRankAndReportEachRetriever(VectorFormat format) throws Exception {
        VectorSearchOptions options = format == VectorFormat.INT8_HNSW
                ? VectorSearchOptions.DEFAULT.withRescore(3) : VectorSearchOptions.DEFAULT;
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c", format);
                ChunkSearcher searcher = new ChunkSearcher(dir, options)) {
            // kw: matches "parental leave" strongly but points elsewhere in vector space
            writer.apply(doc("kw", "Parental leave benefits", "parental leave parental leave policy", axis(3), "docs", Map.of(), 10));
            // both: matches the words and the vector
            writer.apply(doc("both", "Leave", "parental leave for new parents", axis(0), "docs", Map.of(), 20));
            // vec: no shared words, nearest vector
            writer.apply(doc("vec", "Family", "time off when a child arrives", near(0), "docs", Map.of(), 30));
            writer.apply(doc("other", "Lunch", "the cafeteria menu", axis(5), "docs", Map.of(), 40));
            writer.commit();
            searcher.refresh();
            try (var reader = org.apache.lucene.index.DirectoryReader.open(
                    org.apache.lucene.store.FSDirectory.open(dir))) {
                assertThat(VectorFormat.isQuantized(reader.leaves().get(0).reader().getFieldInfos()
                        .fieldInfo(ChunkSchema.VECTOR))).as("rescoring applies").isEqualTo(format == VectorFormat.INT8_HNSW);
            }

            SearchResult kw = searcher.search(request("parental leave", RetrievalMode.KEYWORD, 3, SearchFilters.NONE));
            assertThat(kw.hits()).extracting(ChunkHit::documentId).containsExactly("kw", "both");
            assertThat(kw.hits().get(0).keyword().rank()).isEqualTo(1);
            assertThat(kw.hits().get(0).vector()).isNull();
            assertThat(kw.vectorNanos()).isZero();

            SearchResult vec = searcher.search(request("parental leave", RetrievalMode.VECTOR, 2, SearchFilters.NONE));
            assertThat(vec.hits()).extracting(ChunkHit::documentId).containsExactly("both", "vec");
            assertThat(vec.hits().get(0).keyword()).isNull();
            assertThat(vec.keywordNanos()).isZero();

            SearchResult hybrid = searcher.search(request("parental leave", RetrievalMode.HYBRID, 3, SearchFilters.NONE));
            ChunkHit top = hybrid.hits().get(0);
            assertThat(top.documentId()).as("in both lists, so first after fusion").isEqualTo("both");
            assertThat(top.keyword().rank()).isEqualTo(2);
            assertThat(top.vector().rank()).isEqualTo(1);
            assertThat(top.score()).isCloseTo(1.0 / 62 + 1.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(hybrid.hits()).extracting(ChunkHit::documentId).containsExactlyInAnyOrder("both", "kw", "vec");
            assertThat(top.updatedAtMillis()).isEqualTo(20);
            assertThat(top.contentHash()).isNotBlank();
            assertThat(top.position()).isEqualTo("pos-20");

            // the graph path (no exact scoring of small filters) answers the same
            try (ChunkSearcher graph = new ChunkSearcher(dir, options.withExactMaxCandidates(0))) {
                for (RetrievalMode mode : RetrievalMode.values()) {
                    assertThat(graph.search(request("parental leave", mode, 3, SearchFilters.NONE)).hits())
                            .extracting(ChunkHit::documentId)
                            .as(mode.apiName())
                            .containsExactlyElementsOf(searcher.search(request("parental leave", mode, 3, SearchFilters.NONE))
                                    .hits().stream().map(ChunkHit::documentId).toList());
                }
            }

            // with a search pool (BM25 beside kNN, segments in parallel) the answers are the same, also when the pool
            // is busy with other work (the caller runs BM25 itself) or no longer takes tasks
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            try (ChunkSearcher pooled = new ChunkSearcher(dir, options.withExecutor(pool))) {
                List<String> expected = hybrid.hits().stream().map(ChunkHit::documentId).toList();
                assertThat(pooled.search(request("parental leave", RetrievalMode.HYBRID, 3, SearchFilters.NONE)).hits())
                        .extracting(ChunkHit::documentId).containsExactlyElementsOf(expected);
                pool.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                // answered while the pool's only thread is still held (a regression would wait for it: time out)
                SearchResult busy = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return pooled.search(request("parental leave", RetrievalMode.HYBRID, 3, SearchFilters.NONE));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(busy.hits()).extracting(ChunkHit::documentId).containsExactlyElementsOf(expected);
                assertThat(busy.keywordNanos()).isPositive();
                release.countDown();
                pool.shutdown();
                assertThat(pooled.search(request("parental leave", RetrievalMode.HYBRID, 3, SearchFilters.NONE)).hits())
                        .extracting(ChunkHit::documentId).containsExactlyElementsOf(expected);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }

            Fusion vectorHeavy = new Fusion(60, 0.0, 1.0, 50);
            SearchResult weighted = searcher.search(new SearchRequest(ALICE, "parental leave", axis(0), 3,
                    RetrievalMode.HYBRID, SearchFilters.NONE, vectorHeavy));
            assertThat(weighted.hits()).extracting(ChunkHit::documentId).startsWith("both", "vec");

            // convex: min-max normalised scores; kNN list both 1.0, vec 0.9, kw and other 0; BM25 list kw 1, both 0
            Fusion convex = new Fusion(Fusion.Method.CONVEX, 60, 0.5, 1.0, 20);
            SearchResult cc = searcher.search(new SearchRequest(ALICE, "parental leave", axis(0), 3,
                    RetrievalMode.HYBRID, SearchFilters.NONE, convex));
            assertThat(cc.hits()).extracting(ChunkHit::documentId).containsExactly("both", "vec", "kw");
            assertThat(cc.hits().get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(cc.hits().get(2).score()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
            assertThatThrownBy(() -> Fusion.Method.of("borda")).hasMessageContaining("'borda'");
        }
    }

    @Test
    void filtersOnlyNarrowThePermissionFilter() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(doc("a", "T", "quarterly report", axis(0), "wiki", Map.of("dept", "finance"), 100));
            writer.apply(doc("b", "T", "quarterly report", axis(0), "tickets", Map.of("dept", "finance"), 200));
            writer.apply(doc("c", "T", "quarterly report", axis(0), "wiki", Map.of("dept", "legal"), 300));
            // visible to nobody alice can be: another tenant, and a group alice is not in
            writer.apply(new IndexAction("x", new SourceDocument("x", "T", "quarterly report", List.of("group:eng"),
                    "globex", 100, Map.of("dept", "finance")), List.of(chunk("quarterly report", axis(0))), "wiki",
                    "p", 1, "m"));
            writer.apply(new IndexAction("y", new SourceDocument("y", "T", "quarterly report", List.of("group:hr"),
                    "acme", 100, Map.of("dept", "finance")), List.of(chunk("quarterly report", axis(0))), "wiki",
                    "p", 1, "m"));
            writer.commit();
            searcher.refresh();

            for (RetrievalMode mode : RetrievalMode.values()) {
                assertThat(ids(searcher, mode, SearchFilters.NONE)).containsExactlyInAnyOrder("a", "b", "c");
                assertThat(ids(searcher, mode, new SearchFilters(Set.of("wiki"), Map.of(), null, null)))
                        .containsExactlyInAnyOrder("a", "c");
                assertThat(ids(searcher, mode, new SearchFilters(Set.of(), Map.of("dept", Set.of("finance")), null, null)))
                        .as("the attribute matches x and y too, but they stay invisible").containsExactlyInAnyOrder("a", "b");
                assertThat(ids(searcher, mode, new SearchFilters(Set.of("wiki"), Map.of("dept", Set.of("finance", "legal")),
                        150L, null))).containsExactly("c");
                assertThat(ids(searcher, mode, new SearchFilters(Set.of(), Map.of(), 100L, 200L)))
                        .containsExactlyInAnyOrder("a", "b");
            }
        }
        assertThatThrownBy(() -> new SearchFilters(Set.of(), Map.of(), 10L, 5L))
                .hasMessageContaining("time range is empty");
        assertThatThrownBy(() -> new SearchFilters(Set.of(), Map.of("dept", Set.of()), null, null))
                .hasMessageContaining("'dept' needs at least one value");
    }

    @Test
    void queryOfOnlyStopWordsFindsNothingByKeywordButHybridStillAnswers() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(doc("a", "T", "alpha", axis(0), "wiki", Map.of(), 1));
            writer.commit();
            searcher.refresh();
            assertThat(searcher.search(request("the and of", RetrievalMode.KEYWORD, 5, SearchFilters.NONE)).hits()).isEmpty();
            assertThat(searcher.search(request("the and of", RetrievalMode.HYBRID, 5, SearchFilters.NONE)).hits())
                    .extracting(ChunkHit::documentId).containsExactly("a");
        }
    }

    @Test
    void titleAndTextScoreAsOneDocumentAndAVeryLongQueryStillRuns() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(doc("title-only", "Kestrel", "a small falcon of open country", axis(0), "wiki", Map.of(), 1));
            writer.apply(doc("text-only", "Birds", "the kestrel hovers over fields", axis(1), "wiki", Map.of(), 2));
            writer.apply(doc("other", "Lunch", "the cafeteria menu", axis(2), "wiki", Map.of(), 3));
            writer.commit();
            searcher.refresh();
            assertThat(searcher.search(request("kestrel", RetrievalMode.KEYWORD, 5, SearchFilters.NONE)).hits())
                    .extracting(ChunkHit::documentId).containsExactlyInAnyOrder("title-only", "text-only");

            // 3,000 distinct words (a pasted document): past Lucene's clause limit, only the first terms are scored
            StringBuilder longQuery = new StringBuilder("kestrel");
            for (int i = 0; i < 3_000; i++) {
                longQuery.append(" w").append(i);
            }
            assertThat(searcher.search(request(longQuery.toString(), RetrievalMode.KEYWORD, 5, SearchFilters.NONE)).hits())
                    .extracting(ChunkHit::documentId).containsExactlyInAnyOrder("title-only", "text-only");
            // a repeated word weighs as often as it is repeated, as separate clauses would
            SearchResult once = searcher.search(request("kestrel", RetrievalMode.KEYWORD, 5, SearchFilters.NONE));
            SearchResult twice = searcher.search(request("kestrel kestrel", RetrievalMode.KEYWORD, 5, SearchFilters.NONE));
            assertThat(twice.hits()).extracting(ChunkHit::documentId)
                    .containsExactlyElementsOf(once.hits().stream().map(ChunkHit::documentId).toList());
            for (int i = 0; i < once.hits().size(); i++) {
                assertThat(twice.hits().get(i).keyword().score())
                        .isCloseTo(2 * once.hits().get(i).keyword().score(), org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void perDocumentFusionCreditsADocumentWhoseBestChunksDifferAndServesItOnce() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            // d1: its first chunk is the best BM25 match, its second the nearest vector
            String words = "parental leave parental leave policy";
            String other = "time off when a child arrives";
            SourceDocument d1 = new SourceDocument("d1", "T", words + "\n\n" + other, List.of("group:eng"), "acme", 1,
                    Map.of());
            writer.apply(new IndexAction("d1", d1, List.of(new EmbeddedChunk(new Chunk(0, words, 0, words.length()), axis(3)),
                    new EmbeddedChunk(new Chunk(1, other, words.length() + 2, d1.body().length()), axis(0))),
                    "docs", "p1", 1, "m"));
            // d2: one chunk, second in both lists
            writer.apply(doc("d2", "T", "parental leave for new parents", near(0), "docs", Map.of(), 2));
            writer.apply(doc("d3", "T", "the cafeteria menu", axis(5), "docs", Map.of(), 3));
            writer.commit();
            searcher.refresh();

            SearchResult chunks = searcher.search(request("parental leave", RetrievalMode.HYBRID, 10, SearchFilters.NONE));
            assertThat(chunks.hits()).extracting(ChunkHit::chunkId).as("per chunk, d1's evidence is split")
                    .contains("d1#0", "d1#1", "d2#0");
            assertThat(chunks.hits().get(0).score()).as("no chunk has both ranks of 1").isLessThan(2.0 / 61 - 1e-6);
            Fusion perDocument = Fusion.DEFAULT.withPerDocument(true);
            SearchResult docs = searcher.search(new SearchRequest(ALICE, "parental leave", axis(0), 10,
                    RetrievalMode.HYBRID, SearchFilters.NONE, perDocument));
            assertThat(docs.hits()).extracting(ChunkHit::documentId).containsExactly("d1", "d2", "d3");
            ChunkHit top = docs.hits().get(0);
            assertThat(top.score()).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(top.keyword().rank()).isEqualTo(1);
            assertThat(top.vector().rank()).isEqualTo(1);
            assertThat(docs.hits().get(1).score()).isCloseTo(2.0 / 62, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void groupedHitsLookDeeperUntilKDocumentsOrTheCandidatesRunOut() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            // one long document whose 30 chunks all beat the others in both lists
            List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                String text = "parental leave parental leave policy part " + i;
                chunks.add(new EmbeddedChunk(new Chunk(i, text, body.length(), body.length() + text.length()), axis(0)));
                body.append(text).append("\n\n");
            }
            writer.apply(new IndexAction("long", new SourceDocument("long", "Leave", body.toString(), List.of("group:eng"),
                    "acme", 1, Map.of()), chunks, "docs", "p", 1, "m"));
            writer.apply(doc("x", "T", "parental leave notes", near(0), "docs", Map.of(), 2));
            writer.apply(doc("y", "T", "leave calendar", near(1), "docs", Map.of(), 3));
            // an exact copy linked to a canonical indexed before bodies were hashed still folds into it
            writer.apply(doc("old", "T", "cafeteria menu", axis(5), "docs", Map.of(), 4));
            writer.apply(doc("new", "T", "cafeteria menu", axis(5), "docs", Map.of(ChunkSchema.LINKED_TO_KEY, "old",
                    ChunkSchema.DUPLICATE_KEY, "exact", ChunkSchema.DUPLICATE_GROUP_KEY, "h"), 5));
            writer.commit();
            searcher.refresh();
            SearchResult docs = searcher.search(new SearchRequest(ALICE, "parental leave", axis(0), 3,
                    RetrievalMode.HYBRID, SearchFilters.NONE, Fusion.DEFAULT.withPerDocument(true)));
            assertThat(docs.hits()).extracting(ChunkHit::documentId).as("one hit per document, k of them")
                    .containsExactly("long", "x", "y");
            List<ChunkHit> menu = searcher.search(request("cafeteria menu", RetrievalMode.KEYWORD, 10, SearchFilters.NONE)).hits();
            assertThat(menu).extracting(ChunkHit::documentId).containsExactly("old");
            assertThat(menu.get(0).duplicates()).containsExactly("new");
        }
        assertThatThrownBy(() -> new SearchFilters(Set.of(), Map.of(ChunkSchema.LINKED_TO_KEY, Set.of("old")), null, null))
                .hasMessageContaining("not allowed");
    }

    @Test
    void linkedCopiesAreServedAsOneHitListingTheDocumentsTheCallerMaySee() throws Exception {
        String body = "replication lag runbook for the primary cluster";
        Map<String, String> canonical = Map.of(ChunkSchema.DUPLICATE_GROUP_KEY, "h1");
        Map<String, String> exactCopy = Map.of(ChunkSchema.LINKED_TO_KEY, "a", ChunkSchema.DUPLICATE_KEY, "exact",
                ChunkSchema.DUPLICATE_GROUP_KEY, "h1");
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(doc("a", "Runbook", body, axis(0), "wiki", canonical, 1));
            for (int i = 1; i <= 25; i++) { // more copies than the retrievers' candidate lists hold
                writer.apply(doc("b" + i, "Runbook", body, axis(0), "wiki", exactCopy, 1));
            }
            writer.apply(doc("c", "Runbook", body + " today", near(0), "wiki", Map.of(ChunkSchema.LINKED_TO_KEY, "a",
                    ChunkSchema.DUPLICATE_KEY, "near", ChunkSchema.DUPLICATE_GROUP_KEY, "h2"), 1));
            writer.apply(new IndexAction("h", new SourceDocument("h", "Runbook", body, List.of("group:hr"), "acme", 1,
                    exactCopy), List.of(chunk(body, axis(0))), "wiki", "p", 1, "m"));
            // a document of two matching chunks, no copy: both chunks are served
            String first = "replication lag notes";
            String second = "replication lag runbook appendix";
            SourceDocument two = new SourceDocument("two", "Notes", first + "\n\n" + second, List.of("group:eng"), "acme",
                    1, Map.of(ChunkSchema.DUPLICATE_GROUP_KEY, "h3"));
            writer.apply(new IndexAction("two", two, List.of(new EmbeddedChunk(new Chunk(0, first, 0, first.length()), near(1)),
                    new EmbeddedChunk(new Chunk(1, second, first.length() + 2, two.body().length()), near(2))),
                    "wiki", "p", 1, "m"));
            for (int i = 0; i < 12; i++) {
                writer.apply(doc("o" + i, "Other", "replication notes number " + i, near(1 + i % 7), "wiki", Map.of(), 1));
            }
            writer.commit();
            searcher.refresh();

            for (RetrievalMode mode : RetrievalMode.values()) {
                List<ChunkHit> hits = searcher.search(request(body, mode, 10, SearchFilters.NONE)).hits();
                assertThat(hits).as(mode.apiName() + ": k hits though copies filled the first candidates").hasSize(10);
                assertThat(hits).extracting(ChunkHit::chunkId).as(mode.apiName()).doesNotHaveDuplicates()
                        .contains("two#0", "two#1")
                        .filteredOn(id -> id.startsWith("b") || id.startsWith("c#") || id.startsWith("h#")).isEmpty();
                ChunkHit top = hits.get(0);
                assertThat(top.documentId()).isEqualTo("a");
                assertThat(top.duplicates()).as("every copy alice may see, and not h").hasSize(26).contains("b1", "b25", "c")
                        .doesNotContain("a", "h");
                assertThat(top.metadata()).as("the link is not returned").doesNotContainKey(ChunkSchema.LINKED_TO_KEY);
                assertThat(hits.subList(1, 10)).allSatisfy(h -> assertThat(h.duplicates()).isEmpty());
            }

            writer.apply(IndexAction.delete("a", "wiki", "p2", 2));
            writer.commit();
            searcher.refresh();
            List<ChunkHit> hits = searcher.search(request(body, RetrievalMode.HYBRID, 10, SearchFilters.NONE)).hits();
            assertThat(hits.get(0).documentId()).as("a copy is served in the canonical's place").matches("b\\d+|c");
            assertThat(hits.get(0).duplicates()).hasSize(25).doesNotContain("a", "h", hits.get(0).documentId());
            assertThat(hits).extracting(ChunkHit::documentId).filteredOn(id -> id.startsWith("b")).hasSizeLessThan(2);

            // the canonical comes back with another body: its former exact copies no longer fold into it
            writer.apply(doc("a", "Runbook", body + " rewritten", axis(0), "wiki", Map.of(ChunkSchema.DUPLICATE_GROUP_KEY,
                    "h9"), 3));
            writer.commit();
            searcher.refresh();
            hits = searcher.search(request(body, RetrievalMode.HYBRID, 10, SearchFilters.NONE)).hits();
            ChunkHit a = hits.stream().filter(h -> h.documentId().equals("a")).findFirst().orElseThrow();
            assertThat(a.duplicates()).as("no exact copy of the old body folds into a").noneMatch(id -> id.startsWith("b"));
            ChunkHit b = hits.stream().filter(h -> h.documentId().startsWith("b")).findFirst().orElseThrow();
            assertThat(b.duplicates()).as("the copies still fold together").filteredOn(id -> id.startsWith("b")).hasSize(24);
            assertThat(hits).extracting(ChunkHit::documentId).filteredOn(id -> id.startsWith("b")).hasSize(1);
        }
    }

    private static List<String> ids(ChunkSearcher searcher, RetrievalMode mode, SearchFilters filters) throws Exception {
        return searcher.search(request("quarterly report", mode, 10, filters)).hits().stream()
                .map(ChunkHit::documentId).toList();
    }

    @Test
    void newIndexesStemEnglishAndOldOnesKeepTheAnalysisTheyWereWrittenWith() throws Exception {
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c");
                ChunkSearcher searcher = new ChunkSearcher(dir)) {
            writer.apply(doc("a", "Mutations", "a mutation of the gene was observed", axis(0), "docs", Map.of(), 10));
            writer.commit();
            searcher.refresh();
            assertThat(searcher.servedCommit().analysis()).isEqualTo(TextAnalysis.ENGLISH);
            SearchResult r = searcher.search(request("observing mutated genes", RetrievalMode.KEYWORD, 3, SearchFilters.NONE));
            assertThat(r.hits()).extracting(ChunkHit::documentId).containsExactly("a"); // observ-, gene
        }
        // an index written before the analysis was recorded: its commits carry no analyzer key
        Path old = dir.resolve("old");
        try (var w = new IndexWriter(FSDirectory.open(old), new IndexWriterConfig(new StandardAnalyzer()))) {
            for (var d : ChunkSchema.toLuceneDocuments(
                    doc("b", "Genes", "the genes were observed", axis(1), "docs", Map.of(), 10))) {
                w.addDocument(d);
            }
            Map<String, String> legacy = new HashMap<>(new CommitData("p", 10, "m", "c", 1, TextAnalysis.STANDARD).toUserData());
            legacy.remove(CommitData.ANALYZER);
            w.setLiveCommitData(legacy.entrySet());
            w.commit();
        }
        try (ChunkSearcher searcher = new ChunkSearcher(old)) {
            searcher.refresh();
            assertThat(searcher.servedCommit().analysis()).isEqualTo(TextAnalysis.STANDARD);
            // queried without stemming, as it was indexed: "genes" matches, "gene" does not
            assertThat(searcher.search(request("genes", RetrievalMode.KEYWORD, 3, SearchFilters.NONE)).hits()).hasSize(1);
            assertThat(searcher.search(request("gene", RetrievalMode.KEYWORD, 3, SearchFilters.NONE)).hits()).isEmpty();
        }
        try (ChunkIndexWriter writer = new ChunkIndexWriter(old, "m", "c")) {
            writer.apply(doc("c", "More", "more genes", axis(2), "docs", Map.of(), 20));
            writer.commit();
        }
        try (ChunkSearcher searcher = new ChunkSearcher(old)) {
            searcher.refresh();
            assertThat(searcher.servedCommit().analysis()).as("appending keeps the index's analysis").isEqualTo(TextAnalysis.STANDARD);
        }
        assertThatThrownBy(() -> TextAnalysis.fromRecorded("klingon")).hasMessageContaining("'klingon'");
    }

    /**
     * Exact scoring of a selective filter runs one task per segment on the search pool: the answer (ids, scores,
     * order, ties to the earlier chunk) must be what one thread computes, also when the pool is busy or gone.
     */
    @Test
    void exactScoringOfSeveralSegmentsInParallelAnswersAsOneThreadDoes() throws Exception {
        long seed = System.nanoTime();
        System.out.println("exactScoringOfSeveralSegmentsInParallel seed " + seed);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] twin = unit(random);
        Map<String, float[]> visible = new java.util.LinkedHashMap<>(); // in index order
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, "m", "c", VectorFormat.INT8_HNSW)) {
            for (int segment = 0; segment < 3; segment++) {
                for (int i = 0; i < 40; i++) {
                    String id = "d" + segment + "-" + i;
                    // the same vector in every segment: equal scores, the earliest chunk must win
                    float[] v = i == 0 ? twin : unit(random);
                    String group = i > 0 && random.nextInt(3) == 0 ? "group:ops" : "group:eng";
                    SourceDocument d = new SourceDocument(id, "t", "text " + id, List.of(group), "acme", i, Map.of());
                    if (group.equals("group:eng")) {
                        visible.put(id, v);
                    }
                    writer.apply(new IndexAction(id, d, List.of(chunk("text " + id, v)), "docs", "pos-" + i, i, "m"));
                }
                writer.commit(); // a segment per commit
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.ExecutorService held = java.util.concurrent.Executors.newFixedThreadPool(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        VectorSearchOptions exact = VectorSearchOptions.DEFAULT.withExactMaxCandidates(Integer.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger pooledTasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor counting = task -> {
            pooledTasks.incrementAndGet();
            pool.execute(task);
        };
        try (ChunkSearcher alone = new ChunkSearcher(dir, exact);
                ChunkSearcher pooled = new ChunkSearcher(dir, exact.withExecutor(counting));
                ChunkSearcher busy = new ChunkSearcher(dir, exact.withExecutor(held));
                var reader = org.apache.lucene.index.DirectoryReader.open(FSDirectory.open(dir))) {
            assertThat(reader.leaves()).hasSizeGreaterThanOrEqualTo(2);
            held.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int q = 0; q < 30; q++) {
                float[] v = q == 0 ? twin : unit(random);
                int k = q == 0 ? 5 : 1 + random.nextInt(12);
                SearchRequest r = new SearchRequest(ALICE, null, v, k, RetrievalMode.VECTOR, SearchFilters.NONE, Fusion.DEFAULT);
                List<ChunkHit> one = alone.search(r).hits();
                List<String> expected = one.stream().map(h -> h.chunkId() + "@" + h.score()).toList();
                assertThat(expected).as("seed %d, query %d", seed, q).hasSize(k);
                // against brute force, where no two of the best k + 1 scores are too close for float rounding to swap
                List<Map.Entry<String, Double>> brute = visible.entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), dot(e.getValue(), v)))
                        .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())) // stable: ties keep index order
                        .limit(k + 1).toList();
                boolean separated = true;
                for (int i = 1; i < brute.size(); i++) {
                    separated &= brute.get(i - 1).getValue() - brute.get(i).getValue() > 1e-5;
                }
                if (separated) {
                    assertThat(one).extracting(ChunkHit::documentId).as("seed %d, query %d", seed, q)
                            .containsExactlyElementsOf(brute.subList(0, k).stream().map(Map.Entry::getKey).toList());
                }
                assertThat(pooled.search(r).hits()).extracting(h -> h.chunkId() + "@" + h.score())
                        .as("seed %d, query %d", seed, q).containsExactlyElementsOf(expected);
                assertThat(busy.search(r).hits()).extracting(h -> h.chunkId() + "@" + h.score())
                        .as("seed %d, query %d, pool busy", seed, q).containsExactlyElementsOf(expected);
                if (q == 0) { // the same vector in three segments: equal scores, in index order
                    assertThat(one).extracting(ChunkHit::documentId).as("ties go to the earliest chunk")
                            .startsWith("d0-0", "d1-0", "d2-0");
                }
            }
            assertThat(pooledTasks.get()).as("segments were handed to the pool").isPositive();
            release.countDown();
            held.shutdown();
            SearchRequest r = new SearchRequest(ALICE, null, twin, 5, RetrievalMode.VECTOR, SearchFilters.NONE, Fusion.DEFAULT);
            assertThat(busy.search(r).hits()).extracting(ChunkHit::chunkId)
                    .as("the pool no longer takes tasks").containsExactlyElementsOf(
                            alone.search(r).hits().stream().map(ChunkHit::chunkId).toList());
        } finally {
            release.countDown();
            pool.shutdownNow();
            held.shutdownNow();
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] unit(java.util.SplittableRandom random) {
        float[] v = new float[8];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static SearchRequest request(String text, RetrievalMode mode, int k, SearchFilters filters) {
        return new SearchRequest(ALICE, text, axis(0), k, mode, filters, Fusion.DEFAULT);
    }

    private static IndexAction doc(String id, String title, String body, float[] vector, String source,
            Map<String, String> metadata, long time) {
        SourceDocument d = new SourceDocument(id, title, body, List.of("group:eng"), "acme", time, metadata);
        return new IndexAction(id, d, List.of(chunk(body, vector)), source, "pos-" + time, time, "m");
    }

    private static EmbeddedChunk chunk(String text, float[] vector) {
        return new EmbeddedChunk(new Chunk(0, text, 0, text.length()), vector);
    }

    private static float[] axis(int i) {
        float[] v = new float[8];
        v[i] = 1f;
        return v;
    }

    private static float[] near(int i) {
        float[] v = axis(i);
        v[i] = 0.9f;
        v[(i + 1) % 8] = (float) Math.sqrt(1 - 0.81);
        return v;
    }
}
