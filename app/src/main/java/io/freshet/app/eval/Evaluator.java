package io.freshet.app.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.app.bench.ChangeLatencyBench;
import io.freshet.core.ChangeOp;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.core.chunk.ChunkerSpec;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.ModelTokenCounter;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.schema.TextAnalysis;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.write.ChunkIndexWriter;
import io.freshet.jobs.ingest.ChangeEmbedder;
import io.freshet.serving.Retrieval;
import io.freshet.serving.ServingConfig;
import io.freshet.serving.api.RetrieveRequest;
import io.freshet.serving.api.RetrieveResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs one evaluation: ingests the corpus with the production {@link ChangeEmbedder} (chunker and embedder)
 * and {@link ChunkIndexWriter} into a scratch index, then answers every query of every mode through the
 * service's {@link Retrieval} core as the evaluation principal, and scores the document rankings.
 */
public final class Evaluator {

    /** How the scores of a document's chunks become the document's score. */
    public enum DocScore {
        /** The best chunk decides (the default). */
        MAX,
        /** Chunk scores add up: documents matching in several places rank higher. */
        SUM;

        /** Parses {@code max} or {@code sum}, naming the bad value otherwise. */
        public static DocScore of(String s) {
            for (DocScore d : values()) {
                if (d.name().equalsIgnoreCase(s)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("--doc-score must be max or sum; got '" + s + "'");
        }
    }

    /** The evaluation principal's tenant; every document is ingested into it. */
    public static final String TENANT = "eval";

    /** Documents per embedding call while ingesting. */
    private static final int INGEST_BATCH = 32;
    /** Queries run untimed per mode before the measured pass, so JIT and model warm-up are not measured. */
    private static final int WARMUP_QUERIES = 10;
    private static final String MARKER = "freshet-eval-index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param model embedding model
     * @param longInput what happens to inputs longer than the model's trained length
     * @param chunking the chunking strategy and its bounds ({@code chunk.*})
     * @param fusion hybrid fusion ({@code serving.fusion.*})
     * @param vectorFormat vector index format
     * @param docScore chunk-to-document score
     * @param depth chunks retrieved per query (enough for 100 documents)
     * @param modes modes to evaluate, in order
     * @param indexDir where to keep the scratch index for reuse, or null for a temporary one
     * @param acl the corpus ACLs
     * @param principal who the queries run as
     */
    public record Settings(EmbeddingModelId model, OnnxEmbedder.LongInput longInput, ChunkerSpec chunking,
            Fusion fusion, VectorFormat vectorFormat, DocScore docScore, int depth,
            List<RetrievalMode> modes, Path indexDir, AclAssignment acl, Principal principal) {
        public Settings {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(longInput, "longInput");
            Objects.requireNonNull(chunking, "chunking");
            Objects.requireNonNull(fusion, "fusion");
            Objects.requireNonNull(vectorFormat, "vectorFormat");
            Objects.requireNonNull(docScore, "docScore");
            Objects.requireNonNull(acl, "acl");
            Objects.requireNonNull(principal, "principal");
            if (depth < 100 || depth > 1000) {
                throw new IllegalArgumentException("--depth must be in [100, 1000] (Recall@100 needs 100 documents); got "
                        + depth);
            }
            if (modes == null || modes.isEmpty()) {
                throw new IllegalArgumentException("--mode needs at least one of keyword, vector, hybrid");
            }
            modes = List.copyOf(modes);
        }

        /** The chunker configuration, described as index lineage records it. */
        public String chunker() {
            return chunking.describe();
        }
    }

    private Evaluator() {}

    /** Runs the evaluation, writing progress lines to {@code progress}. */
    public static EvalReport run(BeirDataset dataset, Settings s, PrintStream progress) throws IOException {
        Path dir = s.indexDir() != null ? s.indexDir() : Files.createTempDirectory("freshet-eval-");
        try {
            OnnxEmbedder embedder = new OnnxEmbedder(s.model(), s.longInput());
            EvalReport.Ingest ingest = ensureIndex(dataset, s, dir, embedder, progress);
            Map<String, EvalReport.ModeMetrics> modes = new LinkedHashMap<>();
            long outside = 0;
            int queries = 0;
            ServingConfig serving = ServingConfig.builder()
                    // no HTTP server here: the caller is the evaluation principal, nobody presents a token
                    .devIdentity(true)
                    .maxK(1000)
                    .maxQueryChars(100_000)
                    .embedTimeout(Duration.ofMinutes(1))
                    .freshnessBound(Duration.ZERO)
                    .fusion(s.fusion())
                    .rateLimit(0, 0)
                    .embeddingCacheSize(0)
                    .resultCacheSize(0)
                    .build();
            try (ChunkSearcher searcher = new ChunkSearcher(dir)) {
                for (RetrievalMode mode : s.modes()) {
                    ModeRun run = runMode(dataset, s, mode, serving, searcher, embedder, progress);
                    modes.put(mode.apiName(), run.metrics);
                    outside += run.outside;
                    queries = run.queries;
                }
            }
            int visible = (int) dataset.corpus().stream().filter(d -> s.acl().visible(d.id(), s.principal())).count();
            EvalReport.Acl acl = !s.acl().restricts() ? null
                    : new EvalReport.Acl(s.acl().description(), principalEntries(s.principal()), visible, outside);
            Fusion f = s.fusion();
            EvalReport.Config config = new EvalReport.Config(s.model().id(),
                    s.longInput().name().toLowerCase().replace('_', '-'), s.chunker(), s.vectorFormat().configName(),
                    new EvalReport.Fusion(f.method().configName(), f.rankConstant(), f.keywordWeight(), f.vectorWeight(),
                            Math.max(f.candidates(), s.depth()), f.perDocument()),
                    s.docScore().name().toLowerCase(), s.depth(), ChunkSearcher.KEYWORD_SCORING);
            return new EvalReport(dataset.name(), dataset.split(), config, ingest, queries, acl, modes);
        } finally {
            if (s.indexDir() == null) {
                deleteTree(dir);
            }
        }
    }

    private static List<String> principalEntries(Principal p) {
        List<String> out = new ArrayList<>();
        out.add(SourceDocument.USER_PREFIX + p.subject());
        p.groups().stream().sorted().forEach(g -> out.add(SourceDocument.GROUP_PREFIX + g));
        return out;
    }

    /** What identifies a scratch index: reuse it only when all of this matches. */
    private record IndexKey(String corpusSha256, String model, String longInput, String chunker, String vectorFormat,
            String analysis, Map<String, List<String>> acl, List<String> unlistedAcl) {}

    private static EvalReport.Ingest ensureIndex(BeirDataset dataset, Settings s, Path dir, OnnxEmbedder embedder,
            PrintStream progress) throws IOException {
        IndexKey key = new IndexKey(dataset.corpusSha256(), s.model().id(), s.longInput().name(), s.chunker(),
                s.vectorFormat().configName(), TextAnalysis.DEFAULT.id(), new TreeMap<>(s.acl().entries()),
                s.acl().unlisted());
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            Map<?, ?> stored = JSON.readValue(marker.toFile(), Map.class);
            if (JSON.convertValue(stored.get("key"), IndexKey.class).equals(key)) {
                progress.printf("eval: reusing the scratch index in %s (same corpus and configuration)%n", dir);
                EvalReport.Ingest before = JSON.convertValue(stored.get("ingest"), EvalReport.Ingest.class);
                return new EvalReport.Ingest(before.documents(), before.chunks(), before.seconds(),
                        before.documentsPerSecond(), true);
            }
            progress.printf("eval: %s was built from another corpus or configuration; rebuilding it%n", dir);
            clearIndex(dir);
        } else if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException("--index-dir " + dir + " is not empty and is not a Freshet "
                            + "evaluation index; name an empty or new directory");
                }
            }
        }
        Files.createDirectories(dir);
        EvalReport.Ingest ingest = ingest(dataset, s, dir, embedder, progress);
        JSON.writerWithDefaultPrettyPrinter().writeValue(marker.toFile(), Map.of("key", key, "ingest", ingest));
        return ingest;
    }

    private static EvalReport.Ingest ingest(BeirDataset dataset, Settings s, Path dir, OnnxEmbedder embedder,
            PrintStream progress) throws IOException {
        var chunker = s.chunking().create(new ModelTokenCounter());
        ChangeEmbedder changes = new ChangeEmbedder(chunker, embedder);
        List<BeirDataset.Doc> corpus = dataset.corpus();
        String source = "beir:" + dataset.name();
        long t0 = System.nanoTime();
        long lastReport = t0;
        long chunks = 0;
        progress.printf("eval: ingesting %,d documents of %s with %s, %s%n", corpus.size(), dataset.name(),
                s.model().id(), s.chunker());
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir, s.model().id(), s.chunker(), s.vectorFormat())) {
            for (int from = 0; from < corpus.size(); from += INGEST_BATCH) {
                List<SourceChange> batch = new ArrayList<>(INGEST_BATCH);
                for (int i = from; i < Math.min(corpus.size(), from + INGEST_BATCH); i++) {
                    BeirDataset.Doc d = corpus.get(i);
                    SourceDocument doc = new SourceDocument(d.id(), d.title(), d.text(), s.acl().acl(d.id()), TENANT,
                            0L, Map.of());
                    batch.add(new SourceChange(ChangeOp.CREATE, d.id(), doc, source, "corpus.jsonl#" + (i + 1), 0L));
                }
                for (IndexAction action : changes.applyAll(batch)) {
                    writer.apply(action);
                    chunks += action.chunks().size();
                }
                long now = System.nanoTime();
                int done = Math.min(corpus.size(), from + INGEST_BATCH);
                if (now - lastReport > 5_000_000_000L || done == corpus.size()) {
                    double secs = (now - t0) / 1e9;
                    double rate = done / secs;
                    progress.printf("eval: ingest %,d/%,d documents (%d%%), %,d chunks, %.0f docs/s, %s%n", done,
                            corpus.size(), done * 100L / corpus.size(), chunks, rate,
                            done == corpus.size() ? "done in " + Math.round(secs) + " s"
                                    : "about " + Math.round((corpus.size() - done) / rate) + " s left");
                    lastReport = now;
                }
            }
            writer.commit();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new EvalReport.Ingest(corpus.size(), chunks, round(secs, 1), round(corpus.size() / secs, 1), false);
    }

    private record ModeRun(EvalReport.ModeMetrics metrics, long outside, int queries) {}

    private static ModeRun runMode(BeirDataset dataset, Settings s, RetrievalMode mode, ServingConfig serving,
            ChunkSearcher searcher, OnnxEmbedder embedder, PrintStream progress) throws IOException {
        double ndcg = 0;
        double r10 = 0;
        double r100 = 0;
        double mrr = 0;
        long outside = 0;
        int n = 0;
        int degraded = 0;
        List<Double> latencies = new ArrayList<>();
        try (Retrieval retrieval = Retrieval.standalone(serving, searcher, embedder)) {
            List<Map.Entry<String, String>> queries = List.copyOf(dataset.queries().entrySet());
            for (int i = 0; i < Math.min(WARMUP_QUERIES, queries.size()); i++) {
                retrieval.retrieve(s.principal(), request(queries.get(i).getValue(), s, mode), "eval-warmup-" + i);
            }
            for (Map.Entry<String, String> q : queries) {
                RetrieveResponse response = retrieval.retrieve(s.principal(), request(q.getValue(), s, mode),
                        "eval-" + mode.apiName() + "-" + q.getKey());
                latencies.add(response.timingsMs().total());
                if (response.degraded().contains(Retrieval.EMBEDDING_UNAVAILABLE)) {
                    degraded++;
                }
                List<String> ranking = documentRanking(response.hits(), s.docScore());
                outside += ranking.stream().filter(d -> !s.acl().visible(d, s.principal())).count();
                Map<String, Integer> relevant = new LinkedHashMap<>(dataset.relevant(q.getKey()));
                relevant.keySet().removeIf(d -> !s.acl().visible(d, s.principal()));
                if (relevant.isEmpty()) {
                    continue; // nothing this principal may find; the query says nothing about quality
                }
                n++;
                ndcg += RelevanceMetrics.ndcg(ranking, relevant, 10);
                r10 += RelevanceMetrics.recall(ranking, relevant, 10);
                r100 += RelevanceMetrics.recall(ranking, relevant, 100);
                mrr += RelevanceMetrics.reciprocalRank(ranking, relevant, 10);
            }
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int count = Math.max(1, n);
        EvalReport.ModeMetrics m = new EvalReport.ModeMetrics(round(ndcg / count, 4), round(r10 / count, 4),
                round(r100 / count, 4), round(mrr / count, 4), percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), degraded);
        progress.printf("eval: %-7s nDCG@10 %.4f  Recall@10 %.4f  Recall@100 %.4f  MRR@10 %.4f  p50 %.1f ms  p95 %.1f ms"
                + " (%d queries%s)%n", mode.apiName(), m.ndcg10(), m.recall10(), m.recall100(), m.mrr10(), m.p50Ms(),
                m.p95Ms(), n, degraded > 0 ? ", " + degraded + " DEGRADED" : "");
        return new ModeRun(m, outside, n);
    }

    private static RetrieveRequest request(String query, Settings s, RetrievalMode mode) {
        return new RetrieveRequest(query, s.depth(), mode.apiName(), null);
    }

    /** Documents in rank order, from chunk hits ranked by score. */
    static List<String> documentRanking(List<RetrieveResponse.Hit> hits, DocScore docScore) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RetrieveResponse.Hit h : hits) {
            if (docScore == DocScore.MAX) {
                scores.putIfAbsent(h.documentId(), h.score()); // hits come best first
            } else {
                scores.merge(h.documentId(), h.score(), Double::sum);
            }
        }
        if (docScore == DocScore.MAX) {
            return List.copyOf(scores.keySet());
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(scores.entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return entries.stream().map(Map.Entry::getKey).toList();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : round(sorted[ChangeLatencyBench.nearestRank(sorted.length, p)], 2);
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static void clearIndex(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
