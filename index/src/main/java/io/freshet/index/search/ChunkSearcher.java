package io.freshet.index.search;

import io.freshet.core.pii.PiiPolicy;
import java.util.Objects;

import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.schema.ChunkSchema;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.schema.CommitData;
import io.freshet.index.schema.TextAnalysis;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocAndFloatFeatureBuffer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Searches the latest commit of a chunk index under a caller's permissions: BM25, kNN, or both fused by
 * reciprocal rank. {@link #refresh} picks up new commits without a restart (call it periodically); searches
 * in flight keep the reader they started with, so every result comes wholly from one commit.
 *
 * <p>Thread-safe.
 */
public final class ChunkSearcher implements Closeable {

    /**
     * Distinct query terms BM25 scores at most (the rest of a very long query is ignored): each counts twice toward
     * Lucene's limit of 1,024 clauses per query (text and title), which the permission filter shares.
     */
    static final int MAX_QUERY_TERMS = 400;

    /** How {@link #keywordQuery} scores chunks, as evaluation reports record it. */
    public static final String KEYWORD_SCORING = "bm25f(text=1,title=1)";

    private final VectorSearchOptions vectorOptions;
    /** Query analysis per text analysis: a query is analysed the way the commit it runs on was indexed. */
    private final Map<TextAnalysis, Analyzer> analyzers = new EnumMap<>(TextAnalysis.class);

    {
        for (TextAnalysis a : TextAnalysis.values()) {
            analyzers.put(a, a.analyzer()); // built once; analyzers are thread-safe
        }
    }
    private final ViewSource source;
    /**
     * A view with the permissions that apply to it; replaced as one, so a search never mixes two. The version
     * changes with either (result caches key on it).
     */
    private record Served(ServedView view, AclStore.Overlay overlay, long version) {}

    private volatile Served served; // null until the first commit exists
    private long versions;
    private final Object refreshLock = new Object();

    /** Opens the plain Lucene index in {@code dir}; the directory may not hold a commit yet. */
    public ChunkSearcher(Path dir) throws IOException {
        this(dir, VectorSearchOptions.DEFAULT);
    }

    /** Opens the plain Lucene index in {@code dir} with the given kNN options. */
    public ChunkSearcher(Path dir, VectorSearchOptions vectorOptions) throws IOException {
        this(new DirectoryViewSource(dir), vectorOptions);
    }

    /** Serves the live point of {@code root} (see {@link IndexRoot}). */
    public static ChunkSearcher forIndexRoot(IndexRoot root, VectorSearchOptions vectorOptions) throws IOException {
        return new ChunkSearcher(new GenerationViewSource(root), vectorOptions);
    }

    private ChunkSearcher(ViewSource source, VectorSearchOptions vectorOptions) throws IOException {
        this.source = source;
        this.vectorOptions = vectorOptions;
        refresh();
    }

    /**
     * Switches to what should be served now if it changed: the newest commit of a plain index, or the
     * manifest's live point of an index root. Searches in flight finish on the view they started with.
     * Returns true when a new view is now served.
     */
    public boolean refresh() throws IOException {
        synchronized (refreshLock) {
            Served current = served;
            ServedView next = source.next(current == null ? null : current.view(), versions + 1);
            if (next == null) {
                if (current != null) { // same content; permissions may have changed
                    AclStore.Overlay overlay = source.overlay(current.view(), current.overlay());
                    if (overlay != current.overlay()) {
                        served = new Served(current.view(), overlay, ++versions);
                    }
                }
                return false;
            }
            AclStore.Overlay overlay;
            try {
                overlay = source.overlay(next, null);
            } catch (IOException | RuntimeException e) {
                next.release();
                throw e;
            }
            versions = Math.max(versions + 1, next.version());
            served = new Served(next, overlay, versions);
            if (current != null) {
                current.view().release();
            }
            return true;
        }
    }

    /**
     * The version of the view now served ({@link SearchResult#commitGeneration()}), or -1 before the first.
     * A search that starts after this call may see a newer one.
     */
    public long servedGeneration() {
        Served s = served;
        return s == null ? -1 : s.version();
    }

    /** The commit point now served ({@code <generation>@<run>.<checkpoint>}); empty for a plain index. */
    public String servedPoint() {
        Served s = served;
        return s == null ? "" : s.view().point();
    }

    /** The index root this searcher follows ({@link #forIndexRoot}); empty for a plain index directory. */
    public Optional<IndexRoot> indexRoot() {
        return source.indexRoot();
    }

    /** True once a commit is loaded. */
    public boolean hasCommit() {
        return served != null;
    }

    /**
     * Runs {@code request} against the served commit. Every retriever is restricted by the caller's
     * permission filter (narrowed by the request's metadata filters) before it ranks anything, so exactly k
     * permitted chunks come back when at least k exist.
     */
    public SearchResult search(SearchRequest request) throws IOException {
        Served s = acquire();
        if (s == null) {
            return SearchResult.empty();
        }
        ServedView v = s.view();
        try {
            IndexSearcher searcher = new IndexSearcher(v.reader(), vectorOptions.executor());
            Query filter = PermissionFilter.of(request.principal(), request.filters(), s.overlay());
            CommitData commit = v.lineage();
            TextAnalysis analysis = commit.analysis();
            RetrievalMode mode = request.mode();
            int depth = mode == RetrievalMode.HYBRID ? Math.max(request.k(), request.fusion().candidates()) : request.k();
            boolean links = hasLinks(v.reader());
            boolean grouped = links || mode == RetrievalMode.HYBRID && request.fusion().perDocument();
            if (grouped) {
                depth = Math.max(depth, 2 * request.k()); // copies fold into their canonical's hit, chunks into documents
            }
            Lists lists = retrieve(searcher, analysis, request, filter, depth);
            long fuseNanos = 0;
            List<ChunkHit> hits;
            while (true) {
                long f0 = System.nanoTime();
                hits = fuse(searcher, request, lists.keyword(), lists.vector(), links ? filter : null);
                fuseNanos += System.nanoTime() - f0;
                if (!grouped || hits.size() >= request.k() || depth >= MAX_DEPTH
                        || lists.keyword().length < depth && lists.vector().length < depth) {
                    break;
                }
                // copies or a document's other chunks crowded the candidates out, and more exist: look deeper
                depth = Math.min(MAX_DEPTH, 4 * depth);
                Lists deeper = retrieve(searcher, analysis, request, filter, depth);
                lists = new Lists(deeper.keyword(), deeper.vector(), lists.keywordNanos() + deeper.keywordNanos(),
                        lists.vectorNanos() + deeper.vectorNanos());
            }
            return new SearchResult(hits, s.version(), v.point(), commit, lists.keywordNanos(), lists.vectorNanos(),
                    fuseNanos);
        } finally {
            v.decRef();
        }
    }

    /** Each retriever's candidates, best first, and the time each took. */
    private record Lists(ScoreDoc[] keyword, ScoreDoc[] vector, long keywordNanos, long vectorNanos) {}

    private Lists retrieve(IndexSearcher searcher, TextAnalysis analysis, SearchRequest request, Query filter, int depth)
            throws IOException {
        RetrievalMode mode = request.mode();
        if (mode == RetrievalMode.HYBRID && vectorOptions.executor() != null) {
            // the two retrievers are independent: BM25 on the pool while kNN runs here
            FutureTask<Timed> bm25 = offload(
                    () -> timed(() -> keyword(searcher, analysis, request.text(), filter, depth)));
            try {
                Timed knn = timed(() -> vector(searcher, request.vector(), filter, depth, request.k()));
                // if no pool thread has taken BM25 yet (the pool is busy with other requests), run it here rather
                // than wait behind them; a task already started or done makes this a no-op
                bm25.run();
                Timed kw = join(bm25);
                return new Lists(kw.docs(), knn.docs(), kw.nanos(), knn.nanos());
            } finally {
                bm25.cancel(false); // kNN failed: BM25 must not run later against a released view
            }
        }
        Timed kw = mode.usesKeyword() ? timed(() -> keyword(searcher, analysis, request.text(), filter, depth)) : NONE;
        Timed knn = mode.usesVector() ? timed(() -> vector(searcher, request.vector(), filter, depth, request.k())) : NONE;
        return new Lists(kw.docs(), knn.docs(), kw.nanos(), knn.nanos());
    }

    /** True when some chunk of {@code reader} is a linked copy ({@link ChunkSchema#LINKED_TO_KEY}). */
    private static boolean hasLinks(org.apache.lucene.index.IndexReader reader) {
        for (LeafReaderContext leaf : reader.leaves()) {
            if (leaf.reader().getFieldInfos().fieldInfo(LINKED_FIELD) != null) {
                return true;
            }
        }
        return false;
    }

    /** True when some segment of {@code reader} holds quantized vectors ({@link VectorFormat#isQuantized}). */
    private static boolean quantized(org.apache.lucene.index.IndexReader reader) {
        for (LeafReaderContext leaf : reader.leaves()) {
            if (VectorFormat.isQuantized(leaf.reader().getFieldInfos().fieldInfo(ChunkSchema.VECTOR))) {
                return true;
            }
        }
        return false;
    }

    private static final String LINKED_FIELD = ChunkSchema.METADATA_PREFIX + ChunkSchema.LINKED_TO_KEY;
    /** Candidates per retriever at most, when grouping hits makes a search look deeper. */
    static final int MAX_DEPTH = 10_000;
    /** Ids listed per hit at most as its duplicates. */
    static final int MAX_DUPLICATES = 100;
    private static final Timed NONE = new Timed(new ScoreDoc[0], 0);

    private record Timed(ScoreDoc[] docs, long nanos) {}

    @FunctionalInterface
    private interface Retriever {
        ScoreDoc[] run() throws IOException;
    }

    private static Timed timed(Retriever retriever) {
        long t0 = System.nanoTime();
        try {
            ScoreDoc[] docs = retriever.run();
            return new Timed(docs, Math.max(1, System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hands {@code work} to the search pool and returns it as a task the caller later runs itself if no pool thread
     * has started it ({@link FutureTask#run} is then a no-op), joins, and cancels when it gives up (so a queued task
     * never runs against a released view). A pool that refuses the task leaves it to the caller.
     */
    private <T> FutureTask<T> offload(java.util.concurrent.Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        try {
            vectorOptions.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // the caller runs it
        }
        return task;
    }

    private static <T> T join(FutureTask<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a search task");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * The BM25 query for {@code text}, or null if it has no terms. Chunk text and title are scored as one
     * document (BM25F, Lucene's {@link CombinedFieldQuery}, both fields weighted 1): a term's frequencies and the
     * fields' lengths add up before saturation, so a term in the title and the text counts once, with more weight,
     * instead of two separately saturated scores. On BEIR SciFact this gives keyword nDCG@10 0.6830 against
     * 0.6712 for the sum of text and half of title scores (BENCHMARKS.md).
     */
    Query keywordQuery(TextAnalysis analysis, String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream tokens = analyzers.get(analysis).tokenStream(ChunkSchema.TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                String t = term.toString();
                if (counts.containsKey(t) || counts.size() < MAX_QUERY_TERMS) {
                    counts.merge(t, 1, Integer::sum);
                }
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysing a String does no I/O
        }
        if (counts.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        counts.forEach((t, count) -> {
            Query q = new CombinedFieldQuery.Builder(t)
                    .addField(ChunkSchema.TEXT, 1f)
                    .addField(ChunkSchema.TITLE, 1f)
                    .build();
            // a repeated term scores as often as it is repeated, in one clause
            b.add(count == 1 ? q : new BoostQuery(q, count), BooleanClause.Occur.SHOULD);
        });
        return b.build();
    }

    private ScoreDoc[] keyword(IndexSearcher searcher, TextAnalysis analysis, String text, Query filter, int n)
            throws IOException {
        Query scoring = keywordQuery(analysis, text);
        if (scoring == null) {
            return new ScoreDoc[0]; // only stop words: nothing for BM25 to rank
        }
        Query q = new BooleanQuery.Builder()
                .add(scoring, BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
        return searcher.search(q, n).scoreDocs;
    }

    /**
     * The best n chunks by vector similarity among those {@code filter} admits. On quantized segments the graph
     * collects at least {@code k * oversample} candidates (k the hits the caller asked for) and they are re-ranked
     * by full precision: a hybrid search's fusion depth already exceeds k, so it is not multiplied again.
     */
    private ScoreDoc[] vector(IndexSearcher searcher, float[] vector, Query filter, int n, int k) throws IOException {
        if (vectorOptions.exactMaxCandidates() > 0) {
            // estimate the filter's size without materializing it; the graph path builds its own
            Weight weight = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            ScorerSupplier[] filters = new ScorerSupplier[leaves.size()];
            long candidates = 0;
            for (int i = 0; i < filters.length; i++) {
                filters[i] = weight.scorerSupplier(leaves.get(i));
                candidates += filters[i] == null ? 0 : filters[i].cost();
            }
            int max = vectorOptions.exactMaxCandidates();
            if (candidates <= max) {
                return exact(leaves, filters, vector, n);
            }
            // a conjunction's estimate is its cheapest clause's (a time range, say), often far above what it admits:
            // near the bound, count the admitted chunks, stopping past the bound
            if (candidates <= EXACT_COUNT_FACTOR * max && admittedAtMost(weight, leaves, max) <= max) {
                for (int i = 0; i < filters.length; i++) {
                    filters[i] = weight.scorerSupplier(leaves.get(i)); // the count consumed the first ones
                }
                return exact(leaves, filters, vector, n);
            }
        }
        KnnSearchStrategy strategy = new KnnSearchStrategy.Hnsw(vectorOptions.filteredSearchThreshold());
        Query q;
        if (vectorOptions.rescores() && quantized(searcher.getIndexReader())) {
            int candidates = Math.max(n, (int) Math.ceil(k * vectorOptions.rescoreOversample()));
            q = RescoreTopNQuery.createFullPrecisionRescorerQuery(
                    new KnnFloatVectorQuery(ChunkSchema.VECTOR, vector, candidates, filter, strategy),
                    vector, ChunkSchema.VECTOR, n);
        } else {
            q = new KnnFloatVectorQuery(ChunkSchema.VECTOR, vector, n, filter, strategy);
        }
        return searcher.search(q, n).scoreDocs;
    }

    /** How far above the exact-search bound a filter's cost estimate may be for its chunks to be counted. */
    static final int EXACT_COUNT_FACTOR = 4;

    /** The live chunks {@code filter} admits, counted up to {@code max + 1}. */
    private static long admittedAtMost(Weight filter, List<LeafReaderContext> leaves, int max) throws IOException {
        long n = 0;
        for (LeafReaderContext leaf : leaves) {
            Scorer scorer = filter.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if ((live == null || live.get(doc)) && ++n > max) {
                    return n;
                }
            }
        }
        return n;
    }

    /**
     * Scores every chunk the filter admits with its full-precision vector (Lucene's bulk scorer) and returns
     * the best n. Measured on 1M chunks, 384 dims: about 0.2-0.3 us per admitted chunk, bound by reading the
     * float vectors; the int8 scorer was slower per chunk, so the quantized copy is not used here. With a search
     * pool, segments are scored in parallel (the caller scores the first, and any the pool has not started by
     * then); the answer is the same either way: the best n by score, ties to the lower doc id.
     */
    private ScoreDoc[] exact(List<LeafReaderContext> leaves, ScorerSupplier[] filters, float[] vector, int n)
            throws IOException {
        List<Integer> admitting = new ArrayList<>(filters.length);
        for (int i = 0; i < filters.length; i++) {
            if (filters[i] != null) {
                admitting.add(i);
            }
        }
        List<FutureTask<List<ScoreDoc>>> others = new ArrayList<>();
        if (vectorOptions.executor() != null) {
            for (int i : admitting.subList(Math.min(1, admitting.size()), admitting.size())) {
                others.add(offload(() -> exactLeaf(leaves.get(i), filters[i], vector, n)));
            }
        }
        PriorityQueue<ScoreDoc> top = new PriorityQueue<>(n + 1, WORST_FIRST);
        try {
            int here = others.isEmpty() ? admitting.size() : 1; // the segments this thread scores first
            for (int i : admitting.subList(0, here)) {
                offerAll(top, exactLeaf(leaves.get(i), filters[i], vector, n), n);
            }
            for (FutureTask<List<ScoreDoc>> task : others) {
                task.run(); // those the pool has not started yet; a no-op for the others
            }
            for (FutureTask<List<ScoreDoc>> task : others) {
                offerAll(top, join(task), n);
            }
        } finally {
            // after a failure, tasks still queued must not run against a view the search is about to release
            others.forEach(task -> task.cancel(false));
        }
        ScoreDoc[] out = new ScoreDoc[top.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = top.poll();
        }
        return out;
    }

    /** Orders hits worst first: lower score, then (same score) higher doc id. */
    private static final Comparator<ScoreDoc> WORST_FIRST = (a, b) -> a.score != b.score
            ? Float.compare(a.score, b.score) : Integer.compare(b.doc, a.doc);

    /** Keeps the best n of {@code top} and {@code hits}. */
    private static void offerAll(PriorityQueue<ScoreDoc> top, List<ScoreDoc> hits, int n) {
        for (ScoreDoc hit : hits) {
            if (top.size() < n) {
                top.add(hit);
            } else if (WORST_FIRST.compare(hit, top.peek()) > 0) {
                top.poll();
                top.add(hit);
            }
        }
    }

    /** The best n chunks of one segment that its filter admits, by full-precision similarity (doc ids top-level). */
    private static List<ScoreDoc> exactLeaf(LeafReaderContext leaf, ScorerSupplier filter, float[] vector, int n)
            throws IOException {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(ChunkSchema.VECTOR);
        if (values == null) {
            return List.of();
        }
        PriorityQueue<ScoreDoc> top = new PriorityQueue<>(n + 1, WORST_FIRST);
        DocAndFloatFeatureBuffer buffer = new DocAndFloatFeatureBuffer();
        VectorScorer.Bulk bulk = values.rescorer(vector).bulk(filter.get(Long.MAX_VALUE).iterator());
        Bits live = leaf.reader().getLiveDocs();
        while (true) {
            bulk.nextDocsAndScores(DocIdSetIterator.NO_MORE_DOCS, live, buffer);
            if (buffer.size == 0) {
                break;
            }
            for (int j = 0; j < buffer.size; j++) {
                float score = buffer.features[j];
                if (top.size() < n) {
                    top.add(new ScoreDoc(leaf.docBase + buffer.docs[j], score));
                } else if (score > top.peek().score) { // docs come in order: a tie loses to the earlier doc
                    top.poll();
                    top.add(new ScoreDoc(leaf.docBase + buffer.docs[j], score));
                }
            }
        }
        return new ArrayList<>(top);
    }

    /**
     * Ranks the candidates and loads the best k. With {@code linkFilter} (the index holds linked copies), a copy
     * folds into the hit of the first-ranked document of its group, and each hit lists the group's other
     * documents that pass {@code linkFilter}.
     */
    private static List<ChunkHit> fuse(IndexSearcher searcher, SearchRequest request, ScoreDoc[] keyword,
            ScoreDoc[] vector, Query linkFilter) throws IOException {
        Fusion fusion = request.fusion();
        boolean hybrid = request.mode() == RetrievalMode.HYBRID;
        var stored = searcher.storedFields();
        java.util.function.IntFunction<Object> keyOf = doc -> doc; // the chunk
        if (hybrid && fusion.perDocument()) {
            Map<Integer, String> ids = new java.util.HashMap<>();
            java.util.Set<String> wanted = java.util.Set.of(ChunkSchema.DOC_ID);
            for (ScoreDoc[] list : List.of(keyword, vector)) {
                for (ScoreDoc sd : list) {
                    if (!ids.containsKey(sd.doc)) {
                        ids.put(sd.doc, stored.document(sd.doc, wanted).get(ChunkSchema.DOC_ID));
                    }
                }
            }
            keyOf = ids::get;
            keyword = bestPerKey(keyword, keyOf);
            vector = bestPerKey(vector, keyOf);
        }
        Map<Object, Fused> byDoc = new LinkedHashMap<>();
        for (int i = 0; i < keyword.length; i++) {
            Fused f = byDoc.computeIfAbsent(keyOf.apply(keyword[i].doc), k -> new Fused());
            f.offer(keyword[i].doc, i + 1);
            f.keyword = new ChunkHit.RetrieverScore(keyword[i].score, i + 1);
        }
        for (int i = 0; i < vector.length; i++) {
            Fused f = byDoc.computeIfAbsent(keyOf.apply(vector[i].doc), k -> new Fused());
            f.offer(vector[i].doc, i + 1);
            f.vector = new ChunkHit.RetrieverScore(vector[i].score, i + 1);
        }
        addScores(byDoc, keyword, keyOf, hybrid, fusion, fusion.keywordWeight());
        addScores(byDoc, vector, keyOf, hybrid, fusion, fusion.vectorWeight());
        List<Fused> ranked = new ArrayList<>(byDoc.values());
        // ties (equal fused score) go to the better best rank, then to the lower doc id, for stable answers
        ranked.sort(Comparator.comparingDouble((Fused f) -> -f.score).thenComparingInt(Fused::bestRank)
                .thenComparingInt(f -> f.doc));
        if (linkFilter == null) {
            List<ChunkHit> hits = new ArrayList<>(Math.min(request.k(), ranked.size()));
            for (Fused f : ranked.subList(0, Math.min(request.k(), ranked.size()))) {
                hits.add(toHit(stored.document(f.doc), f));
            }
            return hits;
        }
        // a linked copy (or its canonical) ranked below another document of its group folds into that one's hit
        Map<String, List<Rep>> reps = new LinkedHashMap<>();
        List<ChunkHit> hits = new ArrayList<>(request.k());
        for (Fused f : ranked) {
            if (hits.size() == request.k()) {
                break;
            }
            Document d = stored.document(f.doc);
            Member m = Member.of(d);
            List<Rep> group = reps.computeIfAbsent(m.group(), g -> new ArrayList<>());
            Rep own = null;
            Rep into = null;
            for (Rep r : group) {
                if (r.member.id().equals(m.id())) {
                    own = r;
                } else if (r.others.contains(m.id()) || into == null && m.foldsInto(r.member)) {
                    into = r;
                }
            }
            if (own == null && into != null) {
                into.others.add(m.id());
                continue;
            }
            if (own == null) {
                group.add(new Rep(m, hits.size()));
            }
            hits.add(toHit(d, f)); // a document's other chunks are served as usual
        }
        addMembers(searcher, reps, linkFilter);
        for (List<Rep> group : reps.values()) {
            for (Rep r : group) {
                if (!r.others.isEmpty()) {
                    hits.set(r.hit, hits.get(r.hit).withDuplicates(r.others.stream().limit(MAX_DUPLICATES).toList()));
                }
            }
        }
        return hits;
    }

    /** What folding needs of a chunk's document. */
    private record Member(String id, String group, boolean near, String body) {
        static Member of(Document d) {
            String id = d.get(ChunkSchema.DOC_ID);
            String linked = d.get(LINKED_FIELD);
            return new Member(id, linked != null ? linked : id,
                    "near".equals(d.get(ChunkSchema.METADATA_PREFIX + ChunkSchema.DUPLICATE_KEY)),
                    d.get(ChunkSchema.METADATA_PREFIX + ChunkSchema.DUPLICATE_GROUP_KEY));
        }

        /**
         * True when this document, of the same group, is served by {@code rep}'s hit: either is a near copy, or
         * both have the same body (an exact copy never folds into a canonical edited since).
         */
        boolean foldsInto(Member rep) {
            // a document indexed before bodies were hashed (another mode, an older version) folds as linked
            return near || rep.near || body == null || rep.body == null || body.equals(rep.body);
        }
    }

    /** A document served for its group, the index of its first hit, and the documents folded into it. */
    private static final class Rep {
        final Member member;
        final int hit;
        final java.util.TreeSet<String> others = new java.util.TreeSet<>();

        Rep(Member member, int hit) {
            this.member = member;
            this.hit = hit;
        }
    }

    /**
     * Adds to each served document the other documents of its group that the caller may see ({@code filter})
     * and that fold into it: the canonical and every document linked to it, found by their first chunks.
     */
    private static void addMembers(IndexSearcher searcher, Map<String, List<Rep>> reps, Query filter) throws IOException {
        List<org.apache.lucene.util.BytesRef> keys = reps.keySet().stream().map(org.apache.lucene.util.BytesRef::new).toList();
        Query inGroups = new BooleanQuery.Builder()
                .add(new org.apache.lucene.search.TermInSetQuery(LINKED_FIELD, keys), BooleanClause.Occur.SHOULD)
                .add(new org.apache.lucene.search.TermInSetQuery(ChunkSchema.DOC_ID, keys), BooleanClause.Occur.SHOULD)
                .build();
        Query q = new BooleanQuery.Builder()
                .add(inGroups, BooleanClause.Occur.FILTER)
                .add(IntField.newExactQuery(ChunkSchema.ORDINAL, 0), BooleanClause.Occur.FILTER)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
        var stored = searcher.storedFields();
        for (ScoreDoc sd : searcher.search(q, MAX_MEMBERS).scoreDocs) {
            Member m = Member.of(stored.document(sd.doc, MEMBER_FIELDS));
            List<Rep> group = reps.get(m.group()); // null: a canonical since become a copy of another document
            if (group == null || group.stream().anyMatch(r -> r.member.id().equals(m.id()))) {
                continue;
            }
            for (Rep r : group) {
                if (m.foldsInto(r.member)) {
                    if (r.others.size() < MAX_DUPLICATES) {
                        r.others.add(m.id());
                    }
                    break;
                }
            }
        }
    }

    private static final java.util.Set<String> MEMBER_FIELDS = java.util.Set.of(ChunkSchema.DOC_ID, LINKED_FIELD,
            ChunkSchema.METADATA_PREFIX + ChunkSchema.DUPLICATE_KEY, ChunkSchema.METADATA_PREFIX + ChunkSchema.DUPLICATE_GROUP_KEY);
    /** Documents of the served groups looked at, at most, to list duplicates. */
    private static final int MAX_MEMBERS = 10_000;

    /** {@code list} with only the first (best) entry of each key, in order. */
    private static ScoreDoc[] bestPerKey(ScoreDoc[] list, java.util.function.IntFunction<Object> keyOf) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        List<ScoreDoc> out = new ArrayList<>(list.length);
        for (ScoreDoc sd : list) {
            if (seen.add(keyOf.apply(sd.doc))) {
                out.add(sd);
            }
        }
        return out.toArray(new ScoreDoc[0]);
    }

    /** Adds one list's share to each hit's score: its own score outside hybrid mode, else per fusion method. */
    private static void addScores(Map<Object, Fused> byDoc, ScoreDoc[] list, java.util.function.IntFunction<Object> keyOf,
            boolean hybrid, Fusion fusion, double weight) {
        if (list.length == 0) {
            return;
        }
        float max = list[0].score;
        float min = list[list.length - 1].score; // lists come best first
        for (int i = 0; i < list.length; i++) {
            Fused f = byDoc.get(keyOf.apply(list[i].doc));
            if (!hybrid) {
                f.score += list[i].score;
            } else if (fusion.method() == Fusion.Method.RRF) {
                f.score += fusion.contribution(weight, i + 1);
            } else {
                f.score += weight * (max > min ? (list[i].score - min) / (double) (max - min) : 1.0);
            }
        }
    }

    /** The chunk's lineage; chunks written before a field existed give it as empty or 0. */
    private static ChunkHit.Lineage lineage(Document d, Map<String, String> metadata) {
        String redacted = metadata.getOrDefault(PiiPolicy.REDACTED_KEY, "");
        IndexableField ingested = d.getField(ChunkSchema.INGESTED_AT);
        return new ChunkHit.Lineage(Objects.requireNonNullElse(d.get(ChunkSchema.MODEL), ""),
                Objects.requireNonNullElse(d.get(ChunkSchema.MODEL_VERSION), ""),
                Objects.requireNonNullElse(d.get(ChunkSchema.CHUNKER), ""),
                Objects.requireNonNullElse(d.get(ChunkSchema.CHUNKER_HASH), ""),
                redacted.isEmpty() ? List.of() : List.of(redacted.split(",")),
                ingested == null ? 0L : ingested.numericValue().longValue());
    }

    private static ChunkHit toHit(Document d, Fused f) {
        Map<String, String> metadata = new TreeMap<>();
        for (IndexableField field : d.getFields()) {
            if (field.name().startsWith(ChunkSchema.METADATA_PREFIX) && !field.name().equals(LINKED_FIELD)) {
                metadata.put(field.name().substring(ChunkSchema.METADATA_PREFIX.length()), field.stringValue());
            }
        }
        return new ChunkHit(
                d.get(ChunkSchema.DOC_ID),
                d.get(ChunkSchema.CHUNK_ID),
                d.get(ChunkSchema.TITLE),
                d.get(ChunkSchema.TEXT),
                f.score,
                f.keyword,
                f.vector,
                d.getField(ChunkSchema.START).numericValue().intValue(),
                d.getField(ChunkSchema.END).numericValue().intValue(),
                d.get(ChunkSchema.SOURCE),
                d.get(ChunkSchema.POSITION),
                d.getField(ChunkSchema.UPDATED_AT).numericValue().longValue(),
                d.get(ChunkSchema.CONTENT_HASH),
                Arrays.asList(d.getValues(ChunkSchema.ACL)),
                metadata,
                lineage(d, metadata),
                List.of());
    }

    /** A fused hit: a chunk, or a document represented by its better-ranked chunk. */
    private static final class Fused {
        int doc = -1;
        double score;
        ChunkHit.RetrieverScore keyword;
        ChunkHit.RetrieverScore vector;

        /**
         * Represents the hit by chunk {@code doc} if it ranks better than the chunk chosen so far; called before
         * the list's {@link ChunkHit.RetrieverScore} is set.
         */
        void offer(int doc, int rank) {
            if (rank < bestRank()) {
                this.doc = doc;
            }
        }

        int bestRank() {
            return Math.min(keyword == null ? Integer.MAX_VALUE : keyword.rank(),
                    vector == null ? Integer.MAX_VALUE : vector.rank());
        }
    }

    /** How many documents and chunks the served commit holds; zeros before the first commit. */
    public IndexStats stats() throws IOException {
        Served s = acquire();
        if (s == null) {
            return new IndexStats(0, 0);
        }
        ServedView v = s.view();
        try {
            IndexSearcher searcher = new IndexSearcher(v.reader());
            return new IndexStats(searcher.count(IntField.newExactQuery(ChunkSchema.ORDINAL, 0)), v.reader().numDocs());
        } finally {
            v.decRef();
        }
    }

    /** The lineage of the commit now served, or {@link CommitData#EMPTY}. */
    public CommitData servedCommit() {
        Served s = served;
        return s == null ? CommitData.EMPTY : s.view().lineage();
    }

    private Served acquire() {
        while (true) {
            Served s = served;
            if (s == null) {
                return null;
            }
            if (s.view().tryIncRef()) {
                return s;
            }
            // lost a race with refresh(); the new reader is already published
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (refreshLock) {
            if (served != null) {
                served.view().release();
                served = null;
            }
            source.close();
        }
    }
}
