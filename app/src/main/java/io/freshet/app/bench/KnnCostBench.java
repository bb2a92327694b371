package io.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.freshet.core.Principal;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.PermissionFilter;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.search.SearchFilters;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.VectorSearchOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * What one filtered kNN costs, by how many chunks the caller's filter admits: the CPU time of each search
 * (on the calling thread, no other load) through the graph and through exact scoring, in vector and hybrid
 * mode, and the graph's recall@10 against exact search. It is how {@link VectorSearchOptions#DEFAULT}'s
 * exact-search bound was chosen. A filter is a synthetic principal's (1, 10 or 50% of the chunks) optionally
 * narrowed to the first fraction of the chunks by update time (a caller's time-range filter), which gives
 * the sizes in between.
 */
public final class KnnCostBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KnnCostBench() {}

    /** A filter: the principal of {@code selectivity} percent, narrowed to the first {@code fraction} of chunks. */
    public record FilterSpec(int selectivity, double fraction) {
        public FilterSpec {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1]; got " + fraction);
            }
        }

        /** Parses {@code 10} or {@code 50:0.04}. */
        public static FilterSpec parse(String s) {
            String[] parts = s.trim().split(":");
            try {
                int sel = Integer.parseInt(parts[0]);
                if (java.util.Arrays.stream(SyntheticCorpus.SELECTIVITIES).noneMatch(x -> x == sel) || parts.length > 2) {
                    throw new IllegalArgumentException();
                }
                return new FilterSpec(sel, parts.length == 2 ? Double.parseDouble(parts[1]) : 1.0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a filter is SELECTIVITY[:FRACTION] with selectivity 1, 10 or 50 "
                        + "and fraction in (0, 1]; got '" + s + "'");
            }
        }

        SearchFilters filters(int chunks) {
            if (fraction >= 1) {
                return SearchFilters.NONE;
            }
            long first = Math.max(1, (long) (fraction * chunks)); // chunks in the range, at least one
            long last = SyntheticCorpus.FIRST_UPDATE_MILLIS + first * SyntheticCorpus.UPDATE_STEP_MILLIS;
            return new SearchFilters(Set.of(), Map.of(), SyntheticCorpus.FIRST_UPDATE_MILLIS, last - 1);
        }

        @Override
        public String toString() {
            return fraction >= 1 ? selectivity + "%" : selectivity + "% x " + fraction;
        }
    }

    /** Runs every filter, {@code rounds} times interleaved, {@code queries} queries each, and writes {@code out}. */
    public static Map<String, Object> run(Path index, List<FilterSpec> specs, int queries, int rounds, Path out)
            throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", Instant.now().toString());
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version"));
        result.put("note", "CPU time per search on the calling thread (thread CPU clock), one search at a time, no executor; "
                + "graph = Lucene's filtered HNSW (default strategy) with rescoring of k x 2 candidates on int8 segments; "
                + "exact = every admitted chunk scored with its float vector; k = 10, hybrid fuses 20 candidates per list; "
                + "default = the shipped options (exact scoring up to 40,000 admitted chunks, by Lucene's estimate, counted "
                + "when near it); hybrid_graph40 = the graph taking 40 candidates for those 20 (fusion depth x oversample, "
                + "the rule before)");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (FSDirectory d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d);
                ChunkSearcher graph = new ChunkSearcher(index, VectorSearchOptions.DEFAULT.withExactMaxCandidates(0));
                ChunkSearcher exact = new ChunkSearcher(index,
                        VectorSearchOptions.DEFAULT.withExactMaxCandidates(Integer.MAX_VALUE));
                ChunkSearcher shipped = new ChunkSearcher(index, VectorSearchOptions.DEFAULT);
                // before: a hybrid search took fusion depth x oversample graph candidates (20 x 2 = 40); with
                // oversample 4 the rule max(depth, k x oversample) takes the same 40
                ChunkSearcher graph40 = new ChunkSearcher(index,
                        VectorSearchOptions.DEFAULT.withRescore(4).withExactMaxCandidates(0))) {
            Map<String, ChunkSearcher> strategies = new LinkedHashMap<>();
            strategies.put("graph", graph);
            strategies.put("exact", exact);
            strategies.put("default", shipped);
            int chunks = reader.numDocs();
            result.put("chunks", chunks);
            result.put("queries", queries);
            result.put("rounds", rounds);
            SyntheticCorpus corpus = new SyntheticCorpus(ServingBench.SEED, ServingBench.DIM, ServingBench.clusters(chunks));
            List<SyntheticCorpus.Query> qs = new ArrayList<>();
            for (int q = 0; q < queries; q++) {
                qs.add(corpus.query(q));
            }
            for (FilterSpec spec : specs) {
                Principal p = SyntheticCorpus.principal(spec.selectivity());
                SearchFilters filters = spec.filters(chunks);
                Query filter = PermissionFilter.of(p, filters);
                IndexSearcher is = new IndexSearcher(reader);
                int admitted = is.count(filter);
                Map<String, List<Double>> micros = new LinkedHashMap<>();
                int found = 0;
                int wanted = 0;
                for (int round = 0; round < rounds; round++) {
                    for (RetrievalMode mode : List.of(RetrievalMode.VECTOR, RetrievalMode.HYBRID)) {
                        Map<String, ChunkSearcher> tried = new LinkedHashMap<>(strategies);
                        if (mode == RetrievalMode.HYBRID) {
                            tried.put("graph40", graph40);
                        }
                        for (var t : tried.entrySet()) {
                            String strategy = t.getKey();
                            ChunkSearcher searcher = t.getValue();
                            List<Double> times = micros.computeIfAbsent(mode.name().toLowerCase(java.util.Locale.ROOT)
                                    + "_" + strategy, k -> new ArrayList<>());
                            for (SyntheticCorpus.Query q : qs) {
                                long c0 = cpu.getCurrentThreadCpuTime();
                                searcher.search(new SearchRequest(p, q.text(), q.vector(), 10, mode, filters, Fusion.DEFAULT));
                                times.add((cpu.getCurrentThreadCpuTime() - c0) / 1e3);
                            }
                        }
                    }
                }
                int recallQueries = Math.min(queries, 100);
                Weight w = is.createWeight(is.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
                for (int q = 0; q < recallQueries; q++) {
                    Set<String> truth = exactTop(reader, w, qs.get(q).vector(), 10);
                    for (ChunkHit h : graph.search(new SearchRequest(p, null, qs.get(q).vector(), 10,
                            RetrievalMode.VECTOR, filters, Fusion.DEFAULT)).hits()) {
                        found += truth.contains(h.chunkId()) ? 1 : 0;
                    }
                    wanted += Math.min(10, truth.size());
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("filter", spec.toString());
                row.put("admitted", admitted);
                StringBuilder line = new StringBuilder(String.format("%-12s %,8d admitted, ms CPU p50/p99:", spec, admitted));
                for (var e : micros.entrySet()) {
                    double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                    Map<String, Double> ms = new LinkedHashMap<>();
                    ServingBench.percentiles(v).forEach((k, x) -> ms.put(k, Math.round(x / 10.0) / 100.0)); // us -> ms
                    row.put(e.getKey() + "_cpu_ms", ms);
                    line.append(String.format(" %s %.2f/%.2f", e.getKey(), ms.get("p50"), ms.get("p99")));
                }
                double recall = wanted == 0 ? 1.0 : Math.round(1000.0 * found / wanted) / 1000.0;
                row.put("graph_recall_at_10", recall);
                rows.add(row);
                System.out.println(line + "; graph recall@10 " + recall);
            }
        }
        result.put("filters", rows);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            JSON.writeValue(out.toFile(), result);
            System.out.println("written to " + out);
        }
        return result;
    }

    /** Chunk ids of the {@code k} admitted chunks nearest {@code v}, by brute force over the float vectors. */
    static Set<String> exactTop(DirectoryReader reader, Weight filter, float[] v, int k) throws java.io.IOException {
        PriorityQueue<Object[]> top = new PriorityQueue<>((a, b) -> Float.compare((float) a[0], (float) b[0]));
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(ChunkSchema.VECTOR);
            Scorer scorer = filter.scorer(leaf);
            if (values == null || scorer == null) {
                continue;
            }
            KnnVectorValues.DocIndexIterator it = values.iterator();
            DocIdSetIterator allowed = scorer.iterator();
            org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
            for (int doc = allowed.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = allowed.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                if (it.docID() < doc) {
                    it.advance(doc);
                }
                if (it.docID() != doc) {
                    continue;
                }
                float score = VectorUtil.dotProduct(v, values.vectorValue(it.index()));
                if (top.size() < k || score > (float) top.peek()[0]) {
                    top.add(new Object[] {score, leaf.docBase + doc});
                    if (top.size() > k) {
                        top.poll();
                    }
                }
            }
        }
        Set<String> ids = new HashSet<>();
        var stored = reader.storedFields();
        for (Object[] e : top) {
            ids.add(stored.document((int) e[1], Set.of(ChunkSchema.CHUNK_ID)).get(ChunkSchema.CHUNK_ID));
        }
        return ids;
    }
}
