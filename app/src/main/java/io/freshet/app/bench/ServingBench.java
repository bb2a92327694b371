package io.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.schema.CommitData;
import io.freshet.index.schema.TextAnalysis;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.PermissionFilter;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.search.SearchFilters;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.serving.RetrievalService;
import io.freshet.serving.ServingConfig;
import io.freshet.serving.identity.LocalSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;

/**
 * The serving benchmark: a synthetic index of N chunks (384-dim vectors, BM25 text, ACLs of 1/10/50%
 * selectivity), an open-loop load generator on loopback against the real HTTP service, the same requests
 * run directly against the searcher in-process, and recall@10 of the vector part against exact search
 * under each filter.
 */
public final class ServingBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final int DIM = 384;
    static final long SEED = 42;
    static final int QUERIES = 2_000;

    private ServingBench() {}

    /** Builds the synthetic index in {@code dir} with {@code threads} indexing threads. */
    public static void build(Path dir, int chunks, VectorFormat format, int threads, int segments) throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(SEED, DIM, clusters(chunks));
        Files.createDirectories(dir);
        IndexWriterConfig iwc = new IndexWriterConfig(TextAnalysis.DEFAULT.analyzer())
                .setCodec(format.codec())
                .setRAMBufferSizeMB(1024)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setUseCompoundFile(false); // separate files, so the memory report can break them down
        iwc.getMergePolicy().setNoCFSRatio(0.0);
        long t0 = System.nanoTime();
        try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, iwc)) {
            AtomicInteger next = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                        IndexAction a = corpus.chunk(i);
                        try {
                            w.addDocuments(ChunkSchema.toLuceneDocuments(a));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        long n = done.incrementAndGet();
                        if (n % 100_000 == 0) {
                            System.out.printf("  %,d chunks indexed (%.0f s)%n", n, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
            pool.shutdown();
            System.out.printf("  added %,d chunks in %.0f s; merging to %d segment(s)%n", chunks,
                    (System.nanoTime() - t0) / 1e9, segments);
            w.forceMerge(segments);
            w.setLiveCommitData(new CommitData("0/" + Integer.toHexString(chunks), 1_700_000_000_000L + chunks * 1000L,
                    "synthetic-384", "synthetic", System.currentTimeMillis(), TextAnalysis.DEFAULT).toUserData().entrySet());
            w.commit();
        }
        System.out.printf("built %,d chunks (%s, %d segment(s)) in %.0f s at %s%n", chunks, format.configName(), segments,
                (System.nanoTime() - t0) / 1e9, dir);
    }

    static int clusters(int chunks) {
        return Math.max(16, chunks / 500);
    }

    /** Options of one benchmark run. */
    public record Options(Path index, List<Integer> rates, List<Integer> selectivities, Duration duration,
            Duration warmup, double rescoreOversample, boolean segmentParallel, int recallQueries, boolean loadProcess,
            LoadClient.Kind loadClient, Path out) {}

    /** Runs the load and recall measurements against the index in {@code o.index()}. */
    public static Map<String, Object> run(Options o) throws Exception {
        int chunks;
        try (FSDirectory d = FSDirectory.open(o.index()); DirectoryReader r = DirectoryReader.open(d)) {
            chunks = r.numDocs();
        }
        SyntheticCorpus corpus = new SyntheticCorpus(SEED, DIM, clusters(chunks));
        List<SyntheticCorpus.Query> queries = new ArrayList<>(QUERIES);
        Map<String, float[]> vectors = new HashMap<>();
        for (int q = 0; q < QUERIES; q++) {
            SyntheticCorpus.Query query = corpus.query(q);
            queries.add(query);
            vectors.put(query.text(), query.vector());
        }
        ExecutorService searchPool = o.segmentParallel() ? Executors.newFixedThreadPool(2) : null;
        VectorSearchOptions vso = VectorSearchOptions.DEFAULT.withRescore(o.rescoreOversample()).withExecutor(searchPool);
        Path keys = Files.createTempDirectory("freshet-bench-keys");
        LocalSigningKey key = LocalSigningKey.loadOrCreate(keys);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", Instant.now().toString());
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, JVM heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
        result.put("chunks", chunks);
        result.put("dimension", DIM);
        result.put("rescore_oversample", o.rescoreOversample());
        result.put("segment_parallel", o.segmentParallel());
        result.put("note", "query embeddings are cached (synthetic vectors looked up by query text); result cache off; "
                + "rate limit off; load generator " + (o.loadProcess() ? "in its own JVM" : "in the service's JVM")
                + ", open-loop, latency from the scheduled send time");
        result.put("load_process", o.loadProcess());
        result.put("load_client", o.loadClient().name().toLowerCase(java.util.Locale.ROOT));
        try (ChunkSearcher searcher = new ChunkSearcher(o.index(), vso)) {
            result.put("memory", memory(o.index(), chunks));
            result.put("segments", segments(o.index()));
            result.put("recall_at_10", recall(searcher, o.index(), queries, o.selectivities(), o.recallQueries(), 10));
            // a hybrid search (k 10) takes max(fusion depth 20, 10 x oversample) graph candidates and keeps the best 20
            // by full precision as its vector list; a vector search for 20 with oversample x 10 / 20 collects and keeps
            // exactly those (1: no rescoring, the same 20 in int8 order)
            int depth = Fusion.DEFAULT.candidates();
            double asHybrid = Math.max(1.0, o.rescoreOversample() * 10 / depth);
            try (ChunkSearcher hybridList = new ChunkSearcher(o.index(), vso.withRescore(asHybrid))) {
                result.put("hybrid_vector_list_recall_at_20", recall(hybridList, o.index(), queries, o.selectivities(),
                        o.recallQueries(), depth));
            }
            System.out.println("recall@10: " + result.get("recall_at_10") + "; the hybrid's vector list, recall@20: "
                    + result.get("hybrid_vector_list_recall_at_20"));
            ServingConfig config = ServingConfig.builder().port(0).jwt(key.settings(Duration.ofSeconds(30)))
                    .rateLimit(0, 1).resultCacheSize(0).embeddingCacheSize(QUERIES * 2)
                    .freshnessBound(Duration.ZERO).refreshInterval(Duration.ofSeconds(5)).build();
            Embedder embedder = new LookupEmbedder(vectors);
            List<Map<String, Object>> runs = new ArrayList<>();
            try (RetrievalService service = new RetrievalService(config, searcher, embedder)) {
                int port = service.start();
                URI uri = URI.create("http://127.0.0.1:" + port + "/v1/retrieve");
                Map<Integer, String> tokens = new HashMap<>();
                for (int s : o.selectivities()) {
                    Principal p = SyntheticCorpus.principal(s);
                    tokens.put(s, key.mint(p.subject(), List.copyOf(p.groups()), p.tenant(), Duration.ofHours(6)));
                }
                try (LoadClient http = LoadClient.create(o.loadClient(), uri)) {
                    // warm-up: every query once per principal (fills the embedding cache, JIT, page cache)
                    int qi = 0;
                    for (int s : o.selectivities()) {
                        openLoop(http, tokens.get(s), queries, 100, o.warmup(), qi);
                    }
                    NoiseFloor noise = new NoiseFloor();
                    for (int rate : o.rates()) {
                        for (int s : o.selectivities()) {
                            // interleave: raw Lucene, then the service, on the same queries
                            Map<String, Object> raw = raw(searcher, s, queries, Math.min(2_000, (int) (rate * o.duration().toSeconds())), qi);
                            Map<String, Object> rawOpen = rawOpenLoop(searcher, s, queries, rate, o.duration(), qi);
                            @SuppressWarnings("unchecked")
                            Map<String, Double> rawMs = (Map<String, Double>) raw.get("search_ms");
                            // the machine's own tail for a task costing the CPU a search costs, split over as many
                            // threads, on the same schedule
                            @SuppressWarnings("unchecked")
                            Map<String, Object> rawCpu = (Map<String, Object>) rawOpen.get("cpu");
                            double searchCpu = (Double) rawCpu.get("raw_cpu_ms_per_request");
                            Map<String, Object> floor = noise.run(searchCpu, searchPool == null ? 1 : 2, rate, o.duration());
                            Map<String, Object> svc;
                            if (o.loadProcess()) {
                                svc = loadInChildProcess(uri, tokens.get(s), chunks, rate, o.duration(), qi, o.loadClient());
                            } else {
                                CpuMeter serviceCpu = CpuMeter.start();
                                svc = openLoop(http, tokens.get(s), queries, rate, o.duration(), qi);
                                svc.put("cpu", serviceCpu.report((Integer) svc.get("requests"), "service_and_load_generator"));
                            }
                            qi += (int) (rate * o.duration().toSeconds());
                            Map<String, Object> run = new LinkedHashMap<>();
                            run.put("rate", rate);
                            run.put("selectivity_percent", s);
                            run.put("service", svc);
                            run.put("raw_lucene", raw);
                            run.put("raw_lucene_open_loop", rawOpen);
                            run.put("noise_floor", floor);
                            @SuppressWarnings("unchecked")
                            Map<String, Double> e2e = (Map<String, Double>) svc.get("end_to_end_ms");
                            @SuppressWarnings("unchecked")
                            Map<String, Double> floorMs = (Map<String, Double>) floor.get("latency_ms");
                            @SuppressWarnings("unchecked")
                            Map<String, Double> server = (Map<String, Double>) svc.get("server_ms");
                            @SuppressWarnings("unchecked")
                            Map<String, Double> openMs = (Map<String, Double>) rawOpen.get("search_ms");
                            ratios(run, "ratio", e2e, rawMs);
                            ratios(run, "server_ratio", server, rawMs);
                            ratios(run, "server_ratio_open_loop", server, openMs);
                            ratios(run, "ratio_open_loop", e2e, openMs);
                            ratios(run, "ratio_noise_floor", e2e, floorMs);
                            @SuppressWarnings("unchecked")
                            Map<String, Object> svcCpu = (Map<String, Object>) svc.get("cpu");
                            if (o.loadProcess()) { // the service's CPU per request against Lucene's alone, same load
                                run.put("cpu_ratio_service_to_raw", round((Double) svcCpu.get("service_cpu_ms_per_request")
                                        / searchCpu));
                            }
                            runs.add(run);
                            System.out.printf("  noise floor: a task of %.2f ms CPU on %s threads at %d/s: p50 %.2f p99 %.2f, %s of %s "
                                    + "over 20 ms (service e2e: %s); e2e/floor %.2f / %.2f%n", floor.get("task_cpu_ms"),
                                    floor.get("parallelism"), rate,
                                    floorMs.get("p50"), floorMs.get("p99"), floor.get("over_20_ms"), floor.get("requests"),
                                    svc.get("end_to_end_over_20_ms"), run.get("ratio_noise_floor_p50"),
                                    run.get("ratio_noise_floor_p99"));
                            System.out.printf("  raw open-loop at %d/s: p50 %.2f p99 %.2f; server/raw open-loop %.2f / %.2f, "
                                    + "e2e/raw open-loop %.2f / %.2f%n", rate, openMs.get("p50"), openMs.get("p99"),
                                    run.get("server_ratio_open_loop_p50"), run.get("server_ratio_open_loop_p99"),
                                    run.get("ratio_open_loop_p50"), run.get("ratio_open_loop_p99"));
                            System.out.printf("rate %d/s, %d%% visible: e2e p50 %.2f p95 %.2f p99 %.2f ms; server p50 %.2f p99 %.2f;"
                                    + " raw p50 %.2f p99 %.2f; e2e/raw %.2f / %.2f, server/raw %.2f / %.2f; errors %s, late %s%n"
                                    + "  cpu: service %s, raw open-loop %s%n",
                                    rate, s, e2e.get("p50"), e2e.get("p95"), e2e.get("p99"), server.get("p50"), server.get("p99"),
                                    rawMs.get("p50"), rawMs.get("p99"), run.get("ratio_p50"), run.get("ratio_p99"),
                                    run.get("server_ratio_p50"), run.get("server_ratio_p99"), svc.get("errors"), svc.get("sent_late"),
                                    svc.get("cpu"), rawOpen.get("cpu"));
                        }
                    }
                }
            }
            result.put("runs", runs);
        } finally {
            if (searchPool != null) {
                searchPool.shutdownNow();
            }
        }
        if (o.out() != null) {
            Files.createDirectories(o.out().toAbsolutePath().getParent());
            JSON.writeValue(o.out().toFile(), result);
            System.out.println("written to " + o.out());
        }
        return result;
    }

    /** The line the load process prints when its measured period starts (after its own warm-up). */
    private static final String MEASURING = "measuring";

    /**
     * Runs the open-loop load in a separate JVM ({@link #main}), so that the load generator does not share the
     * service's JVM (its threads, heap and GC); returns what that process measured, with this JVM's (the service's)
     * CPU over the measured period.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadInChildProcess(URI uri, String token, int chunks, int rate, Duration duration,
            int firstQuery, LoadClient.Kind client) throws IOException, InterruptedException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), ServingBench.class.getName(),
                uri.toString(), Integer.toString(chunks), Integer.toString(rate), Long.toString(duration.toSeconds()),
                Integer.toString(firstQuery), client.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().write((token + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        CpuMeter serviceCpu = null;
        StringBuilder out = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(MEASURING) && serviceCpu == null) {
                    serviceCpu = CpuMeter.start(); // the child's warm-up is not counted
                } else {
                    out.append(line).append('\n');
                }
            }
        }
        if (p.waitFor() != 0 || serviceCpu == null || out.indexOf("{") < 0) {
            throw new IOException("load process failed (exit " + p.exitValue() + "): " + out);
        }
        Map<String, Object> result = JSON.readValue(out.substring(out.indexOf("{")), Map.class);
        result.put("cpu", serviceCpu.report((Integer) result.get("requests"), "service"));
        return result;
    }

    /**
     * The load process: {@code <url> <chunks> <rate> <seconds> <first query> <client>}, the token on standard input;
     * prints {@value #MEASURING} when its measured period starts, then the measurements as JSON.
     */
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int chunks = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
        int first = Integer.parseInt(args[4]);
        LoadClient.Kind kind = LoadClient.Kind.parse(args[5]);
        String token = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine().trim();
        SyntheticCorpus corpus = new SyntheticCorpus(SEED, DIM, clusters(chunks));
        List<SyntheticCorpus.Query> queries = new ArrayList<>(QUERIES);
        for (int q = 0; q < QUERIES; q++) {
            queries.add(corpus.query(q));
        }
        LoadClient http = LoadClient.create(kind, uri);
        openLoop(http, token, queries, Math.min(rate, 50), Duration.ofSeconds(3), first); // JIT and connections
        System.out.println(MEASURING);
        System.out.flush();
        CpuMeter cpu = CpuMeter.start();
        Map<String, Object> result = openLoop(http, token, queries, rate, duration, first);
        result.put("load_generator_cpu_ms_per_request", cpu.processMillisPer((Integer) result.get("requests")));
        System.out.println(new ObjectMapper().writeValueAsString(result));
        System.exit(0);
    }

    /** Sends requests at {@code rate}/s for {@code duration}, open-loop; latency counts from the scheduled time. */
    private static Map<String, Object> openLoop(LoadClient http, String token, List<SyntheticCorpus.Query> queries,
            int rate, Duration duration, int firstQuery) throws Exception {
        int n = (int) (rate * duration.toSeconds());
        long interval = 1_000_000_000L / rate;
        ConcurrentLinkedQueue<double[]> samples = new ConcurrentLinkedQueue<>(); // e2e, embed, keyword, vector, fuse, total
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(n);
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        long start = System.nanoTime() + 10_000_000;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (-wait > 5_000_000) {
                late.incrementAndGet();
            }
            String q = queries.get((firstQuery + i) % queries.size()).text();
            // the body is read in full and dropped: the stage timings come from the Server-Timing header, so the
            // load generator spends no CPU parsing JSON on the cores it shares with the service
            http.send(token, "{\"query\": \"" + q + "\", \"k\": 10}", (status, timing) -> {
                try {
                    if (over.get()) {
                        return; // already counted as never answered
                    }
                    double e2e = (System.nanoTime() - due) / 1e6;
                    Map<String, Double> t = serverTiming(timing);
                    if (status != 200 || !t.keySet().containsAll(List.of("embed", "keyword", "vector", "fuse", "retrieval", "app"))) {
                        errors.incrementAndGet();
                    } else {
                        double app = t.get("app");
                        samples.add(new double[] {e2e, t.get("embed"), t.get("keyword"), t.get("vector"), t.get("fuse"),
                            t.get("retrieval"), app, e2e - app});
                    }
                } finally {
                    answered.countDown();
                }
            });
        }
        boolean all = answered.await(60, TimeUnit.SECONDS);
        over.set(true);
        if (!all) {
            errors.addAndGet((int) answered.getCount()); // never answered
        }
        List<double[]> answers = new ArrayList<>(samples);
        String[] names = {"end_to_end_ms", "embed_ms", "keyword_ms", "vector_ms", "fuse_ms", "retrieval_total_ms",
            "server_ms", "outside_server_ms"};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", n);
        out.put("errors", errors.get());
        out.put("sent_late", late.get());
        // failed and unanswered requests count as over
        out.put("end_to_end_over_20_ms", NoiseFloor.over(answers.stream().mapToDouble(x -> x[0]).toArray(),
                NoiseFloor.TARGET_MS) + errors.get());
        for (int c = 0; c < names.length; c++) {
            final int col = c;
            out.put(names[c], percentiles(answers.stream().mapToDouble(x -> x[col]).toArray()));
        }
        return out;
    }

    /**
     * The metrics of a {@code Server-Timing} value ({@code name;dur=ms;desc="..", ...}) that carry a duration;
     * metrics without one, or with a malformed one, are skipped.
     */
    static Map<String, Double> serverTiming(String header) {
        Map<String, Double> out = new HashMap<>();
        for (String metric : header.split(",")) {
            String[] params = metric.split(";");
            for (int i = 1; i < params.length; i++) {
                String[] kv = params[i].split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("dur")) {
                    try {
                        out.put(params[0].trim(), Double.parseDouble(kv[1].trim()));
                    } catch (NumberFormatException e) {
                        // skipped
                    }
                }
            }
        }
        return out;
    }

    /** The same hybrid searches, called directly on the searcher in this process, one at a time. */
    private static Map<String, Object> raw(ChunkSearcher searcher, int selectivity, List<SyntheticCorpus.Query> queries,
            int n, int firstQuery) throws IOException {
        Principal p = SyntheticCorpus.principal(selectivity);
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            SyntheticCorpus.Query q = queries.get((firstQuery + i) % queries.size());
            long t0 = System.nanoTime();
            searcher.search(new SearchRequest(p, q.text(), q.vector(), 10, RetrievalMode.HYBRID, SearchFilters.NONE,
                    Fusion.DEFAULT));
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", n);
        out.put("search_ms", percentiles(ms));
        return out;
    }

    /** Puts {@code name}_p50 and {@code name}_p99: {@code over} divided by {@code base}. */
    private static void ratios(Map<String, Object> run, String name, Map<String, Double> over, Map<String, Double> base) {
        for (String p : List.of("p50", "p99")) {
            run.put(name + "_" + p, round(over.get(p) / base.get(p)));
        }
    }

    /**
     * The same hybrid searches run directly on the searcher in this process, open-loop at {@code rate} (sent on a
     * fixed schedule to a pool of 8 threads, as the service's workers take requests; latency from the scheduled
     * time), so Lucene meets the same overlap of requests the service does, without HTTP, JSON or tokens.
     */
    private static Map<String, Object> rawOpenLoop(ChunkSearcher searcher, int selectivity,
            List<SyntheticCorpus.Query> queries, int rate, Duration duration, int firstQuery) throws Exception {
        Principal p = SyntheticCorpus.principal(selectivity);
        CpuMeter cpu = CpuMeter.start();
        double[] ms = NoiseFloor.openLoop(rate, duration, i -> {
            SyntheticCorpus.Query q = queries.get((firstQuery + i) % queries.size());
            try {
                searcher.search(new SearchRequest(p, q.text(), q.vector(), 10, RetrievalMode.HYBRID,
                        SearchFilters.NONE, Fusion.DEFAULT));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int n = ms.length;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", n);
        out.put("rate", rate);
        out.put("search_ms", percentiles(ms));
        out.put("cpu", cpu.report(n, "raw"));
        return out;
    }

    /**
     * Recall@k of a vector-mode search on {@code searcher} against exact search over the chunks each principal may
     * see, over the first {@code n} queries.
     */
    private static Map<String, Double> recall(ChunkSearcher searcher, Path index, List<SyntheticCorpus.Query> queries,
            List<Integer> selectivities, int n, int k) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        try (FSDirectory d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher is = new IndexSearcher(reader);
            for (int s : selectivities) {
                Principal p = SyntheticCorpus.principal(s);
                Weight filter = is.createWeight(is.rewrite(PermissionFilter.of(p)), ScoreMode.COMPLETE_NO_SCORES, 1f);
                double sum = 0;
                for (int q = 0; q < n; q++) {
                    float[] v = queries.get(q).vector();
                    Set<String> exact = KnnCostBench.exactTop(reader, filter, v, k);
                    List<ChunkHit> hits = searcher.search(SearchRequest.vector(p, v, k)).hits();
                    long found = hits.stream().filter(h -> exact.contains(h.chunkId())).count();
                    sum += found / (double) Math.min(k, exact.size());
                }
                out.put(s + "%", round(sum / n));
            }
        }
        return out;
    }

    private static Map<String, Object> memory(Path index, int chunks) throws IOException {
        Map<String, Long> byExt = new TreeMap<>();
        try (Stream<Path> files = Files.list(index)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String ext = dot < 0 ? name : name.substring(dot + 1);
                byExt.merge(ext, Files.size(f), Long::sum);
            }
        }
        long total = byExt.values().stream().mapToLong(Long::longValue).sum();
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("disk_bytes_per_chunk", round(total / (double) chunks));
        Map<String, Double> perExt = new TreeMap<>();
        byExt.forEach((ext, bytes) -> perExt.put(ext, round(bytes / (double) chunks)));
        out.put("disk_bytes_per_chunk_by_file_type", perExt);
        out.put("heap_used_after_open_bytes_per_chunk", round(heap.getUsed() / (double) chunks));
        out.put("note", "vec = float32 vectors (read only to rescore), veq = int8 vectors, vex = HNSW graph; the "
                + "search's hot set is veq + vex (+ vec when rescoring), served from the OS page cache");
        return out;
    }

    private static int segments(Path index) throws IOException {
        try (FSDirectory d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            return r.leaves().size();
        }
    }

    static Map<String, Double> percentiles(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        Map<String, Double> out = new LinkedHashMap<>();
        for (double p : new double[] {50, 95, 99}) {
            out.put("p" + (int) p, v.length == 0 ? Double.NaN : round(v[ChangeLatencyBench.nearestRank(v.length, p)]));
        }
        out.put("max", v.length == 0 ? Double.NaN : round(v[v.length - 1]));
        return out;
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    /** The query "model" of the benchmark: looks up the synthetic query vector by text. */
    private record LookupEmbedder(Map<String, float[]> vectors) implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (String t : texts) {
                float[] v = vectors.get(t);
                if (v == null) {
                    throw new IllegalArgumentException("no synthetic vector for query '" + t + "'");
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public int dimension() {
            return DIM;
        }

        @Override
        public String modelId() {
            return "synthetic-384";
        }
    }
}
